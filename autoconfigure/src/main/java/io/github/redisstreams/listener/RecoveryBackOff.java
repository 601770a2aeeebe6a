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
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOffExecution;

/**
 * A consumer's way back from failures of Redis: after each failure it waits the next
 * delay of the listener's recovery back-off (started again when it runs out), reports the
 * failure episode to the container's {@link FailureEpisodes} (its start, each attempt,
 * its end or its abandonment on stop), and sleeps until the next attempt unless the
 * consumer stops. Sends no Redis command. Used by the consumer's thread, except
 * {@link #wake()}.
 */
final class RecoveryBackOff {

	private final ContainerSettings settings;

	private final String name;

	private final FailureEpisodes episodes;

	private final BooleanSupplier running;

	private final Object sleepMonitor = new Object();

	private @Nullable BackOffExecution backOff;

	private int failedAttempts;

	private long failingSince;

	/**
	 * Create the back-off of a consumer.
	 * @param settings the listener's settings
	 * @param name the consumer's name
	 * @param episodes where failures and recoveries are reported
	 * @param running whether the consumer still runs: a sleep ends when it does not
	 */
	RecoveryBackOff(ContainerSettings settings, String name, FailureEpisodes episodes, BooleanSupplier running) {
		this.settings = settings;
		this.name = name;
		this.episodes = episodes;
		this.running = running;
	}

	/**
	 * Report a failure and sleep until the next attempt is due, or the consumer stops.
	 * @param description the failure as the reader described it
	 * @param failure what failed
	 */
	void failed(String description, Throwable failure) {
		boolean first = (this.backOff == null);
		if (first) {
			this.backOff = this.settings.values().getRecoveryBackOff().start();
			this.failingSince = System.nanoTime();
			this.failedAttempts = 0;
		}
		this.failedAttempts++;
		long delay = Objects.requireNonNull(this.backOff, "backOff").nextBackOff();
		if (delay == BackOffExecution.STOP) {
			this.backOff = this.settings.values().getRecoveryBackOff().start();
			delay = this.backOff.nextBackOff();
		}
		this.episodes.failed(this.name, first, description, EntryReader.unwrap(failure), Duration.ofMillis(delay));
		sleep(delay);
	}

	/**
	 * End the failure episode, if any, after an attempt that succeeded.
	 */
	void succeeded() {
		if (this.backOff != null) {
			this.backOff = null;
			this.episodes.recovered(this.name, this.failedAttempts,
					Duration.ofNanos(System.nanoTime() - this.failingSince));
		}
	}

	/**
	 * Leave the failure episode, if any, unresolved: the consumer stops.
	 */
	void abandoned() {
		if (this.backOff != null) {
			this.backOff = null;
			this.episodes.abandoned();
		}
	}

	/**
	 * End a sleep at once, so that a stopping consumer does not wait out its back-off;
	 * from any thread.
	 */
	void wake() {
		synchronized (this.sleepMonitor) {
			this.sleepMonitor.notifyAll();
		}
	}

	private void sleep(long millis) {
		if (millis <= 0) {
			return;
		}
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		synchronized (this.sleepMonitor) {
			long remaining;
			while (this.running.getAsBoolean() && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.sleepMonitor, remaining);
				}
				catch (InterruptedException ex) {
					// not a request to stop (see StreamConsumer.run()): the flag is
					// cleared, the wait goes on
				}
			}
		}
	}

}
