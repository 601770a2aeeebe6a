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
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerConfigUtils;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.deadletter.RedisDeadLetterPublisher;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.retry.ListenerRetryPolicy;
import io.github.redisstreams.retry.StreamErrorHandler.Decision;
import io.github.redisstreams.test.RedisServerExtension;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the retry, reclaim and dead-letter configuration of
 * {@link RedisStreamsAutoConfiguration}. No listener starts.
 */
class RetryConfigurationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisStreamsAutoConfiguration.class))
		.withPropertyValues(redis.springProperties())
		.withPropertyValues("redis.streams.listener.auto-startup=false", "redis.streams.listener.group=retry-tests");

	@Test
	void defaultRetryPolicy() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ListenerRetryPolicy policy = retryPolicy(context, "defaults");
			assertThat(policy.getMaxRetries()).isEqualTo(3);
			assertThat(retryDelays(policy)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
					Duration.ofSeconds(4));
			assertExhausted(policy, 4);
			assertThat(policy.decide(new IllegalArgumentException(), 1).isRetry()).isTrue();
		});
	}

	@Test
	void globalRetryProperties() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.retry.max-retries=4", "redis.streams.retry.delay=100ms",
					"redis.streams.retry.multiplier=1.5", "redis.streams.retry.max-delay=300ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ListenerRetryPolicy policy = retryPolicy(context, "defaults");
				assertThat(policy.getMaxRetries()).isEqualTo(4);
				assertThat(policy.getDelay()).isEqualTo(Duration.ofMillis(100));
				assertThat(retryDelays(policy)).containsExactly(Duration.ofMillis(100), Duration.ofMillis(150),
						Duration.ofMillis(225), Duration.ofMillis(300));
				assertExhausted(policy, 5);
			});
	}

	@Test
	void globalZeroMaxRetriesDeadLettersOnFirstFailure() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.retry.max-retries=0")
			.run((context) -> assertExhausted(retryPolicy(context, "defaults"), 1));
	}

	@Test
	void globalRetryJitter() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.retry.delay=1s", "redis.streams.retry.multiplier=1",
					"redis.streams.retry.jitter=200ms")
			.run((context) -> assertJittered(retryPolicy(context, "defaults"), Duration.ofSeconds(1),
					Duration.ofMillis(200)));
	}

	@Test
	void annotationAttributesTakePrecedenceOverGlobalProperties() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.retry.max-retries=9", "redis.streams.retry.delay=10ms",
					"redis.streams.retry.multiplier=2", "redis.streams.retry.max-delay=1m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ListenerRetryPolicy annotated = retryPolicy(context, "annotated");
				assertThat(annotated.getMaxRetries()).isEqualTo(4);
				assertThat(retryDelays(annotated)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(3),
						Duration.ofSeconds(5), Duration.ofSeconds(5));
				assertExhausted(annotated, 5);
				ListenerRetryPolicy defaults = retryPolicy(context, "defaults");
				assertThat(defaults.getMaxRetries()).isEqualTo(9);
				assertThat(defaults.backOff(1)).isEqualTo(Duration.ofMillis(10));
				assertThat(defaults.backOff(9)).isEqualTo(Duration.ofMillis(2560));
			});
	}

	@Test
	void annotationAttributesAcceptPlaceholders() {
		this.contextRunner.withBean("placeholderListener", PlaceholderListener.class)
			.withPropertyValues("app.retries=2", "app.delay=300ms")
			.run((context) -> {
				ListenerRetryPolicy policy = retryPolicy(context, "placeholders");
				assertThat(policy.getMaxRetries()).isEqualTo(2);
				assertThat(retryDelays(policy)).containsExactly(Duration.ofMillis(300), Duration.ofMillis(600));
			});
	}

	@Test
	void perListenerPropertiesTakePrecedenceOverAnnotationAndGlobalProperties() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.retry.max-retries=9", "redis.streams.retry.delay=10ms",
					"redis.streams.retry.multiplier=2", "redis.streams.retry.max-delay=1m",
					"redis.streams.listeners[overridden].retry.max-retries=3",
					"redis.streams.listeners[overridden].retry.delay=50ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ListenerRetryPolicy policy = retryPolicy(context, "overridden");
				assertThat(policy.getMaxRetries()).isEqualTo(3);
				assertThat(policy.getDelay()).isEqualTo(Duration.ofMillis(50));
				// multiplier 3 from the annotation, max delay from the global properties
				assertThat(retryDelays(policy)).containsExactly(Duration.ofMillis(50), Duration.ofMillis(150),
						Duration.ofMillis(450));
				assertExhausted(policy, 4);
			});
	}

	@Test
	void everyPerListenerRetryProperty() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.listeners[overridden].retry.max-retries=2",
					"redis.streams.listeners[overridden].retry.delay=40ms",
					"redis.streams.listeners[overridden].retry.multiplier=1.5",
					"redis.streams.listeners[overridden].retry.max-delay=50ms",
					"redis.streams.listeners[overridden].retry.jitter=0ms")
			.run((context) -> {
				ListenerRetryPolicy policy = retryPolicy(context, "overridden");
				assertThat(retryDelays(policy)).containsExactly(Duration.ofMillis(40), Duration.ofMillis(50));
				assertExhausted(policy, 3);
				assertThat(retryDelays(retryPolicy(context, "annotated"))).containsExactly(Duration.ofSeconds(1),
						Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(5));
			});
	}

	@Test
	void perListenerPropertiesOfListenerWithDottedDefaultIdUseBrackets() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.listeners[retryListeners.unnamed].retry.max-retries=1",
					"redis.streams.listeners[retryListeners.unnamed].retry.delay=20ms")
			.run((context) -> {
				ListenerRetryPolicy policy = retryPolicy(context, "retryListeners.unnamed");
				assertThat(retryDelays(policy)).containsExactly(Duration.ofMillis(20));
				assertExhausted(policy, 2);
			});
	}

	@Test
	void annotationJitter() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.run((context) -> assertJittered(retryPolicy(context, "jittered"), Duration.ofSeconds(1),
					Duration.ofMillis(200)));
	}

	@Test
	void perListenerJitterTakesPrecedenceOverAnnotationJitter() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.listeners[jittered].retry.jitter=0ms")
			.run((context) -> {
				ListenerRetryPolicy policy = retryPolicy(context, "jittered");
				for (int i = 0; i < 50; i++) {
					assertThat(policy.backOff(1)).isEqualTo(Duration.ofSeconds(1));
				}
			});
	}

	@Test
	void perListenerMaxDelayShorterThanAnnotatedDelayIsRaisedToTheDelay() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.listeners[annotated].retry.max-delay=500ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(retryDelays(retryPolicy(context, "annotated"))).containsOnly(Duration.ofSeconds(1))
					.hasSize(4);
			});
	}

	@Test
	void notRetryableExceptionsFromPropertiesAndAnnotationAllApply() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues(
					"redis.streams.retry.not-retryable-exceptions=java.lang.IllegalArgumentException,"
							+ "java.util.ConcurrentModificationException",
					"redis.streams.listeners[annotated].retry.not-retryable-exceptions=java.util.NoSuchElementException")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ListenerRetryPolicy annotated = retryPolicy(context, "annotated");
				assertThat(annotated.decide(new IllegalArgumentException(), 1).reason())
					.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
				assertThat(annotated.decide(new NumberFormatException(), 1).reason())
					.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
				assertThat(annotated.decide(new ConcurrentModificationException(), 1).reason())
					.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
				assertThat(annotated.decide(new UnsupportedOperationException(), 1).reason())
					.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
				assertThat(annotated.decide(new NoSuchElementException(), 1).reason())
					.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
				assertThat(annotated.decide(new IllegalStateException(new UnsupportedOperationException()), 1).reason())
					.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
				assertThat(annotated.decide(new IllegalStateException(), 1).isRetry()).isTrue();
				ListenerRetryPolicy defaults = retryPolicy(context, "defaults");
				assertThat(defaults.decide(new IllegalArgumentException(), 1).reason())
					.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
				assertThat(defaults.decide(new ConcurrentModificationException(), 1).reason())
					.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
				assertThat(defaults.decide(new UnsupportedOperationException(), 1).isRetry()).isTrue();
				assertThat(defaults.decide(new NoSuchElementException(), 1).isRetry()).isTrue();
			});
	}

	@Test
	void annotationNotRetryableWithoutProperties() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class).run((context) -> {
			assertThat(retryPolicy(context, "annotated").decide(new UnsupportedOperationException(), 1).reason())
				.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
			assertThat(retryPolicy(context, "annotated").decide(new IllegalArgumentException(), 1).isRetry()).isTrue();
		});
	}

	@Test
	void unknownNotRetryableExceptionFailsStartup() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.retry.not-retryable-exceptions=com.example.NoSuchException")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("com.example.NoSuchException");
			});
	}

	@Test
	void invalidGlobalRetryPropertyFailsStartupNamingTheListener() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.retry.multiplier=0.5")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.hasMessageContaining("'multiplier' must be at least 1");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("invalid retry settings")
					.hasStackTraceContaining("Listener '");
			});
	}

	@Test
	void invalidPerListenerRetryPropertyFailsStartupNamingTheListener() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.listeners[overridden].retry.max-retries=-1")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("Listener 'overridden' (retryListeners.overridden(String)): "
							+ "invalid retry settings: 'maxRetries' must not be negative");
			});
	}

	@Test
	void defaultReclaimSettings() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class).run((context) -> {
			StreamListenerContainer settings = settings(context, "defaults");
			assertThat(settings.getSettings().getReclaimInterval()).isEqualTo(Duration.ofSeconds(5));
			assertThat(settings.getSettings().getMinIdleTime()).isEqualTo(Duration.ofSeconds(30));
			assertThat(settings.getSettings().getDeadConsumerTimeout()).isEqualTo(Duration.ofHours(1));
		});
	}

	@Test
	void reclaimProperties() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.reclaim.interval=750ms", "redis.streams.reclaim.min-idle-time=45s",
					"redis.streams.reclaim.dead-consumer-timeout=10m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				for (String id : List.of("defaults", "annotated", "overridden")) {
					StreamListenerContainer settings = settings(context, id);
					assertThat(settings.getSettings().getReclaimInterval()).isEqualTo(Duration.ofMillis(750));
					assertThat(settings.getSettings().getMinIdleTime()).isEqualTo(Duration.ofSeconds(45));
					assertThat(settings.getSettings().getDeadConsumerTimeout()).isEqualTo(Duration.ofMinutes(10));
				}
			});
	}

	@Test
	void minIdleTimeNotLongerThanPollTimeoutFailsStartup() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.listener.poll-timeout=2s", "redis.streams.reclaim.min-idle-time=2s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("redis.streams.reclaim.min-idle-time (PT2S)")
					.hasMessageContaining("poll timeout (PT2S)");
			});
	}

	@Test
	void minIdleTimeJustLongerThanPollTimeoutStarts() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.listener.poll-timeout=2s", "redis.streams.reclaim.min-idle-time=2001ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(settings(context, "defaults").getSettings().getMinIdleTime())
					.isEqualTo(Duration.ofMillis(2001));
			});
	}

	@Test
	void minIdleTimeIsCheckedAgainstPerListenerPollTimeout() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withPropertyValues("redis.streams.reclaim.min-idle-time=5s",
					"redis.streams.listeners[overridden].poll-timeout=6s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("Listener 'overridden'")
					.hasMessageContaining("redis.streams.reclaim.min-idle-time (PT5S)")
					.hasMessageContaining("poll timeout (PT6S)");
			});
	}

	@Test
	void defaultDeadLetterPublisher() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(DeadLetterPublisher.class);
			assertThat(context.getBean(DeadLetterPublisher.class)).isInstanceOf(RedisDeadLetterPublisher.class);
			assertThat(context.getBean(DeadLetterPublisher.class).acknowledgesOriginal()).isTrue();
		});
	}

	@Test
	void deadLetterPropertiesReachTheDefaultPublisher() {
		this.contextRunner
			.withPropertyValues("redis.streams.dead-letter.max-length=1000",
					"redis.streams.dead-letter.max-stack-trace-length=2048")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(RedisDeadLetterPublisher.class);
			});
		this.contextRunner.withPropertyValues("redis.streams.dead-letter.max-length=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("'maxLength' must not be negative");
		});
		this.contextRunner.withPropertyValues("redis.streams.dead-letter.max-stack-trace-length=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("'maxStackTraceLength' must not be negative");
		});
	}

	@Test
	void userDeadLetterPublisherReplacesTheDefault() {
		this.contextRunner.withBean("retryListeners", RetryListeners.class)
			.withBean("myDeadLetters", DeadLetterPublisher.class, () -> (deadLetter) -> {
			})
			.withPropertyValues("redis.streams.dead-letter.max-length=-1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(DeadLetterPublisher.class)).containsOnlyKeys("myDeadLetters");
				assertThat(context).doesNotHaveBean(RedisDeadLetterPublisher.class);
				assertThat(settings(context, "defaults")).isNotNull();
			});
	}

	@Test
	void negativeMaxRetriesAttributeFailsStartup() {
		assertInvalidAttribute(NegativeMaxRetriesListener.class, "maxRetries", "-1");
	}

	@Test
	void unparsableRetryDelayAttributeFailsStartup() {
		assertInvalidAttribute(UnparsableRetryDelayListener.class, "retryDelay", "soon");
	}

	@Test
	void retryMultiplierAttributeBelowOneFailsStartup() {
		assertInvalidAttribute(LowRetryMultiplierListener.class, "retryMultiplier", "0.5");
	}

	@Test
	void negativeRetryJitterAttributeFailsStartup() {
		assertInvalidAttribute(NegativeRetryJitterListener.class, "retryJitter", "-5ms");
	}

	@Test
	void unparsableRetryMaxDelayAttributeFailsStartup() {
		assertInvalidAttribute(UnparsableRetryMaxDelayListener.class, "retryMaxDelay", "later");
	}

	private void assertInvalidAttribute(Class<?> listenerClass, String attribute, String value) {
		this.contextRunner.withBean("invalidListener", listenerClass).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(BeanInitializationException.class)
				.hasMessageContaining("@RedisListener on invalidListener.onMessage(String)")
				.hasMessageContaining("attribute '" + attribute + "' has an invalid value '" + value + "'");
		});
	}

	private static void assertJittered(ListenerRetryPolicy policy, Duration delay, Duration jitter) {
		Set<Duration> seen = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			Duration retryDelay = policy.backOff(1);
			assertThat(retryDelay).isBetween(delay.minus(jitter), delay.plus(jitter));
			seen.add(retryDelay);
		}
		assertThat(seen).as("jittered delays").hasSizeGreaterThan(1);
	}

	private static void assertExhausted(ListenerRetryPolicy policy, long deliveryCount) {
		Decision decision = policy.decide(new IllegalStateException("boom"), deliveryCount);
		assertThat(decision.isRetry()).isFalse();
		assertThat(decision.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
	}

	private static List<Duration> retryDelays(ListenerRetryPolicy policy) {
		List<Duration> delays = new ArrayList<>();
		for (long deliveryCount = 1; deliveryCount <= policy.getMaxRetries(); deliveryCount++) {
			Decision decision = policy.decide(new IllegalStateException("boom"), deliveryCount);
			assertThat(decision.isRetry()).as("decision after delivery %d", deliveryCount).isTrue();
			delays.add(decision.retryDelay());
		}
		return delays;
	}

	private static ListenerRetryPolicy retryPolicy(AssertableApplicationContext context, String id) {
		return settings(context, id).getSettings().getRetryPolicy();
	}

	private static StreamListenerContainer settings(AssertableApplicationContext context, String id) {
		assertThat(context).hasNotFailed();
		StreamListenerContainer container = context
			.getBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_REGISTRY_BEAN_NAME,
					RedisStreamListenerRegistry.class)
			.getListenerContainer(id);
		assertThat(container).as("container of listener '%s'", id).isNotNull();
		assertThat(container.isRunning()).as("listener '%s' running", id).isFalse();
		return container;
	}

	static class RetryListeners {

		@RedisListener(id = "defaults", stream = "retry-defaults")
		void defaults(String body) {
		}

		@RedisListener(id = "annotated", stream = "retry-annotated", maxRetries = "4", retryDelay = "1s",
				retryMultiplier = "3", retryMaxDelay = "5s", notRetryable = UnsupportedOperationException.class)
		void annotated(String body) {
		}

		@RedisListener(id = "overridden", stream = "retry-overridden", maxRetries = "5", retryDelay = "200ms",
				retryMultiplier = "3")
		void overridden(String body) {
		}

		@RedisListener(id = "jittered", stream = "retry-jittered", maxRetries = "3", retryDelay = "1s",
				retryMultiplier = "1", retryJitter = "200ms")
		void jittered(String body) {
		}

		@RedisListener(stream = "retry-unnamed")
		void unnamed(String body) {
		}

	}

	static class PlaceholderListener {

		@RedisListener(id = "placeholders", stream = "retry-placeholders", maxRetries = "${app.retries}",
				retryDelay = "${app.delay}")
		void onMessage(String body) {
		}

	}

	static class NegativeMaxRetriesListener {

		@RedisListener(stream = "invalid-retries", maxRetries = "-1")
		void onMessage(String body) {
		}

	}

	static class UnparsableRetryDelayListener {

		@RedisListener(stream = "invalid-delay", retryDelay = "soon")
		void onMessage(String body) {
		}

	}

	static class LowRetryMultiplierListener {

		@RedisListener(stream = "invalid-multiplier", retryMultiplier = "0.5")
		void onMessage(String body) {
		}

	}

	static class NegativeRetryJitterListener {

		@RedisListener(stream = "invalid-jitter", retryJitter = "-5ms")
		void onMessage(String body) {
		}

	}

	static class UnparsableRetryMaxDelayListener {

		@RedisListener(stream = "invalid-max-delay", retryMaxDelay = "later")
		void onMessage(String body) {
		}

	}

}
