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
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamEntry;

/**
 * Has a consumer's {@link EntryProcessor} process one batch, entry by entry in order:
 * entries whose payload was deleted are reported, entries an idempotent listener
 * processed already are skipped (looked up through the reader, {@code MGET}), and the
 * reader learns when a retry is due. Holds the entries being processed while it runs, so
 * that their claims are refreshed. Used by the consumer's thread, except {@link #held()}.
 */
final class BatchDispatcher {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final String name;

	private final EntryReader reader;

	private final EntryProcessor processor;

	private final AckBuffer acks;

	private final RetryParking parking;

	private final BooleanSupplier running;

	private volatile @Nullable HeldEntries held;

	/**
	 * Create the dispatcher of a consumer.
	 * @param settings the listener's settings
	 * @param name the consumer's name
	 * @param reader the consumer's reader
	 * @param processor the listener's processor
	 * @param acks the consumer's acknowledgements
	 * @param parking the consumer's retry parkings
	 * @param running whether the consumer still runs: a batch stops before the next entry
	 * when it does not
	 */
	BatchDispatcher(ContainerSettings settings, String name, EntryReader reader, EntryProcessor processor,
			AckBuffer acks, RetryParking parking, BooleanSupplier running) {
		this.settings = settings;
		this.name = name;
		this.reader = reader;
		this.processor = processor;
		this.acks = acks;
		this.parking = parking;
		this.running = running;
	}

	/**
	 * Return the entries being processed; from any thread.
	 * @return the entries, or {@code null} between batches
	 */
	@Nullable HeldEntries held() {
		return this.held;
	}

	/**
	 * Process a batch, until its end or until the consumer stops.
	 * @param batch the batch
	 */
	void dispatch(EntryBatch batch) {
		@Nullable Set<String> processed = processedAlready(batch);
		if (batch.isEmpty()) {
			return;
		}
		for (String id : batch.lost()) {
			this.processor.payloadLost(id, 0, batch.owner(), this.parking, this.acks);
		}
		HeldEntries handedHeld = batch.held();
		this.held = (handedHeld != null) ? handedHeld
				: new HeldEntries(this.name, batch.entries().stream().map(StreamEntry::getId).toList());
		this.parking.holding(this.held);
		long start = System.nanoTime();
		int dispatched = 0;
		try {
			for (StreamEntry entry : batch.entries()) {
				if (!this.running.getAsBoolean()) {
					return;
				}
				long attempt = batch.deliveryCounts().getOrDefault(entry.getId(), 1L);
				String key = Acknowledgements.keyOf(this.settings, entry);
				// a copy earlier in this batch (or one not yet acknowledged) was
				// processed
				if ((processed != null && processed.contains(entry.getId())) || this.acks.records(key)) {
					this.processor.skipDuplicate(entry, this.acks);
					continue;
				}
				if (processed == null && key != null && this.processor.invokesListener(entry, attempt)) {
					// unknown whether it was processed already: handled once the lookup
					// works, not perhaps twice
					continue;
				}
				// skipped duplicates take no time of the handler's: only handled entries
				// are timed
				dispatched++;
				Duration retryDue = this.processor.process(entry, attempt, batch.owner(), this.parking, this.acks);
				if (retryDue != null) {
					this.reader.retryDueIn(retryDue);
				}
			}
		}
		finally {
			this.held = null;
			this.parking.holding(null);
			this.reader.processed(dispatched, System.nanoTime() - start);
		}
	}

	/**
	 * Return the ids of the batch's entries whose idempotency key is recorded already, or
	 * {@code null} if the lookup failed: then the entries with a key stay pending (they
	 * come back after {@code min-idle-time}) rather than being handled perhaps twice.
	 */
	private @Nullable Set<String> processedAlready(EntryBatch batch) {
		if (batch.entries().isEmpty()) {
			return Set.of();
		}
		this.acks.lookingUp();
		try {
			return this.reader.processedAlready(batch.entries());
		}
		catch (Exception ex) {
			long keyed = batch.entries()
				.stream()
				.filter((entry) -> Acknowledgements.keyOf(this.settings, entry) != null)
				.count();
			String message = "Listener '" + this.settings.listenerId() + "': could not look up which of " + keyed
					+ " entr(ies) with an idempotency key were processed already (" + RedisRefusal.describe(ex)
					+ "); they stay pending and are delivered again after "
					+ this.settings.values().getMinIdleTime().toMillis()
					+ " ms (redis.streams.reclaim.min-idle-time), the entries without a key are processed";
			if (RedisRefusal.of(ex) != null) {
				logger.error(message + ". Redis refuses this every time until the cause is fixed");
			}
			else {
				logger.warn(message);
			}
			return null;
		}
	}

}
