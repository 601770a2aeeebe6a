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

package io.github.redisstreams.benchmarks;

/**
 * Concurrency and batch size of a {@code @RedisListener}.
 *
 * @param concurrency consumers ({@code redis.streams.listener.concurrency})
 * @param batchSize entries per read ({@code redis.streams.listener.batch-size})
 */
public record ListenerSettings(int concurrency, int batchSize) {

	/**
	 * The library's defaults, read from its settings builder so that they cannot drift.
	 */
	public static final ListenerSettings DEFAULT = libraryDefaults();

	private static ListenerSettings libraryDefaults() {
		// Qualified name on purpose: this record has the library's settings class's name
		io.github.redisstreams.listener.ListenerSettings defaults = io.github.redisstreams.listener.ListenerSettings
			.builder()
			.group("defaults")
			.build();
		return new ListenerSettings(defaults.getConcurrency(), defaults.getBatchSize());
	}

	/**
	 * Return whether these are the library's defaults.
	 * @return whether these are the defaults
	 */
	public boolean isDefault() {
		return equals(DEFAULT);
	}

	@Override
	public String toString() {
		return "concurrency " + this.concurrency + ", batch " + this.batchSize;
	}

}
