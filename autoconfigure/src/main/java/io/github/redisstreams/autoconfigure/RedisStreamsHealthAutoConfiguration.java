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

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterDestinationResolver;
import io.github.redisstreams.health.RedisStreamsHealthIndicator;
import io.github.redisstreams.support.RedisServerProbe;
import io.github.redisstreams.support.StreamStatisticsReader;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * Auto-configuration of the {@code redisstreams} health indicator.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { RedisStreamsAutoConfiguration.class, RedisStreamsServerCheckAutoConfiguration.class })
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ RedisStreamListenerRegistry.class, RedisServerProbe.class, RedisConnectionFactory.class })
@ConditionalOnEnabledHealthIndicator("redisstreams")
@EnableConfigurationProperties(RedisStreamsProperties.class)
public final class RedisStreamsHealthAutoConfiguration {

	/**
	 * The name of the indicator's bean. Spring Boot names the health component after the
	 * bean, without the {@code HealthIndicator} suffix: {@code redisstreams}.
	 */
	static final String BEAN_NAME = "redisstreamsHealthIndicator";

	@Bean(BEAN_NAME)
	@ConditionalOnMissingBean(name = BEAN_NAME)
	RedisStreamsHealthIndicator redisstreamsHealthIndicator(RedisStreamListenerRegistry registry,
			RedisServerProbe serverProbe, RedisConnectionFactory connectionFactory,
			ObjectProvider<StreamStatisticsReader> statisticsReader, RedisStreamsProperties properties,
			ObjectProvider<DeadLetterDestinationResolver> destinationResolver,
			ObjectProvider<PermissionsCheck> permissionsCheck) {
		RedisStreamsProperties.Health health = properties.getHealth();
		checkNotNegative("failing-threshold", health.getFailingThreshold());
		checkNotNegative("max-oldest-pending-age", health.getMaxOldestPendingAge());
		Long growth = health.getMaxDeadLetterGrowth();
		Assert.isTrue(growth == null || growth >= 0,
				() -> "redis.streams.health.max-dead-letter-growth must not be negative, but was " + growth);
		RedisStreamsHealthIndicator indicator = new RedisStreamsHealthIndicator(registry,
				statisticsReader.getIfAvailable(() -> new StreamStatisticsReader(connectionFactory,
						destinationResolver.getIfAvailable(() -> DeadLetterDestinationResolver.DEFAULT)::resolve)),
				serverProbe);
		permissionsCheck.ifAvailable(indicator::setPermissionProblem);
		indicator.setFailingThreshold(health.getFailingThreshold());
		indicator.setMaxOldestPendingAge(health.getMaxOldestPendingAge());
		indicator.setMaxDeadLetterGrowth(health.getMaxDeadLetterGrowth());
		indicator.setThresholdStatus(
				(health.getThresholdStatus() == RedisStreamsProperties.Health.ThresholdStatus.OUT_OF_SERVICE)
						? Status.OUT_OF_SERVICE : Status.UP);
		return indicator;
	}

	private static void checkNotNegative(String property, @Nullable Duration value) {
		Assert.isTrue(value == null || !value.isNegative(),
				() -> "redis.streams.health." + property + " must not be negative, but was " + value);
	}

}
