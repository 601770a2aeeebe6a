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

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The wait of a stopping container for its consumers, up to the shutdown timeout: the
 * reclaimer stops handing entries over first, each consumer is asked again to stop every
 * 250 ms while it runs (its reader sends {@code CLIENT UNBLOCK} each time: one that came
 * before the consumer's next blocking read does not end that read), and the background
 * tasks stop within what is left. A consumer that does not finish in time is left with
 * its entries pending. Stateless; called under the container's lifecycle lock.
 */
final class ConsumerShutdown {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final long UNBLOCK_RETRY_MILLIS = 250;

	private ConsumerShutdown() {
	}

	/**
	 * Wait for the consumers, which were asked to stop, then stop the background tasks.
	 * @param settings the container's settings
	 * @param stopping the consumers
	 * @param tasks the container's background tasks, if any
	 * @throws InterruptedException if the wait was interrupted; the background tasks are
	 * stopped then too, without waiting
	 */
	static void await(ContainerSettings settings, List<StreamConsumer> stopping, @Nullable BackgroundTasks tasks)
			throws InterruptedException {
		long deadline = System.nanoTime() + settings.values().getShutdownTimeout().toNanos();
		if (tasks != null) {
			tasks.stopReclaiming();
		}
		try {
			awaitConsumers(settings, stopping, deadline);
		}
		catch (InterruptedException ex) {
			// no more waiting, but the tasks stop all the same (and send what waits in
			// the acknowledgement buffers)
			if (tasks != null) {
				tasks.stop(System.nanoTime());
			}
			throw ex;
		}
		if (tasks != null) {
			tasks.stop(deadline);
		}
	}

	private static void awaitConsumers(ContainerSettings settings, List<StreamConsumer> stopping, long deadline)
			throws InterruptedException {
		for (StreamConsumer consumer : stopping) {
			while (!consumer.isFinished()) {
				long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (remaining <= 0) {
					logger.warn("Listener '" + settings.listenerId() + "': consumer '" + consumer.getName()
							+ "' did not finish within the shutdown timeout ("
							+ settings.values().getShutdownTimeout().toMillis()
							+ " ms, redis.streams.listener.shutdown-timeout); its in-flight entries stay pending");
					break;
				}
				if (!consumer.awaitFinished(Math.min(remaining, UNBLOCK_RETRY_MILLIS), TimeUnit.MILLISECONDS)) {
					consumer.signalStop();
				}
			}
		}
	}

}
