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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The scheduled work of one running container, on its control connection: the reclaimer
 * (which hands what it claims to the consumers, round robin), the claim refresher, the
 * flusher of acknowledgements that waited too long, and the renewal of the instance-id
 * lease. Created by {@link #start}, ended by {@link #stop}, which also gives the lease
 * up.
 */
final class BackgroundTasks {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final ControlConnection control;

	private final InstanceLease lease;

	private final PendingReclaimer reclaimer;

	private final AckFlusher ackFlusher;

	private final ScheduledThreadPoolExecutor scheduler;

	private BackgroundTasks(ContainerSettings settings, ControlConnection control, InstanceLease lease,
			PendingReclaimer reclaimer, AckFlusher ackFlusher, ScheduledThreadPoolExecutor scheduler) {
		this.settings = settings;
		this.control = control;
		this.lease = lease;
		this.reclaimer = reclaimer;
		this.ackFlusher = ackFlusher;
		this.scheduler = scheduler;
	}

	static BackgroundTasks start(ContainerSettings settings, ControlConnection control, InstanceLease lease,
			List<StreamConsumer> consumers, List<String> protectedConsumers, Duration commandTimeout,
			ListenerMetrics metrics, ReadClaim readClaim) {
		PendingReclaimer reclaimer = new PendingReclaimer(settings, control, new ConsumerHandoff(consumers),
				protectedConsumers, commandTimeout, metrics, readClaim);
		ClaimRefresher refresher = new ClaimRefresher(settings, control, () -> {
			List<@Nullable HeldEntries> held = new ArrayList<>();
			consumers.forEach((consumer) -> held.addAll(consumer.getHeld()));
			return held;
		}, commandTimeout, readClaim);
		AckFlusher ackFlusher = new AckFlusher(settings, control,
				() -> consumers.stream().map(StreamConsumer::getAcks).toList(), commandTimeout, metrics);
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2,
				new CustomizableThreadFactory(settings.threadNamePrefix() + "reclaim-"));
		schedule(scheduler, reclaimer, reclaimer.period());
		scheduler.scheduleAtFixedRate(refresher, refreshPeriod(settings), refreshPeriod(settings),
				TimeUnit.MILLISECONDS);
		schedule(scheduler, () -> renew(control, lease, settings.listenerId()), InstanceLease.RENEW_PERIOD.toMillis());
		schedule(scheduler, ackFlusher, Math.max(50, settings.values().getPollTimeout().toMillis() / 2));
		if (RetentionTask.isNeeded(settings.values())) {
			schedule(scheduler, new RetentionTask(settings, control, commandTimeout, metrics),
					settings.values().getRetentionInterval().toMillis());
		}
		return new BackgroundTasks(settings, control, lease, reclaimer, ackFlusher, scheduler);
	}

	private static long refreshPeriod(ContainerSettings settings) {
		return Math.max(50, settings.values().getMinIdleTime().toMillis() / 4);
	}

	private static void schedule(ScheduledThreadPoolExecutor scheduler, Runnable task, long periodMillis) {
		scheduler.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
	}

	private static void renew(ControlConnection control, InstanceLease lease, String listenerId) {
		try {
			lease.renew(control.get(), listenerId);
		}
		catch (Exception ex) {
			control.reset();
		}
	}

	/**
	 * Stop claiming, so that nothing new is handed to consumers that are stopping.
	 */
	void stopReclaiming() {
		this.reclaimer.stop();
	}

	/**
	 * End every task, waiting for a running one up to the deadline, send what waits in
	 * the acknowledgement buffers of consumers that did not finish (given from other
	 * threads while their handler runs on), give the lease up and close the control
	 * connection. An interrupt ends the wait, not the rest (and the thread's interrupt
	 * flag is set again).
	 * @param deadline a {@link System#nanoTime()} value
	 */
	void stop(long deadline) {
		this.reclaimer.stop();
		this.scheduler.shutdown();
		boolean interrupted = false;
		boolean terminated;
		try {
			terminated = this.scheduler.awaitTermination(Math.max(0, deadline - System.nanoTime()),
					TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			// the rest is done all the same, without waiting
			interrupted = true;
			terminated = false;
		}
		if (!terminated && this.scheduler.getActiveCount() > 0) {
			// (a deadline a stuck consumer used up leaves no time, and idle tasks need
			// none)
			logger.warn("Listener '" + this.settings.listenerId() + "': a background task (the reclaimer, "
					+ "the acknowledgement flusher) was still running at the shutdown timeout; entries the "
					+ "reclaimer claimed and did not hand over stay pending");
		}
		// the buffers of the consumers that finished are closed and empty
		this.ackFlusher.flushAll();
		try {
			this.lease.release(this.control.get());
		}
		catch (Exception ex) {
			logger.debug("Listener '" + this.settings.listenerId() + "': could not release the instance lease (" + ex
					+ "); it expires by itself");
		}
		this.control.close();
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
