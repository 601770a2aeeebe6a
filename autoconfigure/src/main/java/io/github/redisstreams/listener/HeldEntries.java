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

import java.util.List;

/**
 * The entries one consumer holds (read, not yet acknowledged or handed back) and since
 * when their claim was last refreshed; read by the claim refresher.
 */
final class HeldEntries {

	private final String consumer;

	private final List<String> ids;

	private volatile long refreshedAt = System.nanoTime();

	HeldEntries(String consumer, List<String> ids) {
		this.consumer = consumer;
		this.ids = List.copyOf(ids);
	}

	/**
	 * Create the held entries of a batch whose claims were last refreshed (or the entries
	 * delivered) at the given time.
	 * @param consumer the owner of the entries in the pending entries list
	 * @param ids the entry ids
	 * @param refreshedAt the {@link System#nanoTime()} of the last refresh or delivery
	 */
	HeldEntries(String consumer, List<String> ids, long refreshedAt) {
		this(consumer, ids);
		this.refreshedAt = refreshedAt;
	}

	String consumer() {
		return this.consumer;
	}

	List<String> ids() {
		return this.ids;
	}

	long refreshedAt() {
		return this.refreshedAt;
	}

	void refreshed(long nanoTime) {
		this.refreshedAt = nanoTime;
	}

}
