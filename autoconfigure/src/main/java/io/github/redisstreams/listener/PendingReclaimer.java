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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.redisstreams.support.RedisRefusal;

/**
 * Recovers pending entries that nobody is working on. Every
 * {@code redis.streams.reclaim.interval} it follows the group's pending list with
 * {@code XAUTOCLAIM} (under a stable claimer name) from the start to the end; entries
 * idle for longer than {@code min-idle-time} belonged to a consumer that died or hung. It
 * only claims: the claimed entries (and those whose payload was deleted, to be
 * dead-lettered as {@code payload-lost}) are handed over to a running consumer, so that
 * only consumer threads run listener code and every acknowledgement goes through a
 * consumer's buffer, which is sent within a poll timeout. A round claims no more than the
 * consumers can start within about a second and goes on as they take what was handed over
 * ({@link ClaimRounds}, every {@value ReclaimSchedule#TICK_MILLIS} ms at most). Then it
 * removes consumers that have nothing pending and were idle longer than
 * {@code dead-consumer-timeout}.
 * <p>
 * While the consumers claim idle entries in their reads ({@link ReadClaim}), they take
 * them the moment they become idle enough, and the {@code XAUTOCLAIM} round is a backstop
 * for what the read skips (pending entries whose payload was deleted): it runs once per
 * {@code min-idle-time} at most (nothing becomes idle enough faster). Dead consumers are
 * removed every interval either way.
 */
final class PendingReclaimer implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final ControlConnection control;

	private final ClaimRounds rounds;

	private final List<String> protectedConsumers;

	private final Duration commandTimeout;

	private boolean failing;

	private boolean goneRefused;

	private final ReadClaim readClaim;

	private long lastRound = System.nanoTime();

	private final ReclaimSchedule schedule;

	PendingReclaimer(ContainerSettings settings, ControlConnection control, ClaimRounds.Handoff handoff,
			List<String> protectedConsumers, Duration commandTimeout, ListenerMetrics metrics, ReadClaim readClaim) {
		this.readClaim = readClaim;
		this.settings = settings;
		this.control = control;
		this.rounds = new ClaimRounds(settings, handoff, commandTimeout, metrics);
		this.protectedConsumers = protectedConsumers;
		this.commandTimeout = commandTimeout;
		this.schedule = new ReclaimSchedule(settings.values().getReclaimInterval(), this.lastRound);
	}

	void stop() {
		this.rounds.stop();
	}

	/**
	 * Return how often to run this task ({@link ReclaimSchedule#periodMillis()}): a full
	 * round runs once per {@code reclaim-interval}; the ticks between only go on with a
	 * round left unfinished (it leaves one when every consumer has about a second of work
	 * waiting), when a consumer has room.
	 * @return the period in milliseconds
	 */
	long period() {
		return this.schedule.periodMillis();
	}

	@Override
	public void run() {
		run(false);
	}

	/**
	 * Run as if the reclaim interval had passed: this interval's round (unless the
	 * consumers claim in their reads and {@code min-idle-time} has not passed) and the
	 * removal of dead consumers.
	 */
	void runNow() {
		run(true);
	}

	private void run(boolean force) {
		try {
			long now = System.nanoTime();
			boolean due;
			if (force) {
				this.schedule.ranAt(now);
				due = true;
			}
			else {
				due = this.schedule.due(now);
			}
			boolean goOn = this.rounds.canGoOn();
			if (!due && !goOn) {
				return;
			}
			StreamConnection connection = this.control.get();
			if (due && (!this.readClaim.isActive()
					|| now - this.lastRound >= this.settings.values().getMinIdleTime().toNanos())) {
				this.lastRound = now;
				this.rounds.start(connection);
			}
			else if (goOn) {
				this.rounds.goOn(connection);
			}
			if (due) {
				removeDeadConsumers(connection);
				if (this.settings.values().isBroadcast()) {
					removeGoneInstances(connection);
				}
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
