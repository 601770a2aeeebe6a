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

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.DefaultRedisStreamListenerContainerFactory;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.config.RedisStreamListenerSettingsCustomizer;
import io.github.redisstreams.deadletter.DeadLetterDestinationResolver;
import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.listener.ListenerSettings;
import io.github.redisstreams.listener.StartPosition;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.retry.ListenerRetryPolicy;
import io.github.redisstreams.retry.StreamErrorHandler;
import io.github.redisstreams.test.RedisServerExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisStreamListenerContainerFactoryConfigurer},
 * {@link RedisStreamListenerSettingsCustomizer} beans and the replaceable SPIs.
 */
class ListenerSettingsConfigurationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final String[] EVERY_PROPERTY = { "redis.streams.listener.group=billing",
			"redis.streams.listener.instance-id=node-7", "redis.streams.listener.concurrency=3",
			"redis.streams.listener.batch-size=25", "redis.streams.listener.read-ahead=false",
			"redis.streams.listener.observation-enabled=true", "redis.streams.listener.poll-timeout=150ms",
			"redis.streams.listener.shutdown-timeout=3s", "redis.streams.listener.start-position=end",
			"redis.streams.listener.auto-startup=false", "redis.streams.listener.recovery.delay=50ms",
			"redis.streams.listener.recovery.multiplier=1.5", "redis.streams.listener.recovery.max-delay=5s",
			"redis.streams.listener.recovery.jitter=0ms", "redis.streams.retry.max-retries=6",
			"redis.streams.retry.delay=300ms", "redis.streams.retry.multiplier=3", "redis.streams.retry.max-delay=20s",
			"redis.streams.retry.jitter=0ms",
			"redis.streams.retry.not-retryable-exceptions=java.util.NoSuchElementException",
			"redis.streams.reclaim.interval=2s", "redis.streams.reclaim.min-idle-time=40s",
			"redis.streams.reclaim.dead-consumer-timeout=2h", "redis.streams.listeners[special].group=special-group",
			"redis.streams.listeners[special].instance-id=node-8", "redis.streams.listeners[special].concurrency=5",
			"redis.streams.listeners[special].batch-size=7", "redis.streams.listeners[special].read-ahead=true",
			"redis.streams.listeners[special].observation-enabled=false",
			"redis.streams.listeners[special].poll-timeout=100ms",
			"redis.streams.listeners[special].shutdown-timeout=4s",
			"redis.streams.listeners[special].start-position=beginning",
			"redis.streams.listeners[special].auto-startup=true",
			"redis.streams.listeners[special].recovery.delay=70ms",
			"redis.streams.listeners[special].recovery.multiplier=1.2",
			"redis.streams.listeners[special].recovery.max-delay=7s",
			"redis.streams.listeners[special].recovery.jitter=0ms",
			"redis.streams.listeners[special].retry.max-retries=1", "redis.streams.listeners[special].retry.delay=20ms",
			"redis.streams.listeners[special].retry.multiplier=1",
			"redis.streams.listeners[special].retry.max-delay=20ms",
			"redis.streams.listeners[special].retry.jitter=0ms",
			"redis.streams.listeners[special].retry.not-retryable-exceptions=java.lang.UnsupportedOperationException",
			"redis.streams.listeners[special].reclaim.interval=1s",
			"redis.streams.listeners[special].reclaim.min-idle-time=10s",
			"redis.streams.listeners[special].reclaim.dead-consumer-timeout=3h" };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisStreamsAutoConfiguration.class))
		.withPropertyValues(redis.springProperties())
		.withBean("twoListeners", TwoListeners.class);

	@Test
	void userFactoryConfiguredThroughTheConfigurerKeepsEveryProperty() {
		this.contextRunner.withUserConfiguration(UserFactoryConfiguration.class)
			.withPropertyValues(EVERY_PROPERTY)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("redisStreamListenerContainerFactory"))
					.isSameAs(context.getBean(UserFactoryConfiguration.class).factory);
				assertEveryProperty(context);
			});
	}

	@Test
	void autoConfiguredFactoryAppliesEveryProperty() {
		this.contextRunner.withPropertyValues(EVERY_PROPERTY)
			.run(ListenerSettingsConfigurationTests::assertEveryProperty);
	}

	private static void assertEveryProperty(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		ListenerSettings global = settings(context, "plain");
		assertThat(global.getGroup()).isEqualTo("billing");
		assertThat(global.getInstanceId()).isEqualTo("node-7");
		assertThat(global.getConcurrency()).isEqualTo(3);
		assertThat(global.getBatchSize()).isEqualTo(25);
		assertThat(global.isReadAhead()).isFalse();
		assertThat(global.isObservationEnabled()).isTrue();
		assertThat(global.getPollTimeout()).isEqualTo(Duration.ofMillis(150));
		assertThat(global.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(global.getStartPosition()).isEqualTo(StartPosition.END);
		assertThat(global.isAutoStartup()).isFalse();
		assertRecovery(global, 50, 1.5, 5000);
		assertRetry(global.getRetryPolicy(), 6, List.of(300L, 900L, 2700L, 8100L, 20000L, 20000L));
		assertThat(global.getRetryPolicy().decide(new NoSuchElementException(), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(global.getReclaimInterval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(global.getMinIdleTime()).isEqualTo(Duration.ofSeconds(40));
		assertThat(global.getDeadConsumerTimeout()).isEqualTo(Duration.ofHours(2));
		ListenerSettings special = settings(context, "special");
		assertThat(special.getGroup()).isEqualTo("special-group");
		assertThat(special.getInstanceId()).isEqualTo("node-8");
		assertThat(special.getConcurrency()).isEqualTo(5);
		assertThat(special.getBatchSize()).isEqualTo(7);
		assertThat(special.isReadAhead()).isTrue();
		assertThat(special.isObservationEnabled()).isFalse();
		assertThat(special.getPollTimeout()).isEqualTo(Duration.ofMillis(100));
		assertThat(special.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(4));
		assertThat(special.getStartPosition()).isEqualTo(StartPosition.BEGINNING);
		assertThat(special.isAutoStartup()).isTrue();
		assertRecovery(special, 70, 1.2, 7000);
		assertRetry(special.getRetryPolicy(), 1, List.of(20L));
		// the not-retryable types of both levels apply
		assertThat(special.getRetryPolicy().decide(new UnsupportedOperationException(), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(special.getRetryPolicy().decide(new NoSuchElementException(), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(special.getReclaimInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(special.getMinIdleTime()).isEqualTo(Duration.ofSeconds(10));
		assertThat(special.getDeadConsumerTimeout()).isEqualTo(Duration.ofHours(3));
	}

	@Test
	void customizerChangesOneListenerOnlyAfterThePropertiesInOrder() {
		this.contextRunner.withUserConfiguration(CustomizerConfiguration.class)
			.withPropertyValues("spring.application.name=app", "redis.streams.listeners[special].batch-size=7",
					"redis.streams.listeners[special].retry.max-retries=9")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ListenerSettings special = settings(context, "special");
				// the customizers ran after the per-listener properties, the later one
				// last
				assertThat(special.getBatchSize()).isEqualTo(500);
				assertRetry(special.getRetryPolicy(), 2, List.of(10L, 10L));
				ListenerSettings plain = settings(context, "plain");
				ListenerSettings defaults = ListenerSettings.builder()
					.group("app")
					.instanceId(plain.getInstanceId())
					.build();
				assertThat(plain).hasToString(defaults.toString());
				assertThat(context.getBean(CustomizerConfiguration.class).seen).containsExactlyInAnyOrder("plain",
						"special", "plain", "special");
			});
	}

	@Test
	void theMetadataDefaultsAreTheDefaultsOfListenerSettings() throws Exception {
		List<String> properties = new ArrayList<>();
		try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			JsonNode root = JsonMapper.builder().build().readTree(metadata);
			for (JsonNode property : root.get("properties")) {
				String name = property.get("name").asString();
				boolean listenerSetting = name.startsWith("redis.streams.listener.")
						|| name.startsWith("redis.streams.retry.") || name.startsWith("redis.streams.reclaim.");
				if (listenerSetting && property.has("defaultValue")) {
					properties.add(name + "=" + property.get("defaultValue").asString());
				}
			}
		}
		assertThat(properties).hasSizeGreaterThanOrEqualTo(18);
		this.contextRunner.withPropertyValues(properties.toArray(String[]::new))
			.withPropertyValues("redis.streams.listener.group=g", "redis.streams.listener.instance-id=n")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ListenerSettings defaults = ListenerSettings.builder().group("g").instanceId("n").build();
				assertThat(settings(context, "plain")).hasToString(defaults.toString());
			});
	}

	@Test
	void userErrorHandlerAndDestinationResolverReplaceTheDefaults() {
		StreamErrorHandler errorHandler = (failure) -> failure.hasCause(TimeoutException.class)
				? StreamErrorHandler.Decision.retryAfter(Duration.ofSeconds(1))
				: StreamErrorHandler.Decision.deadLetter(DeadLetterReason.NOT_RETRYABLE);
		DeadLetterDestinationResolver resolver = (stream) -> "dead-letters:" + stream;
		this.contextRunner.withPropertyValues("spring.application.name=app")
			.withBean(StreamErrorHandler.class, () -> errorHandler)
			.withBean(DeadLetterDestinationResolver.class, () -> resolver)
			.run((context) -> {
				assertThat(context).hasSingleBean(StreamErrorHandler.class);
				assertThat(context.getBean(StreamErrorHandler.class)).isSameAs(errorHandler);
				assertThat(context).hasSingleBean(DeadLetterDestinationResolver.class);
				assertThat(context.getBean(DeadLetterDestinationResolver.class)).isSameAs(resolver);
			});
		this.contextRunner.withPropertyValues("spring.application.name=app").run((context) -> {
			assertThat(context.getBean(StreamErrorHandler.class)).isSameAs(StreamErrorHandler.DEFAULT);
			assertThat(context.getBean(DeadLetterDestinationResolver.class))
				.isSameAs(DeadLetterDestinationResolver.DEFAULT);
		});
	}

	@Test
	void deadLetterStreamSharedByTwoStreamsFailsStartup() {
		this.contextRunner.withPropertyValues("spring.application.name=app")
			.withBean(DeadLetterDestinationResolver.class, () -> (stream) -> "all-dead-letters")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasMessageContaining("streams 'configurer-plain' and 'configurer-special'")
					.hasMessageContaining("same dead-letter stream 'all-dead-letters'");
			});
	}

	@Test
	void deadLetterStreamThatIsAConsumedStreamFailsStartup() {
		this.contextRunner.withPropertyValues("spring.application.name=app")
			.withBean(DeadLetterDestinationResolver.class, () -> (stream) -> stream)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasMessageContaining("'configurer-plain' as the dead-letter stream of stream 'configurer-plain'");
			});
	}

	@Test
	void failingCustomizerFailsStartupNamingTheListener() {
		this.contextRunner.withPropertyValues("spring.application.name=app")
			.withBean(RedisStreamListenerSettingsCustomizer.class, () -> (listenerId, settings) -> {
				if (listenerId.equals("special")) {
					throw new IllegalArgumentException("no such tenant");
				}
			})
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("Listener 'special'")
					.hasStackTraceContaining("customizer")
					.hasStackTraceContaining("no such tenant");
			});
	}

	private static void assertRecovery(ListenerSettings settings, long delay, double multiplier, long maxDelay) {
		assertThat(settings.getRecoveryBackOff()).isInstanceOfSatisfying(ExponentialBackOff.class, (backOff) -> {
			assertThat(backOff.getInitialInterval()).isEqualTo(delay);
			assertThat(backOff.getMultiplier()).isEqualTo(multiplier);
			assertThat(backOff.getMaxInterval()).isEqualTo(maxDelay);
			BackOffExecution execution = backOff.start();
			assertThat(execution.nextBackOff()).isEqualTo(delay);
		});
	}

	private static void assertRetry(ListenerRetryPolicy policy, long maxRetries, List<Long> delaysMillis) {
		assertThat(policy.getMaxRetries()).isEqualTo(maxRetries);
		List<Long> delays = new ArrayList<>();
		for (long delivery = 1; delivery <= maxRetries; delivery++) {
			Duration delay = policy.backOff(delivery);
			assertThat(delay).isNotNull();
			delays.add(delay.toMillis());
		}
		assertThat(delays).isEqualTo(delaysMillis);
		assertThat(policy.backOff(maxRetries + 1)).isNull();
	}

	private static ListenerSettings settings(AssertableApplicationContext context, String id) {
		StreamListenerContainer container = context.getBean(RedisStreamListenerRegistry.class).getListenerContainer(id);
		assertThat(container).as("container of listener '%s'", id).isNotNull();
		return container.getSettings();
	}

	static class TwoListeners {

		@RedisListener(id = "plain", stream = "configurer-plain")
		void plain(String message) {
		}

		@RedisListener(id = "special", stream = "configurer-special")
		void special(String message) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFactoryConfiguration {

		private DefaultRedisStreamListenerContainerFactory factory;

		@Bean
		DefaultRedisStreamListenerContainerFactory redisStreamListenerContainerFactory(
				RedisStreamListenerContainerFactoryConfigurer configurer, RedisConnectionFactory connectionFactory) {
			this.factory = new DefaultRedisStreamListenerContainerFactory(connectionFactory,
					configurer.getMessageHandlerMethodFactory());
			configurer.configure(this.factory);
			return this.factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		final List<String> seen = new ArrayList<>();

		@Bean
		@Order(2)
		RedisStreamListenerSettingsCustomizer second() {
			return (listenerId, settings) -> {
				this.seen.add(listenerId);
				if (listenerId.equals("special")) {
					settings.maxRetries(2);
				}
			};
		}

		@Bean
		@Order(1)
		RedisStreamListenerSettingsCustomizer first() {
			return (listenerId, settings) -> {
				this.seen.add(listenerId);
				if (listenerId.equals("special")) {
					settings.batchSize(500).maxRetries(5).retryDelay(Duration.ofMillis(10)).retryMultiplier(1);
				}
			};
		}

	}

}
