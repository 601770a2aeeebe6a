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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends the acknowledgements that waited in a consumer's buffer for longer than the poll
 * timeout, on the container's control connection. A consumer sends its acknowledgements
 * with its next read, which is within a poll timeout while it reads; an acknowledgement
 * given from another thread while the consumer's handler runs long (or while it backs off
 * from a Redis failure) would otherwise wait for as long, and the entry could be
 * reclaimed and processed twice.
 */
final class AckFlusher implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final ControlConnection control;

	private final Supplier<List<AckBuffer>> buffers;

	private final Duration commandTimeout;

	private final ListenerMetrics metrics;

	AckFlusher(ContainerSettings settings, ControlConnection control, Supplier<List<AckBuffer>> buffers,
			Duration commandTimeout, ListenerMetrics metrics) {
		this.settings = settings;
		this.control = control;
		this.buffers = buffers;
		this.commandTimeout = commandTimeout;
		this.metrics = metrics;
	}

	@Override
	public void run() {
		flush(this.settings.values().getPollTimeout().toNanos());
	}

	/**
	 * Send every waiting acknowledgement, however long it waited: the last flush of a
	 * stopping container, whose consumers that did not finish within the shutdown timeout
	 * cannot be relied on to send what other threads acknowledged meanwhile.
	 */
	void flushAll() {
		flush(0);
	}

	private void flush(long maxWait) {
		for (AckBuffer buffer : this.buffers.get()) {
			long since = buffer.waitingSince();
			if (since == 0 || System.nanoTime() - since < maxWait) {
				continue;
			}
			List<String> ids = buffer.drain();
			if (ids.isEmpty()) {
				continue;
			}
			try {
				long acknowledged = Acknowledgements
					.count(Acknowledgements.send(this.control.get(), this.settings, ids, buffer)
						.get(this.commandTimeout.toMillis(), TimeUnit.MILLISECONDS));
				buffer.sent(ids);
				if (acknowledged >= 0 && acknowledged < ids.size()) {
					this.metrics.acknowledgementsLost(this.settings.container(), ids.size() - acknowledged);
				}
			}
			catch (Exception ex) {
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
				}
				List<String> refused = buffer.restore(ids);
				this.control.reset();
				if (!refused.isEmpty()) {
					logger.warn("Listener '" + this.settings.listenerId() + "': sending the acknowledgement(s) of "
							+ AckBuffer.describe(refused) + " failed (" + ex + ") after their consumer stopped; "
							+ "those entries stay pending and will be delivered again");
				}
				else if (!buffer.isClosed()) {
					logger.debug("Listener '" + this.settings.listenerId() + "': sending " + ids.size()
							+ " waiting acknowledgement(s) failed (" + ex
							+ "); the consumer sends them with its next read, or when it stops");
				}
			}
		}
	}

}
