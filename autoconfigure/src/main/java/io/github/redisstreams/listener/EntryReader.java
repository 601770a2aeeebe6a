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
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;

/**
 * Where a consumer's entries come from and its acknowledgements and retry parkings go:
 * Redis in production ({@link RedisEntryReader}), a script in unit tests. Called by the
 * consumer's thread, except {@link #wake()}.
 */
interface EntryReader {

	/**
	 * Send the buffered acknowledgements and parkings, then read the next batch: due
	 * retries first, then the consumer's own pending entries after a (re)connection, then
	 * new entries, blocking up to the poll timeout.
	 * @param acks the consumer's acknowledgements, drained (and restored when sending
	 * them failed)
	 * @param parking the consumer's failed entries to park, drained
	 * @param readNew whether to read; {@code false} only sends
	 * @return the batch, empty when nothing came within the poll timeout
	 * @throws Exception when Redis fails; the consumer backs off and calls
	 * {@link #recover(Throwable)}
	 */
	EntryBatch read(AckBuffer acks, RetryParking parking, boolean readNew) throws Exception;

	/**
	 * Note that a retry of an entry of the last batch is due after the given delay.
	 * @param delay the delay
	 */
	void retryDueIn(Duration delay);

	/**
	 * Prepare for the next read after a wait for Redis was interrupted (by listener code:
	 * the container never interrupts a consumer): the command waited for may have read
	 * entries whose reply is now lost, so they must be read again from the consumer's
	 * pending entries list.
	 */
	void interrupted();

	/**
	 * Prepare for the next attempt after a failure: reconnect, or recreate a missing
	 * group.
	 * @param failure what failed
	 * @return a description of the failure for the log
	 */
	String recover(Throwable failure);

	/**
	 * Return the entries read ahead and not yet returned by {@link #read}, whose claims
	 * must be refreshed like those being processed; from any thread.
	 * @return the entries read ahead, or {@code null}
	 */
	default @Nullable HeldEntries readAhead() {
		return null;
	}

	/**
	 * Return which entries of a batch an idempotent listener processed already (their key
	 * is recorded), to be acknowledged without invoking it.
	 * @param entries the batch's entries
	 * @return their ids, empty when the listener is not idempotent
	 * @throws Exception when Redis fails; the consumer backs off and calls
	 * {@link #recover(Throwable)}
	 */
	default Set<String> processedAlready(List<StreamEntry> entries) throws Exception {
		return Set.of();
	}

	/**
	 * Count entries that reached this consumer without a read (taken over from a consumer
	 * that died) against the listener's rate limit, if any: they are handled at once, and
	 * later reads wait until the limit allows them again.
	 * @param entries how many
	 * @throws Exception when Redis fails
	 */
	default void admit(int entries) throws Exception {
	}

	/**
	 * Note how long the consumer took for the entries of a batch, which bounds how many
	 * the next reads ask for ({@link BatchSizer}).
	 * @param entries how many entries were processed
	 * @param nanos how long that took, in nanoseconds
	 */
	default void processed(int entries, long nanos) {
	}

	/**
	 * Return how many entries this consumer's next read asks for: about a second of its
	 * handler's work ({@link BatchSizer}); from any thread.
	 * @return 1 or more
	 */
	default int count() {
		return BatchSizer.FIRST_COUNT;
	}

	/**
	 * Return whether this consumer timed a batch: before that, it takes nothing more
	 * while it has a batch ({@link BatchSizer#isTimed()}); from any thread.
	 * @return whether its handler's speed is known
	 */
	default boolean isTimed() {
		return true;
	}

	/**
	 * Interrupt a blocking read, from any thread ({@code CLIENT UNBLOCK}).
	 */
	void wake();

	/**
	 * Send what is still buffered, as far as possible, and close.
	 * @param acks the consumer's acknowledgements; what could not be sent stays in it
	 * @param parking the consumer's failed entries to park
	 */
	void close(AckBuffer acks, RetryParking parking);

	/**
	 * Return the cause of an exception that only wraps one (from a future).
	 * @param ex the exception
	 * @return the cause, or the exception itself
	 */
	static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while ((current instanceof ExecutionException || current instanceof CompletionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}
