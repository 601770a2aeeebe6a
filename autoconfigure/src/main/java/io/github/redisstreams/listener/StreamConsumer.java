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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;

/**
 * One consumer of a container: a thread that takes batches from its {@link EntryReader}
 * (or from the reclaimer's hand-overs), has its {@link BatchDispatcher} process every
 * entry in order, and buffers the acknowledgements and retry parkings that the reader
 * sends with its next read. Sends no Redis command itself: the reader does.
 * <p>
 * Nothing ends the loop but {@link #signalStop()}: failures of Redis back off with jitter
 * and recover by themselves ({@link RecoveryBackOff}), and no handler behaviour
 * (exceptions, {@code Error}s, interrupts) escapes the processor. Runs on its own thread;
 * {@link #handOver}, {@link #getHeld()}, {@link #signalStop()} and the state methods may
 * be called from any thread.
 */
final class StreamConsumer implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final String name;

	private final EntryReader reader;

	private final AckBuffer acks = new AckBuffer();

	private final RetryParking parking;

	private final BatchDispatcher dispatcher;

	private final RecoveryBackOff recovery;

	private final ConcurrentLinkedDeque<EntryBatch> handedOver = new ConcurrentLinkedDeque<>();

	private final CountDownLatch finished = new CountDownLatch(1);

	private volatile boolean running = true;

	StreamConsumer(ContainerSettings settings, String name, EntryReader reader, EntryProcessor processor,
			FailureEpisodes episodes) {
		this.settings = settings;
		this.name = name;
		this.reader = reader;
		this.parking = new RetryParking(settings.values().getPollTimeout(), settings.values().getMinIdleTime());
		this.dispatcher = new BatchDispatcher(settings, name, reader, processor, this.acks, this.parking,
				() -> this.running);
		this.recovery = new RecoveryBackOff(settings, name, episodes, () -> this.running);
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
		all.add(this.dispatcher.held());
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
	 * Return how many more entries this consumer can take over now: what its next read
	 * would ask for (about a second of its handler's work), less what waits for it
	 * (handed over and not started yet, or read ahead); none while it works on its first
	 * batch, or has one waiting, before it timed one (as it does not read ahead then);
	 * from any thread.
	 * @return 0 or more
	 */
	int handOverRoom() {
		int waiting = 0;
		for (EntryBatch batch : this.handedOver) {
			waiting += batch.entries().size() + batch.lost().size();
		}
		HeldEntries readAhead = this.reader.readAhead();
		if (readAhead != null) {
			waiting += readAhead.ids().size();
		}
		if (!this.reader.isTimed() && (waiting > 0 || this.dispatcher.held() != null)) {
			return 0;
		}
		return Math.max(0, this.reader.count() - waiting);
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
					this.recovery.succeeded();
					this.dispatcher.dispatch(batch);
				}
				catch (InterruptedException ex) {
					// consumers are stopped with a flag, never interrupted: the interrupt
					// comes from listener code and must not end the loop, nor lose the
					// reply of the read it cut short
					this.reader.interrupted();
					logger.debug("Listener '" + this.settings.listenerId() + "': consumer " + this.name
							+ " was interrupted; ignored (consumers stop with stop()), its pending entries are "
							+ "read again");
				}
				catch (VirtualMachineError ex) {
					throw ex;
				}
				catch (Throwable ex) {
					if (this.running) {
						this.recovery.failed(this.reader.recover(ex), ex);
					}
				}
			}
		}
		finally {
			this.recovery.abandoned();
			this.parking.parkWaiting();
			this.reader.close(this.acks, this.parking);
			closeAcknowledgements();
			this.finished.countDown();
		}
	}

	/**
	 * Ask the consumer to stop after the handler it is running, if any, returns.
	 */
	void signalStop() {
		this.running = false;
		this.recovery.wake();
		this.reader.wake();
	}

	boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
		return this.finished.await(timeout, unit);
	}

	private EntryBatch next() throws Exception {
		EntryBatch handed = this.handedOver.poll();
		if (handed == null) {
			EntryBatch due = this.parking.takeDue();
			if (due != null) {
				try {
					// retries count against a rate limit too
					this.reader.admit(due.entries().size());
				}
				catch (Exception ex) {
					this.parking.restore(due);
					throw ex;
				}
				return due;
			}
		}
		EntryBatch read;
		try {
			read = this.reader.read(this.acks, this.parking, handed == null && this.running);
			if (handed != null) {
				// entries taken over from a consumer that died count against a rate limit
				// too
				this.reader.admit(handed.entries().size() + handed.lost().size());
				return handed;
			}
		}
		catch (Exception ex) {
			if (handed != null) {
				// owned by the reclaimer's name: no drain of this consumer would read
				// them
				this.handedOver.offerFirst(handed);
			}
			throw ex;
		}
		return this.parking.withoutWaiting(read);
	}

	private void closeAcknowledgements() {
		List<String> lost = this.acks.close();
		if (!lost.isEmpty()) {
			logger.warn("Listener '" + this.settings.listenerId() + "' consumer '" + this.name + "' could not send "
					+ "the acknowledgement(s) of " + AckBuffer.describe(lost) + " before stopping; those entries "
					+ "stay pending and will be delivered again");
		}
	}

}
