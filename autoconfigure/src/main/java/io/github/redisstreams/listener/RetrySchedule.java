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
import java.util.List;

import io.lettuce.core.RedisFuture;

import io.github.redisstreams.support.LuaScript;

/**
 * The retry schedule of a consumer group: failed entries waiting for their next delivery.
 * <p>
 * A failed entry waiting for its retry is <em>parked</em>: owned by the reserved consumer
 * {@value #PARKING_CONSUMER} and listed in the group's retry schedule (a sorted set of
 * due times, {@code StreamKeys.retrySchedule}, in the stream's hash slot). No consumer's
 * own pending list holds it, so a reconnecting consumer does not deliver it early, and
 * the reclaimer puts it back where it was. Both scripts ({@code schedule-retries.lua},
 * {@code claim-due.lua}) run atomically and handle both reply shapes of an entry deleted
 * while pending: Redis 6.2 replies {@code nil} and keeps it pending, Redis 7.x drops it
 * from the pending list and omits it.
 * <p>
 * Due times are read on the application's clock ({@link System#currentTimeMillis()}),
 * passed to the scripts, so that the Redis user needs no {@code +time}: the instances'
 * clocks should agree (NTP) to within a small part of the retry delay, or a retry comes
 * that much early or late.
 */
final class RetrySchedule {

	/**
	 * The consumer that owns entries waiting for their retry.
	 */
	static final String PARKING_CONSUMER = "redis-streams:retry-scheduled";

	private static final LuaScript SCHEDULE_RETRIES = LuaScript.load(RetrySchedule.class, "schedule-retries.lua");

	private static final LuaScript CLAIM_DUE = LuaScript.load(RetrySchedule.class, "claim-due.lua");

	private RetrySchedule() {
	}

	/**
	 * Park failed entries and schedule their next delivery, in one script sent without
	 * waiting (so that it is pipelined with what follows on the connection). The script's
	 * text is sent ({@code EVAL}), so that no {@code NOSCRIPT} can come back.
	 * @return the reply: the number of entries parked, in a one-element list
	 */
	static RedisFuture<List<Object>> park(StreamConnection connection, ContainerSettings settings,
			List<RetryParking.Request> requests) {
		byte[][] values = new byte[3 + requests.size() * 4][];
		values[0] = bytes(settings.group());
		values[1] = bytes(PARKING_CONSUMER);
		values[2] = bytes(Long.toString(System.currentTimeMillis()));
		int i = 3;
		for (RetryParking.Request request : requests) {
			values[i++] = bytes(request.id());
			values[i++] = bytes(Long.toString(request.delay().toMillis()));
			values[i++] = bytes(request.owner());
			values[i++] = bytes(Long.toString(request.attempts()));
		}
		return SCHEDULE_RETRIES.send(connection.scripting(), keys(settings), values);
	}

	/**
	 * Claim the entries whose retry is due to {@code consumer}.
	 */
	static Claimed claimDue(StreamConnection connection, ContainerSettings settings, String consumer, int count,
			Duration timeout) throws Exception {
		List<Object> result = Scripts.run(connection, CLAIM_DUE, timeout, keys(settings), settings.group(), consumer,
				Integer.toString(count), Long.toString(System.currentTimeMillis()));
		long wait = ((Number) result.get(3)).longValue();
		return new Claimed(settings.stream(), result.get(0), result.get(1), result.get(2), null,
				(wait >= 0) ? Duration.ofMillis(wait) : null);
	}

	static String[] keys(ContainerSettings settings) {
		return new String[] { settings.stream(), settings.retrySchedule() };
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
