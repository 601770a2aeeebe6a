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
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The permits of one consumer of a rate-limited listener: taken from the listener's token
 * bucket in Redis ({@link ContainerSettings#rateLimitKey()}, shared by every consumer and
 * instance) before each read, so that a consumer reads at most as many entries as it was
 * granted and waiting messages stay in the stream, undelivered. Permits a read did not
 * use are given back. The bucket is Bucket4j's ({@link PermitBucket}: {@code GET} and
 * {@code EVAL} on one key), on the consumer's own connection. Without a permit the
 * consumer waits here; with permits and no new entry it waits in Redis, holding none
 * ({@code XREVRANGE}, then {@code XREAD BLOCK}). Used by the consumer's thread only,
 * except {@link #wake()}.
 */
final class ReadPermits {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final PermitBucket bucket;

	private final ContainerSettings settings;

	private final Duration timeout;

	private final ListenerMetrics metrics;

	private final Object monitor = new Object();

	/** Set by {@link #wake()}, so that a wake-up before the wait is not lost. */
	private volatile boolean woken;

	/**
	 * Create the permits of a consumer.
	 * @param settings the listener's settings, with a rate limit
	 * @param limit the rate limit
	 * @param connection the consumer's current connection
	 * @param timeout how long one bucket operation may take
	 * @param metrics where permits used and waits go
	 */
	ReadPermits(ContainerSettings settings, RateLimit limit, Supplier<StreamConnection> connection, Duration timeout,
			ListenerMetrics metrics) {
		this.settings = settings;
		this.timeout = timeout;
		this.metrics = metrics;
		this.bucket = new PermitBucket(settings.rateLimitKey(limit), limit, connection, timeout);
	}

	/**
	 * Take permits for entries that came without a read, whether or not the bucket has
	 * them: it goes into debt, which later reads wait out.
	 * @param entries how many, 0 or more
	 */
	void charge(int entries) {
		if (entries > 0) {
			this.bucket.charge(entries);
			this.metrics.permitsGranted(this.settings.container(), entries);
		}
	}

	/**
	 * Ask for the stream's newest entry ({@code XREVRANGE + - COUNT 1}).
	 * @param connection the consumer's connection
	 * @param stream the stream
	 * @return the reply to come, for {@link #idOf(List)}
	 */
	static RedisFuture<List<StreamMessage<String, byte[]>>> newest(StreamConnection connection, String stream) {
		return connection.streams().xrevrange(stream, Range.create("-", "+"), Limit.from(1));
	}

	/**
	 * Return the id of the newest entry.
	 * @param newest the reply of {@link #newest(StreamConnection, String)}
	 * @return the id, {@code 0-0} when the stream is empty or missing
	 */
	static String idOf(@Nullable List<StreamMessage<String, byte[]>> newest) {
		return (newest == null || newest.isEmpty()) ? "0-0" : newest.get(0).getId();
	}

	/**
	 * Wait, holding no permit, until the stream has an entry newer than the given one
	 * ({@code XREAD COUNT 1 BLOCK <ms> STREAMS <stream> <id>}), or the time is up, or a
	 * stop unblocks the connection. Reads nothing for the group.
	 * @param connection the consumer's connection
	 * @param stream the stream
	 * @param after the newest id seen
	 * @param blockMillis the most to wait, at least 1
	 * @return the reply to come
	 */
	static RedisFuture<?> awaitNewer(StreamConnection connection, String stream, String after, long blockMillis) {
		return connection.streams()
			.xread(XReadArgs.Builder.count(1).block(blockMillis), XReadArgs.StreamOffset.from(stream, after));
	}

	static @Nullable ReadPermits of(ContainerSettings settings, Supplier<StreamConnection> connection, Duration timeout,
			ListenerMetrics metrics) {
		RateLimit limit = settings.values().getRateLimit();
		return (limit != null) ? new ReadPermits(settings, limit, connection, timeout, metrics) : null;
	}

	/**
	 * Read at most as many entries as permitted: without a permit, wait until one is due
	 * (or {@link #wake()}) and return nothing. With permits the read does not block, so
	 * that no consumer holds permits while the stream is empty (they would add up to more
	 * than the burst when entries come); permits it did not use go back to the bucket,
	 * and when it found no new entry the consumer waits for one newer than the newest
	 * before the read, holding no permit ({@code XREAD BLOCK}).
	 * @param connection the consumer's connection
	 * @param batchSize the most entries wanted
	 * @param read reads up to the given number of entries without blocking
	 * @param readNewEntries whether that read was of new entries (not due retries, not
	 * the pending drain)
	 * @param blockMillis how long the consumer may block now
	 * @return the batch read
	 * @throws Exception when Redis failed
	 */
	EntryBatch read(StreamConnection connection, int batchSize, Read read, BooleanSupplier readNewEntries,
			LongSupplier blockMillis) throws Exception {
		long started = System.nanoTime();
		int granted = (int) this.bucket.take(batchSize);
		if (granted == 0) {
			Duration wait = this.bucket.untilAvailable();
			Duration pollTimeout = this.settings.values().getPollTimeout();
			awaitPermit((wait.compareTo(pollTimeout) < 0) ? wait : pollTimeout);
			this.metrics.permitsAwaited(this.settings.container(), Duration.ofNanos(System.nanoTime() - started));
			return EntryBatch.EMPTY;
		}
		int used = 0;
		EntryBatch batch;
		String after = null;
		try {
			// sent first: an entry added after it is newer than what it returns
			RedisFuture<List<StreamMessage<String, byte[]>>> newest = newest(connection, this.settings.stream());
			batch = read.read(granted);
			used = batch.entries().size() + batch.lost().size();
			// only a read of new entries that found none waits: the end of the pending
			// drain, or no due retry, goes on to read new entries at once
			if (batch.isEmpty() && readNewEntries.getAsBoolean()) {
				after = idOf(connection.await(newest, this.timeout));
			}
		}
		finally {
			giveBackQuietly(granted - used);
		}
		if (used > 0) {
			this.metrics.permitsGranted(this.settings.container(), used);
		}
		long block = blockMillis.getAsLong();
		if (after != null && block > 0) {
			connection.await(awaitNewer(connection, this.settings.stream(), after, block),
					Duration.ofMillis(block).plus(this.timeout));
		}
		return batch;
	}

	/**
	 * End a wait for a permit at once (a stop, a hand-over); from any thread.
	 */
	void wake() {
		synchronized (this.monitor) {
			this.woken = true;
			this.monitor.notifyAll();
		}
	}

	private void awaitPermit(Duration wait) throws InterruptedException {
		synchronized (this.monitor) {
			if (!this.woken) {
				this.monitor.wait(Math.max(1, wait.toMillis()));
			}
			this.woken = false;
		}
	}

	/**
	 * Give back unused permits; a failure only loses them (the limit errs on the safe
	 * side), and must not hide what the read returned or why it failed.
	 */
	private void giveBackQuietly(int unused) {
		try {
			this.bucket.giveBack(unused);
		}
		catch (RuntimeException ex) {
			logger.debug("Listener '" + this.settings.listenerId() + "': could not give back " + unused
					+ " unused permit(s): " + ex);
		}
	}

	/**
	 * A read of up to a number of entries, without blocking.
	 */
	@FunctionalInterface
	interface Read {

		EntryBatch read(int count) throws Exception;

	}

}
