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

package io.github.redisstreams.listener;

import java.time.Duration;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The recovery settings of a listener: the back-off of its attempts to reach Redis again
 * after a failure. {@link ListenerSettingsValidation#recovery} checks the ranges.
 * <p>
 * Immutable and thread-safe.
 *
 * @param delay the first delay
 * @param multiplier the factor of each further delay
 * @param maxDelay the longest delay; a value below {@code delay} is raised to it
 * @param jitter the random variation of each delay
 */
record RecoverySettings(Duration delay, double multiplier, Duration maxDelay, Duration jitter) {

	/**
	 * Return a new back-off with these settings.
	 * @return a new exponential back-off with jitter
	 */
	BackOff toBackOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(this.delay.toMillis(), this.multiplier);
		// a maximum below the first delay is raised to it, as for retries
		backOff.setMaxInterval(Math.max(this.maxDelay.toMillis(), this.delay.toMillis()));
		backOff.setJitter(this.jitter.toMillis());
		return backOff;
	}

	@Override
	public String toString() {
		return "recovery=" + this.delay + " x" + this.multiplier + " up to " + this.maxDelay + " +/-" + this.jitter;
	}

}
