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

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.RedisDeadLetterPublisher;
import io.github.redisstreams.listener.ListenerMetrics;
import io.github.redisstreams.metrics.MicrometerDelayedDeliveryMetrics;
import io.github.redisstreams.metrics.MicrometerListenerMetrics;
import io.github.redisstreams.metrics.StreamStatisticsMetrics;
import io.github.redisstreams.publish.DelayedDeliveryMetrics;
import io.github.redisstreams.support.StreamStatisticsReader;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the Micrometer meters of Redis Streams listeners: counters of
 * retries, dead letters, reclaims, lost payloads and acknowledgements, the end-to-end
 * latency timer, and the stream and group gauges. (The per-invocation timer
 * {@code redis.streams.listener} comes from the listener observation.)
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RedisStreamsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, RedisStreamListenerRegistry.class })
public final class RedisStreamsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ListenerMetrics.class)
	MicrometerListenerMetrics redisStreamsListenerMetrics(MeterRegistry meterRegistry) {
		return new MicrometerListenerMetrics(meterRegistry);
	}

	@Bean
	@ConditionalOnMissingBean(DelayedDeliveryMetrics.class)
	MicrometerDelayedDeliveryMetrics redisStreamsDelayedDeliveryMetrics(MeterRegistry meterRegistry) {
		return new MicrometerDelayedDeliveryMetrics(meterRegistry);
	}

	@Bean
	MeterBinder redisStreamsDeadLetterDropsMeterBinder(ObjectProvider<DeadLetterPublisher> deadLetterPublisher) {
		return (registry) -> {
			if (deadLetterPublisher.getIfUnique() instanceof RedisDeadLetterPublisher publisher) {
				FunctionCounter
					.builder("redis.streams.dead.letters.dropped", publisher, RedisDeadLetterPublisher::getDroppedCount)
					.description("Dead letters trimmed away because a dead-letter stream reached its maximum length")
					.register(registry);
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	StreamStatisticsMetrics streamStatisticsMetrics(MeterRegistry meterRegistry,
			RedisStreamListenerRegistry listenerRegistry, StreamStatisticsReader reader,
			RedisStreamsProperties properties) {
		return new StreamStatisticsMetrics(meterRegistry, listenerRegistry, reader,
				properties.getMetrics().getRefreshInterval());
	}

}
