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

/**
 * Names of the infrastructure beans. They are fully qualified so that they never clash
 * with user beans, nor with Spring Data Redis's own Pub/Sub {@code @RedisListener}
 * infrastructure ({@code org.springframework.data.redis.config.internal...}).
 *
 * @since 0.1.0
 */
public final class RedisStreamListenerConfigUtils {

	/**
	 * Bean name of the post-processor that detects {@code @RedisListener} methods.
	 */
	public static final String REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME = "io.github.redisstreams.config.internalRedisStreamListenerAnnotationProcessor";

	/**
	 * Bean name of the {@link RedisStreamListenerRegistry}.
	 */
	public static final String REDIS_LISTENER_REGISTRY_BEAN_NAME = "io.github.redisstreams.config.internalRedisStreamListenerRegistry";

	/**
	 * Bean name of the container factory that listeners use.
	 */
	public static final String DEFAULT_CONTAINER_FACTORY_BEAN_NAME = "redisStreamListenerContainerFactory";

	private RedisStreamListenerConfigUtils() {
	}

}
