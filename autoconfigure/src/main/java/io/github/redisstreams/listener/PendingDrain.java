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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.models.stream.PendingMessage;

import io.github.redisstreams.support.StreamEntry;

/**
 * The drain of a consumer's own pending entries list after every (re)connection: the
 * entries delivered to it before and not acknowledged are read again, page by page
 * ({@code XREADGROUP GROUP g c COUNT n STREAMS s <id>} from {@code 0}), with their
 * delivery counts ({@code XPENDING s g <first> <last> n c}), until a page comes back
 * empty. Used by the consumer's thread only.
 */
final class PendingDrain {

	private final ContainerSettings settings;

	private final String name;

	private final Consumer<String> consumer;

	private final Duration commandTimeout;

	private boolean draining = true;

	private String cursor = "0";

	PendingDrain(ContainerSettings settings, String name, Duration commandTimeout) {
		this.settings = settings;
		this.name = name;
		this.consumer = Consumer.from(settings.group(), name);
		this.commandTimeout = commandTimeout;
	}

	/**
	 * Return whether the drain has pages left to read.
	 * @return whether draining
	 */
	boolean isDraining() {
		return this.draining;
	}

	/**
	 * Drain again from the start, after a (re)connection or a recreated group.
	 */
	void restart() {
		this.draining = true;
		this.cursor = "0";
	}

	/**
	 * Read the next page; an empty one ends the drain.
	 * @param connection the consumer's connection
	 * @param count the most entries to read
	 * @return the page, empty at the end
	 * @throws Exception when Redis failed
	 */
	EntryBatch read(StreamConnection connection, int count) throws Exception {
		List<StreamEntry> entries = connection.await(EntriesOutput.readGroup(connection, this.settings.group(),
				this.name, count, -1, this.settings.stream(), this.cursor), this.commandTimeout);
		advance(entries);
		return entries.isEmpty() ? EntryBatch.EMPTY : new EntryBatch(entries, deliveryCounts(connection, entries),
				Collections.emptyList(), this.name, null);
	}

	private void advance(List<StreamEntry> messages) {
		if (messages.isEmpty()) {
			this.draining = false;
			this.cursor = "0";
		}
		else {
			this.cursor = messages.get(messages.size() - 1).getId();
		}
	}

	private Map<String, Long> deliveryCounts(StreamConnection connection, List<StreamEntry> messages) throws Exception {
		String first = messages.get(0).getId();
		String last = messages.get(messages.size() - 1).getId();
		List<PendingMessage> pending = connection.await(connection.streams()
			.xpending(this.settings.stream(), this.consumer, Range.create(first, last), Limit.from(messages.size())),
				this.commandTimeout);
		Map<String, Long> counts = new HashMap<>();
		for (PendingMessage message : pending) {
			counts.put(message.getId(), message.getRedeliveryCount());
		}
		return counts;
	}

}
