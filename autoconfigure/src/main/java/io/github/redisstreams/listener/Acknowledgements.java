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
import java.util.List;
import java.util.Map;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.LuaScript;
import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.support.StreamKeys;

/**
 * Sends acknowledgements: one multi-id {@code XACK}, or, where some carry the idempotency
 * key of an entry processed by an idempotent listener, one script that acknowledges them
 * all and records each key for the idempotency TTL ({@code ack-record.lua}: {@code XACK}
 * and {@code SET ... PX}, so a key is recorded exactly when its entry is acknowledged).
 * Also reads which entries of a batch were processed already ({@code MGET} of their
 * keys). The keys are {@code {stream}:processed:<n>:<group>:<key>}
 * ({@link StreamKeys#processed}), in the stream's hash slot.
 */
final class Acknowledgements {

	private static final LuaScript ACK_RECORD = LuaScript.load(Acknowledgements.class, "ack-record.lua");

	private Acknowledgements() {
	}

	/**
	 * Send the acknowledgement of drained ids, without waiting.
	 * @return the reply, read with {@link #count(Object)}
	 */
	static RedisFuture<?> send(StreamConnection connection, ContainerSettings settings, List<String> ids,
			AckBuffer acks) {
		Map<String, String> keys = acks.keysOf(ids);
		if (keys.isEmpty()) {
			return connection.streams().xack(settings.stream(), settings.group(), ids.toArray(String[]::new));
		}
		String[] redisKeys = new String[keys.size() + 1];
		redisKeys[0] = settings.stream();
		List<byte[]> args = new ArrayList<>();
		args.add(bytes(settings.group()));
		args.add(bytes(Long.toString(settings.values().getIdempotencyTtl().toMillis())));
		args.add(bytes(Integer.toString(keys.size())));
		int i = 1;
		for (Map.Entry<String, String> keyed : keys.entrySet()) {
			redisKeys[i++] = processedKey(settings, keyed.getValue());
			args.add(bytes(keyed.getKey()));
		}
		for (String id : ids) {
			if (!keys.containsKey(id)) {
				args.add(bytes(id));
			}
		}
		return ACK_RECORD.send(connection.scripting(), redisKeys, args.toArray(byte[][]::new));
	}

	/**
	 * Return how many entries a reply of {@link #send} says were acknowledged.
	 * @param reply the reply: {@code XACK}'s count, or the script's one-element list
	 * @return the count, or -1 if the reply says nothing
	 */
	static long count(@Nullable Object reply) {
		if (reply instanceof Number number) {
			return number.longValue();
		}
		if (reply instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Number number) {
			return number.longValue();
		}
		return -1;
	}

	/**
	 * Return the idempotency key of an entry, if the listener is idempotent and the entry
	 * has the header.
	 * @return the key, or {@code null}
	 */
	static @Nullable String keyOf(ContainerSettings settings, StreamEntry entry) {
		String header = settings.values().getIdempotencyHeader();
		if (header == null) {
			return null;
		}
		for (StreamEntry.Field field : entry.getFieldList()) {
			if (field.nameEquals(header)) {
				String value = new String(field.value(), StandardCharsets.UTF_8);
				return value.isEmpty() ? null : value;
			}
		}
		return null;
	}

	/**
	 * Return the ids of the entries whose idempotency key is recorded already.
	 * @throws Exception if Redis failed
	 */
	static List<String> processedAlready(StreamConnection connection, ContainerSettings settings,
			List<StreamEntry> entries, Duration timeout) throws Exception {
		List<String> ids = new ArrayList<>();
		List<String> keys = new ArrayList<>();
		for (StreamEntry entry : entries) {
			String key = keyOf(settings, entry);
			if (key != null) {
				ids.add(entry.getId());
				keys.add(processedKey(settings, key));
			}
		}
		if (keys.isEmpty()) {
			return List.of();
		}
		List<KeyValue<String, byte[]>> values = connection.await(
				((RedisStringAsyncCommands<String, byte[]>) connection.base()).mget(keys.toArray(String[]::new)),
				timeout);
		List<String> processed = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			if (values.get(i).hasValue()) {
				processed.add(ids.get(i));
			}
		}
		return processed;
	}

	static String processedKey(ContainerSettings settings, String key) {
		return StreamKeys.processed(settings.stream(), settings.group(), key);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
