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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.RedisRefusal;

/**
 * Logs Redis failures of a container's consumers once per episode: a warning when the
 * first consumer starts failing, debug output for every further attempt, and one line
 * when the last failing consumer has recovered.
 */
final class FailureEpisodes {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final String listenerId;

	private final AtomicInteger failingConsumers = new AtomicInteger();

	private final AtomicLong failedAttempts = new AtomicLong();

	/** When the current episode began ({@link System#nanoTime()}), 0 when none. */
	private volatile long episodeStart;

	/**
	 * What the latest failed attempt was: the description and its most specific cause.
	 */
	private volatile @Nullable String lastFailure;

	/** The refusal of the latest failed attempt, if Redis will repeat it. */
	private volatile @Nullable RedisRefusal refusal;

	FailureEpisodes(String listenerId) {
		this.listenerId = listenerId;
	}

	/**
	 * Record a failed attempt of a consumer.
	 * @param consumer the consumer name
	 * @param firstInEpisode whether the consumer was healthy before this failure
	 * @param description what went wrong
	 * @param ex the failure
	 * @param delay how long the consumer waits before its next attempt
	 */
	void failed(String consumer, boolean firstInEpisode, String description, Throwable ex, Duration delay) {
		this.failedAttempts.incrementAndGet();
		RedisRefusal refusal = RedisRefusal.of(ex);
		String failure = description + ": " + RedisRefusal.withScript(ex);
		this.lastFailure = (refusal != null) ? failure + "; fix: " + refusal.fix() : failure;
		RedisRefusal previous = this.refusal;
		this.refusal = refusal;
		boolean firstFailingConsumer = firstInEpisode && this.failingConsumers.getAndIncrement() == 0;
		if (firstFailingConsumer) {
			this.episodeStart = System.nanoTime() | 1;
		}
		if (refusal != null && refusal != previous) {
			logger.error("Listener '" + this.listenerId + "': " + failure + ". Redis refuses this every time until "
					+ "its cause is gone; fix: " + refusal.fix() + ". Trying again with back-off (next in "
					+ delay.toMillis() + " ms), without reconnecting");
		}
		else if (firstFailingConsumer && refusal == null) {
			logger.warn("Listener '" + this.listenerId + "': " + description + " ("
					+ RedisRefusal.mostSpecificMessage(ex) + "); retrying with back-off until Redis answers again");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Listener '" + this.listenerId + "' consumer '" + consumer + "': " + description
					+ ", next attempt in " + delay.toMillis() + " ms", ex);
		}
	}

	/**
	 * Record that a consumer that was failing works again.
	 * @param consumer the consumer name
	 * @param attempts how many attempts failed
	 * @param duration how long the consumer was failing
	 */
	void recovered(String consumer, int attempts, Duration duration) {
		if (this.failingConsumers.decrementAndGet() == 0) {
			this.episodeStart = 0;
			this.refusal = null;
			logger.info("Listener '" + this.listenerId + "' recovered: consumer '" + consumer + "' works again after "
					+ attempts + " failed attempt(s) in " + duration.toMillis() + " ms");
		}
	}

	/**
	 * Record that a failing consumer stopped before it recovered.
	 */
	void abandoned() {
		if (this.failingConsumers.decrementAndGet() == 0) {
			this.episodeStart = 0;
			this.refusal = null;
		}
	}

	/**
	 * Return whether the latest failed attempt was a refusal that Redis will repeat until
	 * its cause is fixed.
	 * @return whether a consumer is failing on such a refusal
	 */
	boolean isRefused() {
		return isFailing() && this.refusal != null;
	}

	/**
	 * Return how long the current failure episode has lasted: since the first failed
	 * attempt of the first consumer that started failing.
	 * @return the duration, or {@code null} when no consumer is failing
	 */
	@Nullable Duration failingFor() {
		long start = this.episodeStart;
		return (start != 0 && isFailing()) ? Duration.ofNanos(Math.max(0, System.nanoTime() - start)) : null;
	}

	/**
	 * Return what the latest failed attempt was.
	 * @return the description and the message of its most specific cause, or {@code null}
	 * when no consumer is failing
	 */
	@Nullable String lastFailure() {
		return isFailing() ? this.lastFailure : null;
	}

	/**
	 * Return whether any consumer is currently failing.
	 * @return whether an episode is in progress
	 */
	boolean isFailing() {
		return this.failingConsumers.get() > 0;
	}

	/**
	 * Return how many attempts of all consumers failed since the container was created.
	 * @return the number of failed attempts
	 */
	long getFailedAttempts() {
		return this.failedAttempts.get();
	}

}
