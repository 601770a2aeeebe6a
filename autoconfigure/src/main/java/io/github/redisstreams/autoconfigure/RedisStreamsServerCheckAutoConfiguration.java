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

import io.lettuce.core.RedisClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterDestinationResolver;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.DeadLetterStreams;
import io.github.redisstreams.deadletter.RedisDeadLetterPublisher;
import io.github.redisstreams.publish.DelayedDeliveryMover;
import io.github.redisstreams.support.RedisPermissionCheck;
import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.RedisServerInfo;
import io.github.redisstreams.support.RedisServerProbe;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the {@link RedisServerProbe} and of the check of the Redis server
 * at startup: the application does not start against a server older than Redis 6.2 (one
 * without {@code XAUTOCLAIM}; an {@link IllegalStateException} once all singletons
 * exist), and logs a warning for each setting that can lose messages. If Redis cannot be
 * reached at startup, a warning is logged and the check is left to the health indicator.
 * <p>
 * It also checks that the Redis user may send every command the starter will send (see
 * {@code redis.streams.permission-check}): a missing ACL rule fails the startup with a
 * message naming it, or is logged and reported by the health.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RedisStreamsAutoConfiguration.class)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisClient.class })
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBean(RedisStreamListenerRegistry.class)
public final class RedisStreamsServerCheckAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisServerProbe redisServerProbe(RedisConnectionFactory connectionFactory) {
		return new RedisServerProbe(connectionFactory);
	}

	@Bean
	StartupServerCheck redisStreamsStartupServerCheck(RedisServerProbe redisServerProbe,
			ObjectProvider<PermissionsCheck> permissionsCheck, RedisStreamsProperties properties) {
		return new StartupServerCheck(redisServerProbe, permissionsCheck.getIfAvailable(),
				properties.getPermissionCheck());
	}

	@Bean
	PermissionsCheck redisStreamsPermissionsCheck(RedisConnectionFactory connectionFactory,
			RedisStreamListenerRegistry registry, ObjectProvider<DeadLetterDestinationResolver> destinationResolver,
			ObjectProvider<DeadLetterPublisher> deadLetterPublisher,
			ObjectProvider<DeadLetterStreams> deadLetterStreams, ObjectProvider<DelayedDeliveryMover> mover) {
		DeadLetterPublisher publisher = deadLetterPublisher.getIfAvailable();
		return new PermissionsCheck(new RedisPermissionCheck(connectionFactory), registry,
				destinationResolver.getIfAvailable(() -> DeadLetterDestinationResolver.DEFAULT),
				publisher == null || publisher instanceof RedisDeadLetterPublisher,
				deadLetterStreams.getIfAvailable() != null, mover.getIfAvailable() != null);
	}

	/**
	 * Probes the server once all singletons exist, before listeners start.
	 */
	static final class StartupServerCheck implements SmartInitializingSingleton {

		private static final Log logger = LogFactory.getLog(RedisStreamsServerCheckAutoConfiguration.class);

		private final RedisServerProbe probe;

		private final @Nullable PermissionsCheck permissionsCheck;

		private final RedisStreamsProperties.PermissionCheck mode;

		StartupServerCheck(RedisServerProbe probe, @Nullable PermissionsCheck permissionsCheck,
				RedisStreamsProperties.PermissionCheck mode) {
			this.probe = probe;
			this.permissionsCheck = permissionsCheck;
			this.mode = mode;
		}

		@Override
		public void afterSingletonsInstantiated() {
			RedisServerInfo info;
			try {
				info = this.probe.getServerInfo();
			}
			catch (DataAccessException ex) {
				logger.warn("Redis Streams could not check the Redis server at startup (" + RedisRefusal.describe(ex)
						+ "); the check runs again when the health is requested");
				return;
			}
			info.assertSupported();
			String missing = (this.permissionsCheck != null && this.mode != RedisStreamsProperties.PermissionCheck.NONE)
					? this.permissionsCheck.checkAtStartup() : null;
			if (missing != null) {
				if (this.mode == RedisStreamsProperties.PermissionCheck.FAIL) {
					throw new IllegalStateException(missing);
				}
				logger.error(missing);
			}
		}

	}

}
