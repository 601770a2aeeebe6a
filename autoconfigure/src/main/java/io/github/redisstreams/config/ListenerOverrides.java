/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.redisstreams.config;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Settings of one listener, by id, that take precedence over the {@code @RedisListener}
 * attributes and the factory defaults ({@code redis.streams.listeners.<id>.*}). A
 * {@code null} value keeps what the annotation or the defaults say.
 *
 * @param group the consumer group
 * @param concurrency the number of consumers
 * @param autoStartup whether to start automatically
 * @param batchSize the maximum number of entries per read
 * @param pollTimeout how long one read blocks
 * @param retry the retry settings
 * @since 0.1.0
 */
public record ListenerOverrides(@Nullable String group, @Nullable Integer concurrency, @Nullable Boolean autoStartup,
		@Nullable Integer batchSize, @Nullable Duration pollTimeout, RetrySettings retry) {

	/**
	 * Overrides that change nothing.
	 */
	public static final ListenerOverrides NONE = new ListenerOverrides(null, null, null, null, null,
			RetrySettings.NONE);

	/**
	 * Normalize missing retry settings.
	 */
	public ListenerOverrides {
		retry = (retry != null) ? retry : RetrySettings.NONE;
	}

}
