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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.StreamConnections.StreamConnection;
import io.github.redisstreams.support.StreamEntry;

/**
 * Recovers pending entries that nobody is working on. Every
 * {@code redis.streams.reclaim.interval} it follows the group's pending list with
 * {@code XAUTOCLAIM} (under a stable claimer name) from the start to the end; entries
 * idle for longer than {@code min-idle-time} belonged to a consumer that died or hung,
 * and are processed here. Entries whose payload was deleted are dead-lettered as
 * {@code payload-lost}. Then it removes consumers that have nothing pending and were idle
 * longer than {@code dead-consumer-timeout}.
 */
final class PendingReclaimer implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final int MAX_ROUNDS = 100;

	private final ContainerSettings settings;

	private final ControlConnection control;

	private final EntryProcessor processor;

	private final List<String> protectedConsumers;

	private final Duration commandTimeout;

	private final AckBuffer acks = new AckBuffer();

	private final ListenerMetrics metrics;

	private volatile boolean running = true;

	private volatile @Nullable HeldEntries held;

	private boolean failing;

	PendingReclaimer(ContainerSettings settings, ControlConnection control, EntryProcessor processor,
			List<String> protectedConsumers, Duration commandTimeout, ListenerMetrics metrics) {
		this.metrics = metrics;
		this.settings = settings;
		this.control = control;
		this.processor = processor;
		this.protectedConsumers = protectedConsumers;
		this.commandTimeout = commandTimeout;
	}

	void stop() {
		this.running = false;
	}

	@Nullable HeldEntries getHeld() {
		return this.held;
	}

	@Override
	public void run() {
		try {
			StreamConnection connection = this.control.get();
			String cursor = "0-0";
			int rounds = 0;
			do {
				ListenerScripts.Reclaimed reclaimed = ListenerScripts.reclaim(connection, this.settings,
						this.settings.claimerName(), cursor, this.settings.values().getBatchSize(),
						this.commandTimeout);
				process(connection, reclaimed.claimed());
				cursor = reclaimed.cursor();
			}
			while (this.running && !"0-0".equals(cursor) && ++rounds < MAX_ROUNDS);
			removeDeadConsumers(connection);
			this.failing = false;
		}
		catch (Exception ex) {
			this.control.reset();
			if (!this.failing) {
				logger.warn("Listener '" + this.settings.listenerId() + "': reclaiming idle pending entries failed ("
						+ ex + "); trying again every " + this.settings.values().getReclaimInterval().toMillis()
						+ " ms");
			}
			this.failing = true;
		}
	}

	private void process(StreamConnection connection, ListenerScripts.Claimed claimed) throws Exception {
		if (claimed.isEmpty()) {
			return;
		}
		if (!claimed.entries.isEmpty()) {
			logger.info("Listener '" + this.settings.listenerId() + "': reclaimed " + claimed.entries.size()
					+ " entr(ies) of stream '" + this.settings.stream() + "' idle for more than "
					+ this.settings.values().getMinIdleTime().toMillis() + " ms");
		}
		if (!claimed.entries.isEmpty()) {
			this.metrics.reclaimed(this.settings.container(), "orphaned", claimed.entries.size());
		}
		if (!claimed.lost.isEmpty() || !claimed.deleted.isEmpty()) {
			this.metrics.reclaimed(this.settings.container(), "payload-lost",
					claimed.lost.size() + claimed.deleted.size());
		}
		for (String id : claimed.lost) {
			this.processor.payloadLost(id, 0, this.settings.claimerName(), connection, this.acks);
		}
		for (String id : claimed.deleted) {
			this.processor.payloadLost(id, 0, this.settings.claimerName(), connection, this.acks);
		}
		this.held = new HeldEntries(this.settings.claimerName(),
				claimed.entries.stream().map(StreamEntry::getId).toList());
		try {
			for (StreamEntry entry : claimed.entries) {
				long attempt = claimed.deliveryCounts.getOrDefault(entry.getId(), 1L);
				this.processor.process(entry, attempt, this.settings.claimerName(), connection, this.acks);
				flushAcks(connection);
			}
		}
		finally {
			this.held = null;
			flushAcks(connection);
		}
	}

	private void flushAcks(StreamConnection connection) throws Exception {
		List<String> ids = this.acks.drain();
		if (ids.isEmpty()) {
			return;
		}
		try {
			Long acknowledged = connection.streams()
				.xack(this.settings.stream(), this.settings.group(), ids.toArray(String[]::new))
				.get(this.commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
			if (acknowledged != null && acknowledged < ids.size()) {
				this.metrics.acknowledgementsLost(this.settings.container(), ids.size() - acknowledged);
			}
		}
		catch (Exception ex) {
			this.acks.restore(ids);
			throw ex;
		}
	}

	private void removeDeadConsumers(StreamConnection connection) throws Exception {
		List<String> removed = ListenerScripts.removeDeadConsumers(connection, this.settings, this.protectedConsumers,
				this.commandTimeout);
		if (!removed.isEmpty()) {
			logger.info("Listener '" + this.settings.listenerId() + "': removed consumer(s) " + removed
					+ " from group '" + this.settings.group() + "': nothing pending and idle for more than "
					+ this.settings.values().getDeadConsumerTimeout().toMillis() + " ms");
		}
	}

}
