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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamEntry;

/**
 * Recovers pending entries that nobody is working on. Every
 * {@code redis.streams.reclaim.interval} it follows the group's pending list with
 * {@code XAUTOCLAIM} (under a stable claimer name) from the start to the end; entries
 * idle for longer than {@code min-idle-time} belonged to a consumer that died or hung. It
 * only claims: the claimed entries (and those whose payload was deleted, to be
 * dead-lettered as {@code payload-lost}) are handed over to a running consumer, so that
 * only consumer threads run listener code and every acknowledgement goes through a
 * consumer's buffer, which is sent within a poll timeout. Then it removes consumers that
 * have nothing pending and were idle longer than {@code dead-consumer-timeout}.
 * <p>
 * While the consumers claim idle entries in their reads ({@link ReadClaim}), they take
 * them the moment they become idle enough, and the {@code XAUTOCLAIM} round is a backstop
 * for what the read skips (pending entries whose payload was deleted): it runs once per
 * {@code min-idle-time} at most (nothing becomes idle enough faster). Dead consumers are
 * removed every interval either way.
 */
final class PendingReclaimer implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final int MAX_ROUNDS = 100;

	private final ContainerSettings settings;

	private final ControlConnection control;

	private final Handoff handoff;

	private final List<String> protectedConsumers;

	private final Duration commandTimeout;

	private final ListenerMetrics metrics;

	private volatile boolean running = true;

	private boolean failing;

	private boolean goneRefused;

	private final ReadClaim readClaim;

	private long lastRound = System.nanoTime();

	PendingReclaimer(ContainerSettings settings, ControlConnection control, Handoff handoff,
			List<String> protectedConsumers, Duration commandTimeout, ListenerMetrics metrics, ReadClaim readClaim) {
		this.readClaim = readClaim;
		this.metrics = metrics;
		this.settings = settings;
		this.control = control;
		this.handoff = handoff;
		this.protectedConsumers = protectedConsumers;
		this.commandTimeout = commandTimeout;
	}

	/**
	 * Takes reclaimed entries over.
	 */
	@FunctionalInterface
	interface Handoff {

		/**
		 * Hand entries to a running consumer.
		 * @return {@code false} if no consumer runs
		 */
		boolean handOver(String owner, List<StreamEntry> entries, Map<String, Long> deliveryCounts, List<String> lost);

	}

	void stop() {
		this.running = false;
	}

	@Override
	public void run() {
		try {
			StreamConnection connection = this.control.get();
			long now = System.nanoTime();
			if (!this.readClaim.isActive()
					|| now - this.lastRound >= this.settings.values().getMinIdleTime().toNanos()) {
				this.lastRound = now;
				reclaim(connection);
			}
			removeDeadConsumers(connection);
			if (this.settings.values().isBroadcast()) {
				removeGoneInstances(connection);
			}
			if (this.failing) {
				logger
					.info("Listener '" + this.settings.listenerId() + "': reclaiming idle pending entries works again");
				this.failing = false;
			}
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// a scheduled task that throws is never run again: nothing may escape
			RedisRefusal refusal = RedisRefusal.of(ex);
			if (refusal == null || !refusal.keepsConnection()) {
				this.control.reset();
			}
			if (!this.failing) {
				String message = "Listener '" + this.settings.listenerId()
						+ "': reclaiming idle pending entries failed (" + RedisRefusal.describe(ex)
						+ "); trying again every " + this.settings.values().getReclaimInterval().toMillis() + " ms";
				if (refusal != null) {
					logger.error(message + ". Redis refuses this every time until the cause is fixed");
				}
				else {
					logger.warn(message);
				}
			}
			this.failing = true;
		}
	}

	private void reclaim(StreamConnection connection) throws Exception {
		String cursor = "0-0";
		int rounds = 0;
		do {
			Claimed.Reclaimed reclaimed = OrphanClaims.reclaim(connection, this.settings, this.settings.claimerName(),
					cursor, pageSize(), this.commandTimeout);
			handOver(reclaimed.claimed());
			cursor = reclaimed.cursor();
		}
		while (this.running && !"0-0".equals(cursor) && ++rounds < MAX_ROUNDS);
	}

	/**
	 * A page of claimed entries goes to one consumer, whose handler speed is not known
	 * here: at most what a consumer asks for before it timed a batch.
	 */
	private int pageSize() {
		return Math.min(this.settings.values().getBatchSize(), BatchSizer.FIRST_COUNT);
	}

	private void handOver(Claimed claimed) {
		if (claimed.isEmpty()) {
			return;
		}
		if (!claimed.entries.isEmpty()) {
			logger.info("Listener '" + this.settings.listenerId() + "': reclaimed " + claimed.entries.size()
					+ " entr(ies) of stream '" + this.settings.stream() + "' idle for more than "
					+ this.settings.values().getMinIdleTime().toMillis() + " ms");
			this.metrics.reclaimed(this.settings.container(), "orphaned", claimed.entries.size());
		}
		List<String> lost = new ArrayList<>(claimed.lost);
		lost.addAll(claimed.deleted);
		if (!lost.isEmpty()) {
			this.metrics.reclaimed(this.settings.container(), "payload-lost", lost.size());
		}
		if (!this.handoff.handOver(this.settings.claimerName(), claimed.entries, claimed.deliveryCounts, lost)) {
			logger.debug("Listener '" + this.settings.listenerId() + "': no running consumer to hand "
					+ claimed.entries.size() + " reclaimed entr(ies) to; they stay pending");
		}
	}

	private void removeGoneInstances(StreamConnection connection) throws Exception {
		List<String> removed;
		try {
			removed = BroadcastGroups.removeGone(connection, this.settings, this.commandTimeout);
		}
		catch (Exception ex) {
			RedisRefusal refusal = RedisRefusal.of(ex);
			if (refusal == null) {
				throw ex;
			}
			// the listener works without it: say so once, go on with the rest
			if (!this.goneRefused) {
				this.goneRefused = true;
				logger.warn("Listener '" + this.settings.listenerId() + "': cannot remove the consumer groups of "
						+ "broadcast instances that are gone (" + RedisRefusal.describe(ex) + "); they stay, and hold "
						+ "back retention");
			}
			return;
		}
		this.goneRefused = false;
		if (!removed.isEmpty()) {
			logger.info("Listener '" + this.settings.listenerId() + "': removed the consumer group(s) " + removed
					+ " of broadcast instances that are gone (no lease, no read for more than "
					+ this.settings.values().getDeadConsumerTimeout().toMillis() + " ms)");
		}
	}

	private void removeDeadConsumers(StreamConnection connection) throws Exception {
		List<String> removed = OrphanClaims.removeDeadConsumers(connection, this.settings, this.protectedConsumers,
				this.commandTimeout);
		if (!removed.isEmpty()) {
			logger.info("Listener '" + this.settings.listenerId() + "': removed consumer(s) " + removed
					+ " from group '" + this.settings.group() + "': nothing pending and idle for more than "
					+ this.settings.values().getDeadConsumerTimeout().toMillis() + " ms");
		}
	}

}
