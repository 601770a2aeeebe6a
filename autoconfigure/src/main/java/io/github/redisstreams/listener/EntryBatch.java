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

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;

/**
 * Entries for a consumer to process: read by it, or handed over by the reclaimer.
 *
 * @param entries the entries, in stream order
 * @param deliveryCounts their delivery counts; an entry missing here was delivered once
 * @param lost ids of pending entries whose payload was deleted from the stream
 * @param owner the consumer that owns the entries in the pending entries list
 * @param held the held entries of a hand-over, refreshed while it waits; {@code null} for
 * a batch the consumer read
 */
record EntryBatch(List<StreamEntry> entries, Map<String, Long> deliveryCounts, List<String> lost, String owner,
		@Nullable HeldEntries held) {

	static final EntryBatch EMPTY = new EntryBatch(Collections.emptyList(), Collections.emptyMap(),
			Collections.emptyList(), "", null);

	boolean isEmpty() {
		return this.entries.isEmpty() && this.lost.isEmpty();
	}

}
