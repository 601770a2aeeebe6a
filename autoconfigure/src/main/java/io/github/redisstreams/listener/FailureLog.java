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
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs the retried failures of one listener without flooding the log: the first failure
 * of each {@link #WINDOW} at WARN, the others at DEBUG, and how many there were at WARN
 * with the next one after the window. A poison flood of thousands of failures per second
 * costs one line per window instead of thousands. Thread-safe.
 */
final class FailureLog {

	static final Duration WINDOW = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final String listenerId;

	private final boolean error;

	private long windowStart;

	private boolean open;

	private long suppressed;

	FailureLog(String listenerId) {
		this(listenerId, false);
	}

	/**
	 * Create a log.
	 * @param listenerId the listener id
	 * @param error whether the first failure of each window is an ERROR (a failure that
	 * needs an operator) rather than a WARN
	 */
	FailureLog(String listenerId, boolean error) {
		this.listenerId = listenerId;
		this.error = error;
	}

	/**
	 * Log one failure that is retried (or left pending).
	 * @param message the message, built only when it is logged
	 * @param failure the failure, logged with its stack trace at DEBUG only
	 */
	void failed(Supplier<String> message, Throwable failure) {
		long now = System.nanoTime();
		long summarized;
		synchronized (this) {
			if (this.open && now - this.windowStart < WINDOW.toNanos()) {
				this.suppressed++;
				summarized = -1;
			}
			else {
				summarized = this.suppressed;
				this.open = true;
				this.windowStart = now;
				this.suppressed = 0;
			}
		}
		if (summarized < 0) {
			if (logger.isDebugEnabled()) {
				logger.debug(message.get(), failure);
			}
			return;
		}
		if (summarized > 0) {
			logger.warn("Listener '" + this.listenerId + "': " + summarized + " more failure(s) in the previous "
					+ WINDOW.toSeconds() + " s were logged at DEBUG only");
		}
		if (this.error) {
			logger.error(message.get());
		}
		else {
			logger.warn(message.get());
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Failure detail", failure);
		}
	}

}
