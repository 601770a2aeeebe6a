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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.redisstreams.listener.StreamConnections.StreamConnection;
import io.github.redisstreams.support.StreamKeys;

/**
 * Removes the consumer groups of a broadcast listener's instances that are gone. Each
 * instance reads through a group of its own, {@code <group>.<instance id>}; an instance
 * that stops for good (a pod replaced by one with another name) leaves its group behind,
 * which would hold back retention and show as lag forever. A group is gone when its
 * instance holds no lease on its id ({@code {stream}:instance:<group>:<id>}, renewed
 * every second by a live instance) and none of its consumers has read for longer than
 * {@code reclaim.dead-consumer-timeout} ({@code inactive} since Redis 7.2, else
 * {@code idle}). Its pending entries go with it: they were delivered to that instance
 * only, every other instance has its own copy. Then {@code XGROUP DESTROY} and the
 * group's retry schedule is deleted. Run by every instance's reclaimer.
 */
final class BroadcastGroups {

	private BroadcastGroups() {
	}

	/**
	 * Remove the groups of gone instances.
	 * @param connection the container's control connection
	 * @param settings the broadcast listener's settings
	 * @param timeout how long each command may take
	 * @return the groups removed
	 * @throws Exception if Redis failed
	 */
	static List<String> removeGone(StreamConnection connection, ContainerSettings settings, Duration timeout)
			throws Exception {
		String configured = settings.values().getConfiguredGroup();
		String prefix = configured + ListenerSettings.BROADCAST_SEPARATOR;
		long threshold = settings.values().getDeadConsumerTimeout().toMillis();
		List<String> removed = new ArrayList<>();
		for (Object group : connection.await(connection.streams().xinfoGroups(settings.stream()), timeout)) {
			String name = Claimed.string(fields(group).get("name"));
			if (!name.startsWith(prefix) || name.equals(settings.group()) || name.length() == prefix.length()) {
				continue;
			}
			String instanceId = name.substring(prefix.length());
			String lease = StreamKeys.instanceLease(settings.stream(), configured, instanceId);
			if (connection.await(connection.keys().exists(lease), timeout) > 0
					|| !allIdle(connection.await(connection.streams().xinfoConsumers(settings.stream(), name), timeout),
							threshold)) {
				continue;
			}
			connection.await(connection.streams().xgroupDestroy(settings.stream(), name), timeout);
			connection.await(connection.keys().del(StreamKeys.retrySchedule(settings.stream(), name)), timeout);
			removed.add(name);
		}
		return removed;
	}

	private static boolean allIdle(List<Object> consumers, long threshold) {
		for (Object consumer : consumers) {
			Map<String, Object> info = fields(consumer);
			Object idle = info.get("inactive");
			if (!(idle instanceof Number number) || number.longValue() < 0) {
				idle = info.get("idle");
			}
			if (!(idle instanceof Number number) || number.longValue() <= threshold) {
				return false;
			}
		}
		return true;
	}

	private static Map<String, Object> fields(Object reply) {
		Map<String, Object> fields = new HashMap<>();
		if (reply instanceof List<?> list) {
			for (int i = 0; i + 1 < list.size(); i += 2) {
				fields.put(Claimed.string(list.get(i)), list.get(i + 1));
			}
		}
		else if (reply instanceof Map<?, ?> map) {
			map.forEach((key, value) -> fields.put(Claimed.string(key), value));
		}
		return fields;
	}

}
