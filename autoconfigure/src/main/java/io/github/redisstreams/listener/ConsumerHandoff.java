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
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;

/**
 * Hands reclaimed entries to the running consumer with the most room, round robin among
 * equals: a page claimed for the room {@link #room()} measured goes to the consumer it
 * measured, while that one runs, even if another has more room by then. Used by the
 * reclaimer's thread only.
 */
final class ConsumerHandoff implements ClaimRounds.Handoff {

	private final List<StreamConsumer> consumers;

	private int next;

	/** The consumer {@link #room()} measured: the page claimed for it goes to it. */
	private @Nullable StreamConsumer measured;

	ConsumerHandoff(List<StreamConsumer> consumers) {
		this.consumers = consumers;
	}

	@Override
	public int room() {
		StreamConsumer receiver = receiver();
		this.measured = receiver;
		return (receiver != null) ? receiver.handOverRoom() : 0;
	}

	@Override
	public boolean handOver(String owner, List<StreamEntry> entries, Map<String, Long> deliveryCounts,
			List<String> lost) {
		StreamConsumer receiver = this.measured;
		this.measured = null;
		if (receiver == null || !receiver.isRunning()) {
			receiver = receiver();
		}
		if (receiver == null) {
			return false;
		}
		this.next++;
		receiver.handOver(owner, entries, deliveryCounts, lost);
		return true;
	}

	private @Nullable StreamConsumer receiver() {
		StreamConsumer best = null;
		int bestRoom = -1;
		for (int tried = 0; tried < this.consumers.size(); tried++) {
			StreamConsumer consumer = this.consumers.get(Math.floorMod(this.next + tried, this.consumers.size()));
			if (consumer.isRunning()) {
				int room = consumer.handOverRoom();
				if (room > bestRoom) {
					best = consumer;
					bestRoom = room;
				}
			}
		}
		return best;
	}

}
