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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.support.StreamEntry.Field;

/**
 * Entries claimed by a script, their delivery counts, and ids whose payload is gone.
 */
final class Claimed {

	final List<StreamEntry> entries = new ArrayList<>();

	final Map<String, Long> deliveryCounts = new LinkedHashMap<>();

	/** Ids claimed but deleted from the stream: still pending on 6.2. */
	final List<String> lost = new ArrayList<>();

	/**
	 * Ids deleted from the stream that Redis 7.x already dropped from the pending list.
	 */
	final List<String> deleted = new ArrayList<>();

	final @Nullable Duration nextDue;

	Claimed(String stream, Object entries, Object counts, Object lost, @Nullable Object deleted,
			@Nullable Duration nextDue) {
		this.nextDue = nextDue;
		List<?> entryList = (List<?>) entries;
		List<?> countList = (List<?>) counts;
		for (int i = 0; i < entryList.size(); i++) {
			List<?> entry = (List<?>) entryList.get(i);
			String id = string(entry.get(0));
			List<Field> fields = new ArrayList<>();
			if (entry.size() > 1 && entry.get(1) instanceof List<?> pairs) {
				for (int j = 0; j + 1 < pairs.size(); j += 2) {
					fields.add(new Field((byte[]) pairs.get(j), (byte[]) pairs.get(j + 1)));
				}
			}
			this.entries.add(new StreamEntry(id, stream, fields));
			this.deliveryCounts.put(id, ((Number) countList.get(i)).longValue());
		}
		((List<?>) lost).forEach((id) -> this.lost.add(string(id)));
		if (deleted instanceof List<?> deletedList) {
			deletedList.forEach((id) -> this.deleted.add(string(id)));
		}
	}

	boolean isEmpty() {
		return this.entries.isEmpty() && this.lost.isEmpty() && this.deleted.isEmpty();
	}

	/**
	 * Return the fields of an {@code XINFO} reply: alternating names and values (RESP2),
	 * or a map (RESP3).
	 * @param reply the reply
	 * @return the values by name
	 */
	static Map<String, Object> fields(@Nullable Object reply) {
		Map<String, Object> fields = new HashMap<>();
		if (reply instanceof List<?> list) {
			for (int i = 0; i + 1 < list.size(); i += 2) {
				fields.put(string(list.get(i)), list.get(i + 1));
			}
		}
		else if (reply instanceof Map<?, ?> map) {
			map.forEach((key, value) -> fields.put(string(key), value));
		}
		return fields;
	}

	static String string(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(value);
	}

	/**
	 * One step of the reclaimer.
	 *
	 * @param cursor the cursor to continue from
	 * @param claimed what was claimed
	 */
	record Reclaimed(String cursor, Claimed claimed) {

	}

}
