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

import io.github.redisstreams.support.StreamKeys;

/**
 * Removes the consumer groups of a broadcast listener's instances that are gone. Each
 * instance reads through a group of its own, {@code <group>.<instance id>}; an instance
 * that stops for good (a pod replaced by one with another name) leaves its group behind,
 * which would hold back retention and show as lag forever. A group is gone when its
 * instance holds no lease on its id ({@code {stream}:instance:<group>:<id>}, renewed
 * every second by a live instance) and none of its consumers has tried to read for longer
 * than {@code reclaim.dead-consumer-timeout} ({@code idle}). Only groups recorded in
 * {@code {stream}:broadcast:<group>} by their instance are candidates, never another
 * listener's or application's group that shares the prefix. Its pending entries go with
 * it: they were delivered to that instance only, every other instance has its own copy.
 * Then {@code XGROUP DESTROY} and the group's retry schedule is deleted. Run by every
 * instance's reclaimer.
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
		String registry = StreamKeys.derive(settings.stream(), ":broadcast:" + configured);
		long threshold = settings.values().getDeadConsumerTimeout().toMillis();
		List<String> removed = new ArrayList<>();
		for (String instanceId : connection.await(connection.hashes().hkeys(registry), timeout)) {
			String group = configured + ListenerSettings.BROADCAST_SEPARATOR + instanceId;
			if (group.equals(settings.group())) {
				continue;
			}
			String lease = StreamKeys.instanceLease(settings.stream(), configured, instanceId);
			if (connection.await(connection.keys().exists(lease), timeout) > 0) {
				continue;
			}
			List<Object> consumers;
			try {
				consumers = connection.await(connection.streams().xinfoConsumers(settings.stream(), group), timeout);
			}
			catch (Exception ex) {
				if (!String.valueOf(EntryReader.unwrap(ex).getMessage()).startsWith("NOGROUP")) {
					throw ex;
				}
				// removed already (by another instance, or by hand)
				connection.await(connection.hashes().hdel(registry, instanceId), timeout);
				continue;
			}
			if (!allIdle(consumers, threshold)) {
				continue;
			}
			connection.await(connection.streams().xgroupDestroy(settings.stream(), group), timeout);
			connection.await(connection.keys().del(StreamKeys.retrySchedule(settings.stream(), group)), timeout);
			connection.await(connection.hashes().hdel(registry, instanceId), timeout);
			removed.add(group);
		}
		return removed;
	}

	/**
	 * Record this instance's group as a broadcast group of the listener, so that other
	 * instances may remove it once it is gone: only groups recorded so are ever removed,
	 * never another listener's or application's group that happens to share the prefix.
	 * @param connection the container's control connection
	 * @param settings the broadcast listener's settings
	 * @param timeout how long the command may take
	 * @throws Exception if Redis failed
	 */
	static void register(StreamConnection connection, ContainerSettings settings, Duration timeout) throws Exception {
		String registry = StreamKeys.derive(settings.stream(), ":broadcast:" + settings.values().getConfiguredGroup());
		connection.await(connection.hashes()
			.hset(registry, settings.values().getInstanceId(), settings.group().getBytes(StandardCharsets.UTF_8)),
				timeout);
	}

	private static boolean allIdle(List<Object> consumers, long threshold) {
		for (Object consumer : consumers) {
			// 'idle' (since the last read attempted), not 'inactive' (since the last one
			// that returned entries): a live instance on a quiet stream reads every poll
			// timeout and gets nothing
			Object idle = Claimed.fields(consumer).get("idle");
			if (!(idle instanceof Number number) || number.longValue() <= threshold) {
				return false;
			}
		}
		return true;
	}

}
