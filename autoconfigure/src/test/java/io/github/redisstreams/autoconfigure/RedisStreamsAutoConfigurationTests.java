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

import java.lang.reflect.Type;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.DefaultRedisStreamListenerContainerFactory;
import io.github.redisstreams.config.RedisStreamListenerConfigUtils;
import io.github.redisstreams.config.RedisStreamListenerContainerFactory;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.listener.ListenerSettings;
import io.github.redisstreams.listener.StartPosition;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.listener.adapter.StreamEntryMessageConverter;
import io.github.redisstreams.publish.RedisStreamPublisher;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.test.RedisServerExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.annotation.RedisListenerAnnotationBeanPostProcessor;
import org.springframework.data.redis.config.MethodRedisListenerEndpoint;
import org.springframework.data.redis.config.RedisListenerConfigUtils;
import org.springframework.data.redis.config.RedisListenerEndpointRegistry;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisStreamsAutoConfiguration}.
 */
class RedisStreamsAutoConfigurationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String DATA_REDIS_ANNOTATION_PROCESSOR_BEAN_NAME = RedisListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME;

	private static final String DATA_REDIS_ENDPOINT_REGISTRY_BEAN_NAME = RedisListenerConfigUtils.REDIS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME;

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisStreamsAutoConfiguration.class))
		.withPropertyValues(redis.springProperties())
		.withPropertyValues("redis.streams.listener.poll-timeout=200ms");

	@Test
	void registersDefaultBeans() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(StreamPublisher.class);
			assertThat(context.getBean(StreamPublisher.class)).isInstanceOf(RedisStreamPublisher.class);
			assertThat(context).hasSingleBean(StreamEntryMessageConverter.class);
			assertThat(context).hasSingleBean(RedisStreamsProperties.class);
			assertThat(context).hasSingleBean(RedisStreamListenerContainerFactory.class);
			assertThat(context).getBean(RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
				.isInstanceOf(DefaultRedisStreamListenerContainerFactory.class);
			assertThat(context).getBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
				.extracting((bean) -> bean.getClass().getSimpleName())
				.isEqualTo("RedisStreamListenerAnnotationBeanPostProcessor");
			assertThat(context).getBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_REGISTRY_BEAN_NAME)
				.isInstanceOf(RedisStreamListenerRegistry.class);
			assertThat(registry(context).getListenerContainerIds()).isEmpty();
		});
	}

	@Test
	void converterUsesTheApplicationJsonMapper() {
		this.contextRunner.withUserConfiguration(SnakeCaseJsonMapperConfiguration.class).run((context) -> {
			StreamEntry entry = new StreamEntry("1-0", "accounts",
					Map.of("payload", "{\"user_id\":7}".getBytes(StandardCharsets.UTF_8)));
			assertThat(context.getBean(StreamEntryMessageConverter.class).convert(entry, Account.class, Account.class))
				.isEqualTo(new Account(7));
		});
	}

	@Test
	void publisherUsesTheApplicationJsonMapper() {
		this.contextRunner.withUserConfiguration(SnakeCaseJsonMapperConfiguration.class).run((context) -> {
			String id = context.getBean(StreamPublisher.class)
				.publish("snake-case-accounts", new Account(7), Map.of("tenant", "acme"));
			List<MapRecord<String, Object, Object>> records = context.getBean(StringRedisTemplate.class)
				.opsForStream()
				.range("snake-case-accounts", Range.unbounded());
			assertThat(records).singleElement().satisfies((record) -> {
				assertThat(record.getId().getValue()).isEqualTo(id);
				assertThat(record.getValue()).containsEntry("payload", "{\"user_id\":7}")
					.containsEntry("tenant", "acme");
			});
		});
	}

	@Test
	void backsOffWithoutRedisConnectionFactory() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(JacksonAutoConfiguration.class, RedisStreamsAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(StreamPublisher.class);
				assertThat(context).doesNotHaveBean(RedisStreamsProperties.class);
				assertThat(context).doesNotHaveBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_REGISTRY_BEAN_NAME);
			});
	}

	@Test
	void backsOffForUserStreamPublisher() {
		this.contextRunner
			.withBean("myPublisher", StreamPublisher.class, () -> (stream, payload, headers) -> "user-" + stream)
			.run((context) -> {
				assertThat(context.getBeansOfType(StreamPublisher.class)).containsOnlyKeys("myPublisher");
				assertThat(context.getBean(StreamPublisher.class).publish("orders", "x")).isEqualTo("user-orders");
				assertThat(context).hasSingleBean(StreamEntryMessageConverter.class);
				assertThat(context).hasBean(RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME);
			});
	}

	@Test
	void backsOffForUserContainerFactoryWithTheDefaultName() {
		this.contextRunner.withUserConfiguration(CustomContainerFactoryConfiguration.class)
			.withBean("orderListener", OrderListener.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DefaultRedisStreamListenerContainerFactory.class);
				assertThat(context.getBeansOfType(RedisStreamListenerContainerFactory.class))
					.containsOnlyKeys(RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME);
				StreamListenerContainer settings = settings(context, "orderListener.onOrder");
				assertThat(settings.getGroup()).isEqualTo("custom-group");
				assertThat(settings.getSettings().getInstanceId()).isEqualTo("custom-node");
			});
	}

	@Test
	void containerFactoryWithAnotherNameDoesNotReplaceTheDefaultOne() {
		this.contextRunner.withBean("anotherFactory", RedisStreamListenerContainerFactory.class, () -> (endpoint) -> {
			throw new IllegalStateException("Should not be used");
		}).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
				.isInstanceOf(DefaultRedisStreamListenerContainerFactory.class);
		});
	}

	@Test
	void backsOffForUserMessageConverterAndUsesIt() {
		this.contextRunner.withBean("myConverter", StreamEntryMessageConverter.class, PrefixingConverter::new)
			.withBean("textListener", TextListener.class)
			.withPropertyValues("spring.application.name=converter-app")
			.run((context) -> {
				assertThat(context.getBeansOfType(StreamEntryMessageConverter.class)).containsOnlyKeys("myConverter");
				context.getBean(StreamPublisher.class).publish("converter-texts", "hello");
				TextListener listener = context.getBean(TextListener.class);
				await().atMost(TIMEOUT)
					.untilAsserted(() -> assertThat(listener.received).containsExactly("converted: \"hello\""));
			});
	}

	@Test
	void disabledCreatesNoneOfTheBeans() {
		this.contextRunner.withPropertyValues("redis.streams.enabled=false", "spring.application.name=disabled-app")
			.withBean("orderListener", OrderListener.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(StreamPublisher.class);
				assertThat(context).doesNotHaveBean(StreamEntryMessageConverter.class);
				assertThat(context).doesNotHaveBean(RedisStreamsProperties.class);
				assertThat(context).doesNotHaveBean(RedisStreamListenerContainerFactory.class);
				assertThat(context).doesNotHaveBean(RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME);
				assertThat(context)
					.doesNotHaveBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME);
				assertThat(context).doesNotHaveBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_REGISTRY_BEAN_NAME);
				assertThat(context)
					.doesNotHaveBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME);
				assertThat(context).doesNotHaveBean(RedisStreamListenerRegistry.class);
				assertThat(context).hasSingleBean(OrderListener.class);
			});
	}

	@Test
	void listenerPropertiesAndPrecedence() {
		this.contextRunner.withBean("settingsListeners", SettingsListeners.class)
			.withPropertyValues("spring.application.name=ignored-app", "redis.streams.listener.concurrency=3",
					"redis.streams.listener.group=billing", "redis.streams.listener.instance-id=node-7",
					"redis.streams.listener.batch-size=25", "redis.streams.listener.poll-timeout=150ms",
					"redis.streams.listener.shutdown-timeout=3s", "redis.streams.listener.start-position=end",
					"redis.streams.listener.recovery.delay=50ms", "redis.streams.listener.recovery.multiplier=1.5",
					"redis.streams.listener.recovery.max-delay=5s", "redis.streams.listener.recovery.jitter=10ms",
					"redis.streams.listeners[my-id].concurrency=5", "redis.streams.listeners[my-id].group=override",
					"redis.streams.listeners[my-id].auto-startup=false", "redis.streams.listeners[my-id].batch-size=7",
					"redis.streams.listeners[my-id].poll-timeout=100ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				StreamListenerContainer overridden = settings(context, "my-id");
				assertThat(overridden.getStream()).isEqualTo("settings-overridden");
				assertThat(overridden.getSettings().getConcurrency()).isEqualTo(5);
				assertThat(overridden.getGroup()).isEqualTo("override");
				assertThat(overridden.getSettings().isAutoStartup()).isFalse();
				assertThat(overridden.getSettings().getBatchSize()).isEqualTo(7);
				assertThat(overridden.getSettings().getPollTimeout()).isEqualTo(Duration.ofMillis(100));
				assertThat(overridden.getSettings().getInstanceId()).isEqualTo("node-7");
				assertThat(overridden.getSettings().getShutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(overridden.getSettings().getStartPosition()).isEqualTo(StartPosition.END);
				StreamListenerContainer annotated = settings(context, "annotated");
				assertThat(annotated.getSettings().getConcurrency()).isEqualTo(2);
				assertThat(annotated.getGroup()).isEqualTo("annotated-group");
				assertThat(annotated.getSettings().isAutoStartup()).isFalse();
				assertThat(annotated.getSettings().getBatchSize()).isEqualTo(25);
				assertThat(annotated.getSettings().getPollTimeout()).isEqualTo(Duration.ofMillis(150));
				StreamListenerContainer defaults = settings(context, "defaults");
				assertThat(defaults.getSettings().getConcurrency()).isEqualTo(3);
				assertThat(defaults.getGroup()).isEqualTo("billing");
				assertThat(defaults.getSettings().isAutoStartup()).isTrue();
				assertThat(defaults.getSettings().getBatchSize()).isEqualTo(25);
				assertThat(defaults.getSettings().getPollTimeout()).isEqualTo(Duration.ofMillis(150));
				assertThat(defaults.getSettings().getShutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(defaults.getSettings().getStartPosition()).isEqualTo(StartPosition.END);
				assertThat(defaults.getSettings().getRecoveryBackOff()).isInstanceOfSatisfying(ExponentialBackOff.class,
						(backOff) -> {
							assertThat(backOff.getInitialInterval()).isEqualTo(50);
							assertThat(backOff.getMultiplier()).isEqualTo(1.5);
							assertThat(backOff.getMaxInterval()).isEqualTo(5000);
							assertThat(backOff.getJitter()).isEqualTo(10);
						});
				RedisStreamListenerRegistry registry = registry(context);
				assertThat(registry.getListenerContainer("defaults").getConsumerNames()).containsExactly("node-7-0",
						"node-7-1", "node-7-2");
				assertThat(registry.getListenerContainer("defaults").isRunning()).isTrue();
				assertThat(registry.getListenerContainer("annotated").isRunning()).isFalse();
				assertThat(registry.getListenerContainer("my-id").isRunning()).isFalse();
			});
	}

	@Test
	void annotationAutoStartupTrueBeatsTheDefault() {
		this.contextRunner.withBean("settingsListeners", SettingsListeners.class)
			.withPropertyValues("redis.streams.listener.group=billing", "redis.streams.listener.auto-startup=false")
			.run((context) -> {
				assertThat(settings(context, "my-id").getSettings().isAutoStartup()).isTrue();
				assertThat(registry(context).getListenerContainer("my-id").isRunning()).isTrue();
				assertThat(settings(context, "defaults").getSettings().isAutoStartup()).isFalse();
				assertThat(registry(context).getListenerContainer("defaults").isRunning()).isFalse();
			});
	}

	@Test
	void listenerDefaultsWithoutProperties() throws Exception {
		String hostName = InetAddress.getLocalHost().getHostName();
		this.contextRunner.withBean("orderListener", OrderListener.class)
			.withPropertyValues("spring.application.name=shop", "redis.streams.listener.auto-startup=false")
			.run((context) -> {
				StreamListenerContainer settings = settings(context, "orderListener.onOrder");
				assertThat(settings.getGroup()).isEqualTo("shop");
				assertThat(settings.getSettings().getInstanceId()).isEqualTo(hostName);
				assertThat(settings.getSettings().getConcurrency()).isEqualTo(1);
				assertThat(settings.getSettings().getBatchSize()).isEqualTo(500);
				assertThat(settings.getSettings().getPollTimeout()).isEqualTo(Duration.ofMillis(200));
				assertThat(settings.getSettings().getShutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
				assertThat(settings.getSettings().getStartPosition()).isEqualTo(StartPosition.BEGINNING);
				assertThat(settings.getSettings().isAutoStartup()).isFalse();
				assertThat(settings.getSettings().getRecoveryBackOff()).isInstanceOfSatisfying(ExponentialBackOff.class,
						(backOff) -> {
							assertThat(backOff.getInitialInterval()).isEqualTo(200);
							assertThat(backOff.getMultiplier()).isEqualTo(2.0);
							assertThat(backOff.getMaxInterval()).isEqualTo(10_000);
							assertThat(backOff.getJitter()).isEqualTo(100);
						});
			});
	}

	@Test
	void groupPropertyTakesPrecedenceOverApplicationName() {
		this.contextRunner.withBean("orderListener", OrderListener.class)
			.withPropertyValues("spring.application.name=shop", "redis.streams.listener.group=billing",
					"redis.streams.listener.auto-startup=false")
			.run((context) -> assertThat(settings(context, "orderListener.onOrder").getGroup()).isEqualTo("billing"));
	}

	@Test
	void overrideOfListenerWithDottedDefaultIdUsesBrackets() {
		this.contextRunner.withBean("orderListener", OrderListener.class)
			.withPropertyValues("spring.application.name=shop", "redis.streams.listener.auto-startup=false",
					"redis.streams.listeners[orderListener.onOrder].concurrency=4",
					"redis.streams.listeners[orderListener.onOrder].group=dotted")
			.run((context) -> {
				StreamListenerContainer settings = settings(context, "orderListener.onOrder");
				assertThat(settings.getSettings().getConcurrency()).isEqualTo(4);
				assertThat(settings.getGroup()).isEqualTo("dotted");
			});
	}

	@Test
	void listenerWithoutGroupAndWithoutApplicationNameFailsStartup() {
		this.contextRunner.withBean("orderListener", OrderListener.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("Listener 'orderListener.onOrder' (orderListener.onOrder(Order))")
				.hasMessageContaining("no consumer group")
				.hasMessageContaining("'group' attribute")
				.hasMessageContaining("redis.streams.listener.group")
				.hasMessageContaining("spring.application.name");
		});
	}

	@Test
	void emptyPerListenerGroupOverrideKeepsTheAnnotatedGroup() {
		this.contextRunner.withBean("orderListener", GroupListener.class)
			.withPropertyValues("redis.streams.listener.auto-startup=false",
					"redis.streams.listeners[orderListener.onOrder].group=")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(settings(context, "orderListener.onOrder").getGroup()).isEqualTo("annotated-group");
			});
	}

	@Test
	void listenerWithGroupButWithoutApplicationNameStarts() {
		this.contextRunner.withBean("orderListener", GroupListener.class)
			.withPropertyValues("redis.streams.listener.auto-startup=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(settings(context, "orderListener.onOrder").getGroup()).isEqualTo("annotated-group");
			});
	}

	@Test
	void coexistsWithSpringDataRedisPubSubListeners() {
		this.contextRunner.withBean("streamListener", OrderListener.class)
			.withBean("pubSubListener", PubSubListener.class)
			.withPropertyValues("spring.application.name=coexistence")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(RedisStreamListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
					.isNotEqualTo(DATA_REDIS_ANNOTATION_PROCESSOR_BEAN_NAME);
				assertThat(context)
					.getBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
					.extracting((bean) -> bean.getClass().getSimpleName())
					.isEqualTo("RedisStreamListenerAnnotationBeanPostProcessor");
				assertThat(context).getBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_REGISTRY_BEAN_NAME)
					.isInstanceOf(RedisStreamListenerRegistry.class);
				assertThat(context).getBean(DATA_REDIS_ANNOTATION_PROCESSOR_BEAN_NAME)
					.isInstanceOf(RedisListenerAnnotationBeanPostProcessor.class);
				assertThat(context).getBean(DATA_REDIS_ENDPOINT_REGISTRY_BEAN_NAME)
					.isInstanceOf(RedisListenerEndpointRegistry.class);
				assertThat(registry(context).getListenerContainerIds()).containsExactly("streamListener.onOrder");
				assertThat(context.getBean(DATA_REDIS_ENDPOINT_REGISTRY_BEAN_NAME, RedisListenerEndpointRegistry.class)
					.getEndpoints()).singleElement()
					.isInstanceOfSatisfying(MethodRedisListenerEndpoint.class,
							(endpoint) -> assertThat(endpoint.getTopic()).isEqualTo("coexistence-news"));
				context.getBean(StreamPublisher.class).publish("coexistence-orders", new Order("o-1", 2));
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				await().atMost(TIMEOUT).until(() -> template.convertAndSend("coexistence-news", "breaking") > 0);
				OrderListener streamListener = context.getBean(OrderListener.class);
				PubSubListener pubSubListener = context.getBean(PubSubListener.class);
				await().atMost(TIMEOUT).untilAsserted(() -> {
					assertThat(streamListener.received).containsExactly(new Order("o-1", 2));
					assertThat(pubSubListener.received).contains("breaking");
				});
			});
	}

	private static RedisStreamListenerRegistry registry(AssertableApplicationContext context) {
		return context.getBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_REGISTRY_BEAN_NAME,
				RedisStreamListenerRegistry.class);
	}

	private static StreamListenerContainer settings(AssertableApplicationContext context, String id) {
		StreamListenerContainer container = registry(context).getListenerContainer(id);
		assertThat(container).as("container of listener '%s'", id).isNotNull();
		return container;
	}

	record Order(String id, int quantity) {

	}

	record Account(long userId) {

	}

	static class OrderListener {

		final List<Order> received = new CopyOnWriteArrayList<>();

		@RedisListener(stream = "coexistence-orders")
		void onOrder(Order order) {
			this.received.add(order);
		}

	}

	static class GroupListener {

		@RedisListener(stream = "group-orders", group = "annotated-group")
		void onOrder(Order order) {
		}

	}

	static class PubSubListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		// Qualified name on purpose: Spring Data Redis's @RedisListener clashes with ours
		@org.springframework.data.redis.annotation.RedisListener(topic = "coexistence-news")
		public void onNews(String news) {
			this.received.add(news);
		}

	}

	static class TextListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@RedisListener(stream = "converter-texts")
		void onText(String text) {
			this.received.add(text);
		}

	}

	static class SettingsListeners {

		@RedisListener(id = "my-id", stream = "settings-overridden", group = "annotated-group", concurrency = "2",
				autoStartup = "true")
		void overridden(String body) {
		}

		@RedisListener(id = "annotated", stream = "settings-annotated", group = "annotated-group", concurrency = "2",
				autoStartup = "false")
		void annotated(String body) {
		}

		@RedisListener(id = "defaults", stream = "settings-defaults")
		void defaults(String body) {
		}

	}

	static class PrefixingConverter extends StreamEntryMessageConverter {

		PrefixingConverter() {
			super(new JsonMapper());
		}

		@Override
		public Object convert(StreamEntry entry, Class<?> targetClass, Type targetType) {
			Object converted = super.convert(entry, targetClass, targetType);
			return (converted instanceof String text) ? "converted: " + text : converted;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SnakeCaseJsonMapperConfiguration {

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomContainerFactoryConfiguration {

		@Bean
		RedisStreamListenerContainerFactory redisStreamListenerContainerFactory(
				RedisConnectionFactory connectionFactory) {
			return (endpoint) -> StreamListenerContainer
				.builder(endpoint.getId(), endpoint.getStream(),
						ListenerSettings.builder()
							.group("custom-group")
							.instanceId("custom-node")
							.batchSize(10)
							.pollTimeout(Duration.ofMillis(200))
							.shutdownTimeout(Duration.ofSeconds(1))
							.startPosition(StartPosition.END)
							.autoStartup(false)
							.maxRetries(0)
							.build())
				.connectionFactory(connectionFactory)
				.handler((entry, context, acknowledgment) -> {
				})
				.deadLetterPublisher((deadLetter) -> {
				})
				.build();
		}

	}

}
