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
import java.util.Set;
import java.util.TreeSet;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterDestinationResolver;
import io.github.redisstreams.listener.StreamListenerContainer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.StringUtils;

/**
 * Checks at startup that the {@link DeadLetterDestinationResolver} gives every consumed
 * stream a dead-letter stream of its own: not empty, not a consumed stream, and not
 * shared with another stream (redrive and purge of one stream would otherwise move or
 * delete another stream's dead letters).
 */
final class DeadLetterDestinationsCheck implements SmartInitializingSingleton {

	private final ObjectProvider<RedisStreamListenerRegistry> registry;

	private final ObjectProvider<DeadLetterDestinationResolver> resolver;

	DeadLetterDestinationsCheck(ObjectProvider<RedisStreamListenerRegistry> registry,
			ObjectProvider<DeadLetterDestinationResolver> resolver) {
		this.registry = registry;
		this.resolver = resolver;
	}

	@Override
	public void afterSingletonsInstantiated() {
		RedisStreamListenerRegistry listeners = this.registry.getIfAvailable();
		if (listeners == null) {
			return;
		}
		DeadLetterDestinationResolver destinations = this.resolver
			.getIfAvailable(() -> DeadLetterDestinationResolver.DEFAULT);
		Set<String> streams = new TreeSet<>();
		for (StreamListenerContainer listener : listeners.getListenerContainers()) {
			for (StreamListenerContainer container : listener.getStreamContainers()) {
				streams.add(container.getStream());
			}
		}
		Map<String, String> owners = new LinkedHashMap<>();
		for (String stream : streams) {
			String deadLetterStream = destinations.resolve(stream);
			if (!StringUtils.hasText(deadLetterStream) || streams.contains(deadLetterStream)) {
				throw new IllegalStateException("The DeadLetterDestinationResolver names '" + deadLetterStream
						+ "' as the dead-letter stream of stream '" + stream
						+ "'; it must be a key of its own, not empty and not a consumed stream");
			}
			String other = owners.putIfAbsent(deadLetterStream, stream);
			if (other != null) {
				throw new IllegalStateException("The DeadLetterDestinationResolver gives streams '" + other + "' and '"
						+ stream + "' the same dead-letter stream '" + deadLetterStream
						+ "'; redrive and purge of one would act on the other's dead letters");
			}
		}
	}

}
