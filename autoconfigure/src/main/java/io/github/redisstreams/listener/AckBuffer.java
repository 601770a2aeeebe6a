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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Entry ids waiting to be acknowledged by one consumer. Handlers and manual
 * acknowledgements add ids from any thread; the consumer drains them into one multi-id
 * {@code XACK} that it pipelines with its next read. When the consumer does not read for
 * a while (its handler runs long, or Redis fails), the {@link AckFlusher} drains what
 * waited too long: {@link #waitingSince()} tells since when ids wait. Once its consumer
 * stopped, the buffer is {@link #close() closed} and refuses what is added later (an
 * acknowledgement from a thread the listener handed the entry to), so that nothing is
 * dropped without a word.
 */
final class AckBuffer {

	private final ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();

	/**
	 * The idempotency keys to record with the acknowledgement of some ids (idempotent
	 * consumption); kept until the acknowledgement was sent.
	 */
	private final Map<String, String> keys = new ConcurrentHashMap<>();

	/** The same keys, for lookups by key: key to id. */
	private final Map<String, String> idsByKey = new ConcurrentHashMap<>();

	/**
	 * Keys sent since the consumer last looked the recorded keys up: a lookup made before
	 * they were sent does not see them.
	 */
	private final Set<String> recentlySent = ConcurrentHashMap.newKeySet();

	/** {@link System#nanoTime()} when the buffer last became non-empty; 0 when empty. */
	private final AtomicLong waitingSince = new AtomicLong();

	private volatile boolean closed;

	/**
	 * Add an id whose acknowledgement must record an idempotency key with it.
	 * @param id the entry id
	 * @param key the key, or {@code null} for a plain acknowledgement
	 * @return {@code false} if the buffer is closed and refused the id, which the caller
	 * reports; {@code true} if it took the id (or {@link #close()} took it meanwhile, and
	 * reported it)
	 */
	boolean add(String id, @Nullable String key) {
		if (key != null) {
			this.keys.put(id, key);
			this.idsByKey.put(key, id);
		}
		if (add(id)) {
			return true;
		}
		if (key != null) {
			this.keys.remove(id, key);
			this.idsByKey.remove(key, id);
		}
		return false;
	}

	/**
	 * Return the idempotency keys of some drained ids, by id.
	 * @param drained ids from {@link #drain()}
	 * @return the keys of those that have one
	 */
	Map<String, String> keysOf(List<String> drained) {
		if (this.keys.isEmpty()) {
			return Map.of();
		}
		Map<String, String> found = new LinkedHashMap<>();
		for (String id : drained) {
			String key = this.keys.get(id);
			if (key != null) {
				found.put(id, key);
			}
		}
		return found;
	}

	/**
	 * Return whether an acknowledgement waiting here records the given key.
	 * @param key the idempotency key, or {@code null}
	 * @return whether it is recorded with an acknowledgement not sent yet
	 */
	boolean records(@Nullable String key) {
		return key != null && (this.idsByKey.containsKey(key) || this.recentlySent.contains(key));
	}

	/**
	 * Forget the keys sent before now: call right before looking up the recorded keys,
	 * which then see them.
	 */
	void lookingUp() {
		this.recentlySent.clear();
	}

	/**
	 * Forget the keys of ids whose acknowledgement reached Redis (keeping them for
	 * {@link #records(String)} until the next {@link #lookingUp()}).
	 * @param sent the ids
	 */
	void sent(List<String> sent) {
		if (!this.keys.isEmpty()) {
			for (String id : sent) {
				String key = this.keys.remove(id);
				if (key != null) {
					this.recentlySent.add(key);
					this.idsByKey.remove(key, id);
				}
			}
		}
	}

	/**
	 * Add an id to acknowledge; from any thread.
	 * @param id the entry id
	 * @return {@code false} if the buffer is closed and refused the id, which the caller
	 * reports; {@code true} if it took the id (or {@link #close()} took it meanwhile, and
	 * reported it)
	 */
	boolean add(String id) {
		if (this.closed) {
			return false;
		}
		this.ids.add(id);
		if (this.waitingSince.get() == 0) {
			this.waitingSince.compareAndSet(0, nonZeroNanoTime());
		}
		// closed meanwhile: the id was either taken by close(), which reports it, or is
		// still here, and then it is refused
		return !this.closed || !this.ids.remove(id);
	}

	/**
	 * Return whether the buffer was closed: its consumer stopped.
	 * @return whether it is closed
	 */
	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Describe some ids for a log line: the first ten, and how many more.
	 * @param ids the ids
	 * @return for example {@code [1-0, 2-0] and 3 more}
	 */
	static String describe(List<String> ids) {
		int shown = Math.min(ids.size(), 10);
		return ids.subList(0, shown) + ((ids.size() > shown) ? " and " + (ids.size() - shown) + " more" : "");
	}

	/**
	 * Close the buffer, once its consumer sent what it could: later additions are
	 * refused.
	 * @return the ids that were still waiting, which will not be sent
	 */
	List<String> close() {
		this.closed = true;
		return drain();
	}

	/**
	 * Return since when ids wait in this buffer.
	 * @return a {@link System#nanoTime()} value, or 0 when the buffer is empty
	 */
	long waitingSince() {
		if (this.ids.isEmpty()) {
			return 0;
		}
		// an add that raced with a drain may have left no time: count from now
		this.waitingSince.compareAndSet(0, nonZeroNanoTime());
		return this.waitingSince.get();
	}

	private static long nonZeroNanoTime() {
		long now = System.nanoTime();
		return (now != 0) ? now : 1;
	}

	boolean isEmpty() {
		return this.ids.isEmpty();
	}

	List<String> drain() {
		this.waitingSince.set(0);
		List<String> drained = new ArrayList<>();
		String id;
		while ((id = this.ids.poll()) != null) {
			drained.add(id);
		}
		return drained;
	}

	/**
	 * Put ids back after a failed {@code XACK}, so that they are sent again.
	 * @param failed the ids that were not acknowledged
	 * @return the ids refused because the buffer is closed, which will not be sent
	 */
	List<String> restore(List<String> failed) {
		if (this.closed) {
			return failed;
		}
		this.ids.addAll(failed);
		if (!this.closed) {
			return List.of();
		}
		// closed meanwhile: close() reported what it took, the rest is refused here
		List<String> refused = new ArrayList<>();
		for (String id : failed) {
			if (this.ids.remove(id)) {
				refused.add(id);
			}
		}
		return refused;
	}

}
