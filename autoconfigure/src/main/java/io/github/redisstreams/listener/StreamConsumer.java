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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamEntry;

import org.springframework.util.backoff.BackOffExecution;

/**
 * One consumer of a container: a thread that takes batches from its {@link EntryReader}
 * (or from the reclaimer's hand-overs), has the {@link EntryProcessor} process every
 * entry in order, and buffers the acknowledgements and retry parkings that the reader
 * sends with its next read.
 * <p>
 * Nothing ends the loop but {@link #signalStop()}: failures of Redis back off with jitter
 * and recover by themselves, and no handler behaviour (exceptions, {@code Error}s,
 * interrupts) escapes the processor.
 */
final class StreamConsumer implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final String name;

	private final EntryReader reader;

	private final EntryProcessor processor;

	private final FailureEpisodes episodes;

	private final AckBuffer acks = new AckBuffer();

	private final RetryParking parking = new RetryParking();

	private final ConcurrentLinkedQueue<EntryBatch> handedOver = new ConcurrentLinkedQueue<>();

	private final CountDownLatch finished = new CountDownLatch(1);

	private final Object sleepMonitor = new Object();

	private volatile boolean running = true;

	private volatile @Nullable HeldEntries held;

	private @Nullable BackOffExecution backOff;

	private int failedAttempts;

	private long failingSince;

	StreamConsumer(ContainerSettings settings, String name, EntryReader reader, EntryProcessor processor,
			FailureEpisodes episodes) {
		this.settings = settings;
		this.name = name;
		this.reader = reader;
		this.processor = processor;
		this.episodes = episodes;
	}

	String getName() {
		return this.name;
	}

	AckBuffer getAcks() {
		return this.acks;
	}

	/**
	 * Return the entries this consumer holds: those its handler works on, and those
	 * handed over to it and not yet started, whose claims must be refreshed too.
	 * @return the held entries
	 */
	List<@Nullable HeldEntries> getHeld() {
		List<@Nullable HeldEntries> all = new ArrayList<>();
		all.add(this.held);
		all.add(this.reader.readAhead());
		for (EntryBatch batch : this.handedOver) {
			all.add(batch.held());
		}
		return all;
	}

	/**
	 * Hand over entries that the reclaimer claimed, so that this consumer's thread runs
	 * their handler and its acknowledgement buffer acknowledges them. A blocking read is
	 * interrupted ({@code CLIENT UNBLOCK}) so that they start within a round trip.
	 * @param owner the consumer that owns the entries in the pending entries list
	 * @param entries the claimed entries
	 * @param deliveryCounts their delivery counts
	 * @param lost ids whose payload was deleted from the stream
	 */
	void handOver(String owner, List<StreamEntry> entries, Map<String, Long> deliveryCounts, List<String> lost) {
		this.handedOver.add(new EntryBatch(entries, deliveryCounts, lost, owner,
				new HeldEntries(owner, entries.stream().map(StreamEntry::getId).toList())));
		this.reader.wake();
	}

	/**
	 * Return whether this consumer takes hand-overs: it runs and has not stopped.
	 * @return whether it is running
	 */
	boolean isRunning() {
		return this.running && !isFinished();
	}

	boolean isFinished() {
		return this.finished.getCount() == 0;
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				try {
					EntryBatch batch = next();
					endFailureEpisode();
					dispatch(batch);
				}
				catch (InterruptedException ex) {
					// consumers are stopped with a flag, never interrupted: the interrupt
					// comes from listener code and must not end the loop
					logger.debug("Listener '" + this.settings.listenerId() + "': consumer " + this.name
							+ " was interrupted; ignored, consumers stop with stop()");
				}
				catch (VirtualMachineError ex) {
					throw ex;
				}
				catch (Throwable ex) {
					if (this.running) {
						onFailure(ex);
					}
				}
			}
		}
		finally {
			abandonFailureEpisode();
			this.reader.close(this.acks, this.parking);
			warnUnflushedAcks();
			this.finished.countDown();
		}
	}

	/**
	 * Ask the consumer to stop after the handler it is running, if any, returns.
	 */
	void signalStop() {
		this.running = false;
		synchronized (this.sleepMonitor) {
			this.sleepMonitor.notifyAll();
		}
		this.reader.wake();
	}

	boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
		return this.finished.await(timeout, unit);
	}

	private EntryBatch next() throws Exception {
		EntryBatch handed = this.handedOver.poll();
		EntryBatch read = this.reader.read(this.acks, this.parking, handed == null && this.running);
		if (handed != null) {
			// entries taken over from a consumer that died count against a rate limit too
			this.reader.admit(handed.entries().size() + handed.lost().size());
			return handed;
		}
		return read;
	}

	private void dispatch(EntryBatch batch) {
		Set<String> processed = processedAlready(batch);
		if (batch.isEmpty()) {
			return;
		}
		for (String id : batch.lost()) {
			this.processor.payloadLost(id, 0, batch.owner(), this.parking, this.acks);
		}
		HeldEntries handedHeld = batch.held();
		this.held = (handedHeld != null) ? handedHeld
				: new HeldEntries(this.name, batch.entries().stream().map(StreamEntry::getId).toList());
		try {
			for (StreamEntry entry : batch.entries()) {
				if (!this.running) {
					return;
				}
				// a copy earlier in this batch (or one not yet acknowledged) was
				// processed
				if (processed.contains(entry.getId())
						|| this.acks.records(Acknowledgements.keyOf(this.settings, entry))) {
					this.processor.skipDuplicate(entry, this.acks);
					continue;
				}
				long attempt = batch.deliveryCounts().getOrDefault(entry.getId(), 1L);
				Duration retryDue = this.processor.process(entry, attempt, batch.owner(), this.parking, this.acks);
				if (retryDue != null) {
					this.reader.retryDueIn(retryDue);
				}
			}
		}
		finally {
			this.held = null;
		}
	}

	/**
	 * Return which entries an idempotent listener processed already. A lookup that fails
	 * does not hold the batch up (its retries are claimed, its delivery counted): it is
	 * processed without the check, at least once as always.
	 */
	private Set<String> processedAlready(EntryBatch batch) {
		if (batch.entries().isEmpty()) {
			return Set.of();
		}
		this.acks.lookingUp();
		try {
			return this.reader.processedAlready(batch.entries());
		}
		catch (Exception ex) {
			logger.warn("Listener '" + this.settings.listenerId() + "': could not look up which of "
					+ batch.entries().size() + " entr(ies) were processed already (" + RedisRefusal.describe(ex)
					+ "); they are processed without the check");
			return Set.of();
		}
	}

	private void onFailure(Throwable failure) {
		String description = this.reader.recover(failure);
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

	private void endFailureEpisode() {
		if (this.backOff != null) {
			this.backOff = null;
			this.episodes.recovered(this.name, this.failedAttempts,
					Duration.ofNanos(System.nanoTime() - this.failingSince));
		}
	}

	private void abandonFailureEpisode() {
		if (this.backOff != null) {
			this.backOff = null;
			this.episodes.abandoned();
		}
	}

	private void warnUnflushedAcks() {
		if (!this.acks.isEmpty()) {
			List<String> lost = this.acks.drain();
			logger.warn("Listener '" + this.settings.listenerId() + "' consumer '" + this.name + "' could not send "
					+ lost.size() + " acknowledgement(s) before stopping; those entries stay pending and will be "
					+ "delivered again");
		}
	}

	private void sleep(long millis) {
		if (millis <= 0) {
			return;
		}
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		synchronized (this.sleepMonitor) {
			long remaining;
			while (this.running && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.sleepMonitor, remaining);
				}
				catch (InterruptedException ex) {
					// not a request to stop (see run()): the flag is cleared, the wait
					// goes on
				}
			}
		}
	}

}
