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
import java.util.ArrayList;
import java.util.List;

import io.github.redisstreams.support.LuaScript;

/**
 * Claims of entries that their consumer no longer works on: the reclaimer's step over
 * entries idle for longer than the minimum idle time ({@code XAUTOCLAIM}), the refresh of
 * the entries a live consumer still holds (so that they never look idle), and the removal
 * of consumers that are gone. Each is one script ({@code reclaim.lua},
 * {@code refresh-claims.lua}, {@code remove-dead-consumers.lua}).
 */
final class OrphanClaims {

	private static final LuaScript RECLAIM = LuaScript.load(OrphanClaims.class, "reclaim.lua");

	private static final LuaScript REFRESH = LuaScript.load(OrphanClaims.class, "refresh-claims.lua");

	private static final LuaScript REMOVE_DEAD_CONSUMERS = LuaScript.load(OrphanClaims.class,
			"remove-dead-consumers.lua");

	private OrphanClaims() {
	}

	/**
	 * Claim entries idle for longer than the minimum idle time to {@code claimer},
	 * following the cursor one step.
	 */
	static Claimed.Reclaimed reclaim(StreamConnection connection, ContainerSettings settings, String claimer,
			String cursor, int count, Duration timeout) throws Exception {
		List<Object> result = Scripts.run(connection, RECLAIM, timeout, RetrySchedule.keys(settings), settings.group(),
				claimer, Long.toString(settings.values().getMinIdleTime().toMillis()), cursor, Integer.toString(count),
				RetrySchedule.PARKING_CONSUMER);
		return new Claimed.Reclaimed(Claimed.string(result.get(0)),
				new Claimed(settings.stream(), result.get(1), result.get(2), result.get(3), result.get(4), null));
	}

	/**
	 * Reset the idle time of entries still owned by {@code consumer}.
	 */
	static long refresh(StreamConnection connection, ContainerSettings settings, String consumer, List<String> ids,
			Duration timeout) throws Exception {
		List<String> args = new ArrayList<>();
		args.add(settings.group());
		args.add(consumer);
		args.addAll(ids);
		List<Object> result = Scripts.run(connection, REFRESH, timeout, new String[] { settings.stream() },
				args.toArray(String[]::new));
		return result.isEmpty() ? 0 : ((Number) result.get(0)).longValue();
	}

	/**
	 * Remove consumers with nothing pending that were idle for longer than the timeout.
	 */
	static List<String> removeDeadConsumers(StreamConnection connection, ContainerSettings settings,
			List<String> protectedNames, Duration timeout) throws Exception {
		List<String> args = new ArrayList<>();
		args.add(settings.group());
		args.add(Long.toString(settings.values().getDeadConsumerTimeout().toMillis()));
		args.add(RetrySchedule.PARKING_CONSUMER);
		args.addAll(protectedNames);
		List<Object> result = Scripts.run(connection, REMOVE_DEAD_CONSUMERS, timeout,
				new String[] { settings.stream() }, args.toArray(String[]::new));
		return result.stream().map(Claimed::string).toList();
	}

}
