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

package io.github.redisstreams.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.listener.ListenerSettings;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.support.StreamKeys;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * How many partitions each stream has, for the publisher: from
 * {@code redis.streams.publish.partitions.<stream>} and, once every singleton exists,
 * from the application's own partitioned listeners. Fails the startup where the two
 * disagree or a configured count is out of range, naming the property and the listener.
 * <p>
 * Thread-safe: the counts are replaced once, when the singletons are instantiated.
 */
final class PublishPartitions implements ToIntFunction<String>, SmartInitializingSingleton {

	private final Map<String, Integer> configured;

	private final ObjectProvider<RedisStreamListenerRegistry> registry;

	private volatile Map<String, Integer> counts;

	PublishPartitions(Map<String, Integer> configured, ObjectProvider<RedisStreamListenerRegistry> registry) {
		for (Map.Entry<String, Integer> entry : configured.entrySet()) {
			int count = entry.getValue();
			if (count < 0 || count > ListenerSettings.MAX_PARTITIONS) {
				throw new IllegalStateException("redis.streams.publish.partitions." + entry.getKey()
						+ " must be from 0 (a plain stream) to " + ListenerSettings.MAX_PARTITIONS + ", was " + count);
			}
			if (count > 0) {
				try {
					StreamKeys.checkPartitionable(entry.getKey());
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalStateException(
							"redis.streams.publish.partitions." + entry.getKey() + ": " + ex.getMessage());
				}
			}
		}
		this.configured = Map.copyOf(configured);
		this.registry = registry;
		this.counts = this.configured;
	}

	@Override
	public int applyAsInt(String stream) {
		return this.counts.getOrDefault(stream, 0);
	}

	@Override
	public void afterSingletonsInstantiated() {
		RedisStreamListenerRegistry listeners = this.registry.getIfAvailable();
		if (listeners == null) {
			return;
		}
		Map<String, Integer> counts = new LinkedHashMap<>(this.configured);
		Map<String, StreamListenerContainer> owners = new LinkedHashMap<>();
		for (StreamListenerContainer listener : listeners.getListenerContainers()) {
			String stream = listener.getStream();
			int partitions = listener.getSettings().getPartitions();
			StreamListenerContainer first = owners.putIfAbsent(stream, listener);
			if (first != null && first.getSettings().getPartitions() != partitions) {
				throw conflict(stream, first.getSettings().getPartitions(), "listener '" + first.getListenerId() + "'",
						partitions, listener);
			}
			Integer configured = this.configured.get(stream);
			if (configured != null && configured != partitions) {
				throw conflict(stream, configured, "redis.streams.publish.partitions." + stream, partitions, listener);
			}
			if (partitions > 0) {
				counts.put(stream, partitions);
			}
		}
		this.counts = Map.copyOf(counts);
	}

	private static IllegalStateException conflict(String stream, int known, String source, int partitions,
			StreamListenerContainer listener) {
		return new IllegalStateException("Stream '" + stream + "' has " + known + " partitions for " + source + " but "
				+ partitions + " for listener '" + listener.getListenerId()
				+ "'; every listener and publisher of a stream must agree on its partitions (0: a plain stream)");
	}

}
