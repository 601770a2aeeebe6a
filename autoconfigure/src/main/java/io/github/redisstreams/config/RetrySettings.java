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
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.retry.ListenerRetryPolicy;

/**
 * Retry settings of a listener, from one source (properties or annotation). A
 * {@code null} value means "not set here".
 *
 * @param maxRetries how many times a failed message is retried
 * @param delay the delay before the first retry
 * @param multiplier the factor applied to the delay for each further retry
 * @param maxDelay the maximum delay
 * @param jitter the random amount added to or removed from each delay
 * @param notRetryable exception types that are dead-lettered at once; added up across
 * sources
 * @since 0.1.0
 */
public record RetrySettings(@Nullable Long maxRetries, @Nullable Duration delay, @Nullable Double multiplier,
		@Nullable Duration maxDelay, @Nullable Duration jitter, List<Class<? extends Throwable>> notRetryable) {

	/**
	 * Settings that set nothing.
	 */
	public static final RetrySettings NONE = new RetrySettings(null, null, null, null, null, List.of());

	/**
	 * Normalize a {@code null} list.
	 */
	public RetrySettings {
		notRetryable = (notRetryable != null) ? List.copyOf(notRetryable) : List.of();
	}

	/**
	 * Build the policy: each value from the first source that sets it, in order of
	 * precedence; not-retryable types from all of them.
	 * @param sources the sources, highest precedence first; the last one must set every
	 * value
	 * @return the policy
	 */
	static ListenerRetryPolicy resolve(RetrySettings... sources) {
		Long maxRetries = null;
		Duration delay = null;
		Double multiplier = null;
		Duration maxDelay = null;
		Duration jitter = null;
		List<Class<? extends Throwable>> notRetryable = new ArrayList<>();
		for (RetrySettings source : sources) {
			maxRetries = (maxRetries != null) ? maxRetries : source.maxRetries();
			delay = (delay != null) ? delay : source.delay();
			multiplier = (multiplier != null) ? multiplier : source.multiplier();
			maxDelay = (maxDelay != null) ? maxDelay : source.maxDelay();
			jitter = (jitter != null) ? jitter : source.jitter();
			notRetryable.addAll(source.notRetryable());
		}
		if (maxRetries == null || delay == null || multiplier == null || maxDelay == null || jitter == null) {
			throw new IllegalStateException("Incomplete retry settings");
		}
		if (maxDelay.compareTo(delay) < 0) {
			maxDelay = delay;
		}
		return new ListenerRetryPolicy(maxRetries, delay, multiplier, maxDelay, jitter, notRetryable);
	}

}
