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

package io.github.redisstreams.config;

import io.github.redisstreams.listener.StreamListenerContainer;

/**
 * Creates the container that runs a listener endpoint. The bean named
 * {@value RedisStreamListenerConfigUtils#DEFAULT_CONTAINER_FACTORY_BEAN_NAME} is used for
 * every {@code @RedisListener}; define a bean with that name to replace it.
 * <p>
 * The {@code RedisStreamListenerRegistry} calls it once per endpoint, while holding its
 * lock: at startup once all singletons exist, or when a later endpoint is registered.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RedisStreamListenerContainerFactory {

	/**
	 * Create a container for the given endpoint; it is not started.
	 * @param endpoint the endpoint
	 * @return the container
	 * @throws IllegalStateException if the endpoint cannot run with this factory's
	 * settings, with a message naming the listener and the setting
	 */
	StreamListenerContainer createContainer(RedisStreamListenerEndpoint endpoint);

}
