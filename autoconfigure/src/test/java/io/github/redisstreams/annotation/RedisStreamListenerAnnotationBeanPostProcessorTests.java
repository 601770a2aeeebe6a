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

package io.github.redisstreams.annotation;

import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.autoconfigure.RedisStreamsAutoConfiguration;
import io.github.redisstreams.config.RedisStreamListenerConfigUtils;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.listener.RateLimit;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.test.RedisServerExtension;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.messaging.handler.annotation.Headers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisStreamListenerAnnotationBeanPostProcessor}.
 */
class RedisStreamListenerAnnotationBeanPostProcessorTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisStreamsAutoConfiguration.class))
		.withPropertyValues(redis.springProperties())
		.withPropertyValues("spring.application.name=bpp-tests", "redis.streams.listener.auto-startup=false",
				"redis.streams.listener.poll-timeout=200ms");

	@Test
	void defaultListenerIdIsBeanNameAndMethodName() {
		this.contextRunner.withBean("orderListener", PlainListener.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(registry(context).getListenerContainerIds()).containsExactly("orderListener.onOrder");
			StreamListenerContainer settings = settings(context, "orderListener.onOrder");
			assertThat(settings.getStream()).isEqualTo("orders");
			assertThat(settings.getGroup()).isEqualTo("bpp-tests");
		});
	}

	@Test
	void explicitIdIsUsed() {
		this.contextRunner.withBean("orderListener", ExplicitIdListener.class)
			.run((context) -> assertThat(registry(context).getListenerContainerIds()).containsExactly("orders-in"));
	}

	@Test
	void attributesAreApplied() {
		this.contextRunner.withBean("orderListener", AllAttributesListener.class).run((context) -> {
			StreamListenerContainer settings = settings(context, "all-attributes");
			assertThat(settings.getStream()).isEqualTo("orders");
			assertThat(settings.getGroup()).isEqualTo("billing");
			assertThat(settings.getSettings().getConcurrency()).isEqualTo(2);
			assertThat(settings.getSettings().isAutoStartup()).isFalse();
		});
	}

	@Test
	void placeholdersAreResolved() {
		this.contextRunner.withBean("orderListener", PlaceholderListener.class)
			.withPropertyValues("app.stream=orders", "app.group=billing", "app.id=placeholder-id", "app.concurrency=4",
					"app.auto-startup=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				StreamListenerContainer settings = settings(context, "placeholder-id");
				assertThat(settings.getStream()).isEqualTo("orders");
				assertThat(settings.getGroup()).isEqualTo("billing");
				assertThat(settings.getSettings().getConcurrency()).isEqualTo(4);
				assertThat(settings.getSettings().isAutoStartup()).isFalse();
			});
	}

	@Test
	void placeholderDefaultsAreUsed() {
		this.contextRunner.withBean("orderListener", PlaceholderWithDefaultListener.class).run((context) -> {
			StreamListenerContainer settings = settings(context, "orderListener.onOrder");
			assertThat(settings.getStream()).isEqualTo("fallback-orders");
			assertThat(settings.getSettings().getConcurrency()).isEqualTo(3);
		});
	}

	@Test
	void expressionsAreEvaluated() {
		this.contextRunner.withBean("orderListener", ExpressionListener.class).run((context) -> {
			StreamListenerContainer settings = settings(context, "orderListener.onOrder");
			assertThat(settings.getStream()).isEqualTo("orders-eu");
			assertThat(settings.getSettings().getConcurrency()).isEqualTo(6);
		});
	}

	@Test
	void composedAnnotationIsDetected() {
		this.contextRunner.withBean("orderListener", ComposedAnnotationListener.class).run((context) -> {
			assertThat(registry(context).getListenerContainerIds()).containsExactly("orderListener.onOrder");
			assertThat(settings(context, "orderListener.onOrder").getStream()).isEqualTo("composed-orders");
		});
	}

	@Test
	void everyAnnotatedMethodOfABeanIsRegistered() {
		this.contextRunner.withBean("multiListener", MultipleMethodsListener.class)
			.run((context) -> assertThat(registry(context).getListenerContainerIds())
				.containsExactlyInAnyOrder("multiListener.onOrder", "multiListener.onInvoice"));
	}

	@Test
	void beanWithoutListenerMethodsRegistersNothing() {
		this.contextRunner.withBean("plainBean", NotAListener.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(registry(context).getListenerContainerIds()).isEmpty();
		});
	}

	@Test
	void emptyStreamFailsStartup() {
		this.contextRunner.withBean("emptyStreamListener", EmptyStreamListener.class)
			.run((context) -> assertListenerFailure(context,
					"@RedisListener on emptyStreamListener.onOrder(String): attribute 'stream' is required "
							+ "and must not be empty"));
	}

	@Test
	void streamResolvingToBlankFailsStartup() {
		this.contextRunner.withBean("blankStreamListener", BlankStreamPlaceholderListener.class)
			.withPropertyValues("app.stream=")
			.run((context) -> assertListenerFailure(context,
					"@RedisListener on blankStreamListener.onOrder(String): attribute 'stream' is required "
							+ "and must not be empty"));
	}

	@Test
	void unresolvablePlaceholderInStreamFailsStartup() {
		this.contextRunner.withBean("unresolvedStreamListener", UnresolvableStreamListener.class)
			.run((context) -> assertListenerFailure(context,
					"@RedisListener on unresolvedStreamListener.onOrder(String): attribute 'stream' cannot be "
							+ "resolved",
					"missing.stream"));
	}

	@Test
	void unresolvablePlaceholderInConcurrencyFailsStartup() {
		this.contextRunner.withBean("unresolvedConcurrencyListener", UnresolvableConcurrencyListener.class)
			.run((context) -> assertListenerFailure(context,
					"@RedisListener on unresolvedConcurrencyListener.onOrder(String): attribute 'concurrency' "
							+ "cannot be resolved",
					"missing.concurrency"));
	}

	@Test
	void nonNumericConcurrencyFailsStartup() {
		this.contextRunner.withBean("abcListener", NonNumericConcurrencyListener.class)
			.run((context) -> assertListenerFailure(context, "@RedisListener on abcListener.onOrder(String): "
					+ "attribute 'concurrency' must be a positive integer, was 'abc'"));
	}

	@Test
	void zeroConcurrencyFailsStartup() {
		this.contextRunner.withBean("zeroListener", ZeroConcurrencyListener.class)
			.run((context) -> assertListenerFailure(context, "@RedisListener on zeroListener.onOrder(String): "
					+ "attribute 'concurrency' must be a positive integer, was '0'"));
	}

	@Test
	void negativeConcurrencyFromPlaceholderFailsStartup() {
		this.contextRunner.withBean("negativeListener", PlaceholderListener.class)
			.withPropertyValues("app.stream=orders", "app.group=billing", "app.id=placeholder-id", "app.concurrency=-2",
					"app.auto-startup=false")
			.run((context) -> assertListenerFailure(context, "@RedisListener on negativeListener.onOrder(String): "
					+ "attribute 'concurrency' must be a positive integer, was '-2'"));
	}

	@Test
	void invalidAutoStartupFailsStartup() {
		this.contextRunner.withBean("maybeListener", InvalidAutoStartupListener.class)
			.run((context) -> assertListenerFailure(context, "@RedisListener on maybeListener.onOrder(String): "
					+ "attribute 'autoStartup' must be 'true' or 'false', was 'maybe'"));
	}

	@Test
	void inputStreamPayloadFailsStartup() {
		this.contextRunner.withBean("streamPayloadListener", InputStreamPayloadListener.class)
			.run((context) -> assertListenerFailure(context,
					"@RedisListener on streamPayloadListener.onOrder(InputStream): parameter 0 (InputStream body): "
							+ "unsupported payload type java.io.InputStream"));
	}

	@Test
	void interfacePayloadFailsStartup() {
		this.contextRunner.withBean("interfacePayloadListener", InterfacePayloadListener.class)
			.run((context) -> assertListenerFailure(context,
					"@RedisListener on interfacePayloadListener.onOrder(Shape): parameter 0 (Shape shape): "
							+ "unsupported payload type " + Shape.class.getName()));
	}

	@Test
	void twoPayloadParametersFailStartup() {
		this.contextRunner.withBean("twoPayloadsListener", TwoPayloadsListener.class)
			.run((context) -> assertListenerFailure(context,
					"@RedisListener on twoPayloadsListener.onOrder(String, String): more than one parameter could "
							+ "receive the payload: [parameter 0 (String order), parameter 1 (String tenant)]"));
	}

	@Test
	void headersOnNonMapFailsStartup() {
		this.contextRunner.withBean("headersListener", HeadersOnStringListener.class)
			.run((context) -> assertListenerFailure(context,
					"@RedisListener on headersListener.onOrder(String, String): parameter 1 (String headers): "
							+ "@Headers needs a Map parameter"));
	}

	@Test
	void duplicateIdFailsStartup() {
		this.contextRunner.withBean("firstListener", DuplicateIdListener.class)
			.withBean("secondListener", OtherDuplicateIdListener.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("Two listeners have the id 'shared-id'")
					.hasMessageContaining("firstListener.onOrder(String)")
					.hasMessageContaining("secondListener.onInvoice(String)")
					.hasMessageContaining("@RedisListener(id = ...)");
			});
	}

	@Test
	void sameStreamAndGroupFailsStartup() {
		this.contextRunner.withBean("firstListener", PlainListener.class)
			.withBean("secondListener", PlainListener.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("Listeners 'firstListener.onOrder' and 'secondListener.onOrder' "
							+ "(secondListener.onOrder(String)) both consume stream 'orders' in group 'bpp-tests'");
			});
	}

	@Test
	void sameStreamInDistinctGroupsIsAllowed() {
		this.contextRunner.withBean("firstListener", PlainListener.class)
			.withBean("billingListener", AllAttributesListener.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(settings(context, "firstListener.onOrder").getStream())
					.isEqualTo(settings(context, "all-attributes").getStream());
			});
	}

	@Test
	void aPartitionedListenerReadsEachPartitionInItsOwnContainer() {
		this.contextRunner.withBean("orderListener", PartitionedListener.class).run((context) -> {
			assertThat(context).hasNotFailed();
			StreamListenerContainer container = settings(context, "partitioned");
			assertThat(container.getStream()).isEqualTo("orders");
			assertThat(container.getSettings().getPartitions()).isEqualTo(4);
			assertThat(container.getStreamContainers()).extracting(StreamListenerContainer::getStream)
				.containsExactly("orders:{0}", "orders:{1}", "orders:{2}", "orders:{3}");
			assertThat(container.getStreamContainers()).allSatisfy((partition) -> {
				assertThat(partition.getGroup()).isEqualTo("bpp-tests");
				assertThat(partition.getSettings().getConcurrency()).isEqualTo(2);
				assertThat(partition.getListenerId()).isEqualTo("partitioned");
			});
		});
	}

	@Test
	void thePerListenerPropertyOverridesThePartitionsAttribute() {
		this.contextRunner.withBean("orderListener", PartitionedListener.class)
			.withPropertyValues("redis.streams.listeners.partitioned.partitions=2")
			.run((context) -> assertThat(settings(context, "partitioned").getStreamContainers()).hasSize(2));
		this.contextRunner.withBean("orderListener", PlainListener.class)
			.withPropertyValues("redis.streams.listeners[orderListener.onOrder].partitions=3")
			.run((context) -> assertThat(settings(context, "orderListener.onOrder").getStreamContainers())
				.extracting(StreamListenerContainer::getStream)
				.containsExactly("orders:{0}", "orders:{1}", "orders:{2}"));
	}

	@Test
	void invalidPartitionsFailStartupNamingTheAttribute() {
		for (String value : new String[] { "abc", "-1", "257" }) {
			this.contextRunner.withBean("orderListener", PlaceholderPartitionsListener.class)
				.withPropertyValues("app.partitions=" + value)
				.run((context) -> assertListenerFailure(context,
						"@RedisListener on orderListener.onOrder(String): attribute 'partitions' has an invalid value '"
								+ value + "' (an integer from 1 to 256, or 0 for a plain stream)"));
		}
		this.contextRunner.withBean("orderListener", PartitionedListener.class)
			.withPropertyValues("redis.streams.listeners.partitioned.partitions=300")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.hasMessageContaining("Listener 'partitioned'")
					.hasMessageContaining("partitions must be from 0 (a plain stream) to 256, was 300");
			});
	}

	@Test
	void maxRateAndTheRateLimitPropertiesSetTheRateLimit() {
		this.contextRunner.withBean("orderListener", RateLimitedListener.class)
			.withPropertyValues("app.rate=120/m")
			.run((context) -> assertThat(settings(context, "orderListener.onOrder").getSettings().getRateLimit())
				.isEqualTo(RateLimit.parse("120/m")));
		this.contextRunner.withBean("orderListener", RateLimitedListener.class)
			.withPropertyValues("app.rate=120/m", "redis.streams.listeners[orderListener.onOrder].rate-limit.burst=7")
			.run((context) -> assertThat(settings(context, "orderListener.onOrder").getSettings().getRateLimit())
				.isEqualTo(RateLimit.parse("120/m").withBurst(7)));
		this.contextRunner.withBean("orderListener", PlainListener.class)
			.withPropertyValues("redis.streams.listeners[orderListener.onOrder].rate-limit.rate=5/s")
			.run((context) -> assertThat(settings(context, "orderListener.onOrder").getSettings().getRateLimit())
				.isEqualTo(RateLimit.parse("5/s")));
		this.contextRunner.withBean("orderListener", PlainListener.class)
			.run((context) -> assertThat(settings(context, "orderListener.onOrder").getSettings().getRateLimit())
				.isNull());
	}

	@Test
	void anInvalidRateFailsStartupNamingTheAttributeOrProperty() {
		for (String value : new String[] { "fast", "50", "0/s", "50/d" }) {
			this.contextRunner.withBean("orderListener", RateLimitedListener.class)
				.withPropertyValues("app.rate=" + value)
				.run((context) -> assertListenerFailure(context,
						"@RedisListener on orderListener.onOrder(String): attribute 'maxRate' has an invalid value '"
								+ value + "' (<permits>/<unit>, a positive whole number of permits per s, m or h, "
								+ "such as 50/s)"));
		}
		this.contextRunner.withBean("orderListener", PlainListener.class)
			.withPropertyValues("redis.streams.listeners[orderListener.onOrder].rate-limit.rate=lots")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining(
						"redis.streams.listeners.orderListener.onOrder.rate-limit.rate: 'lots' " + "is not a rate");
			});
		this.contextRunner.withBean("orderListener", PlainListener.class)
			.withPropertyValues("redis.streams.listeners[orderListener.onOrder].rate-limit.burst=10")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining(
						"redis.streams.listeners.orderListener.onOrder.rate-limit.burst is set but the listener has "
								+ "no rate limit");
			});
		this.contextRunner.withBean("orderListener", RateLimitedListener.class)
			.withPropertyValues("app.rate=5/s", "redis.streams.listeners[orderListener.onOrder].rate-limit.burst=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining(
						"redis.streams.listeners.orderListener.onOrder.rate-limit.burst: the burst must be at least 1");
			});
	}

	@Test
	void aStreamWithAHashTagCannotBePartitioned() {
		this.contextRunner.withBean("orderListener", HashTagPartitionedListener.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("Listener 'orderListener.onOrder'")
				.hasMessageContaining("partitions 2 (the 'partitions' attribute or "
						+ "redis.streams.listeners.orderListener.onOrder.partitions)")
				.hasMessageContaining("'{shop}orders' cannot be partitioned");
		});
		this.contextRunner.withBean("orderListener", HashTagPlainListener.class)
			.withPropertyValues("redis.streams.listeners[orderListener.onOrder].partitions=2")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.hasMessageContaining("Listener 'orderListener.onOrder'")
					.hasMessageContaining("'{shop}orders' cannot be partitioned");
			});
		// the property turns the attribute's partitions off: a plain stream with a hash
		// tag
		this.contextRunner.withBean("orderListener", HashTagPartitionedListener.class)
			.withPropertyValues("redis.streams.listeners[orderListener.onOrder].partitions=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void listenersAndPublishersOfOneStreamMustAgreeOnItsPartitions() {
		this.contextRunner.withBean("orderListener", PartitionedListener.class)
			.withBean("auditListener", PlainAuditListener.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.hasMessageContaining("Stream 'orders' has")
					.hasMessageContaining("listener 'partitioned'")
					.hasMessageContaining("listener 'audit'");
			});
		this.contextRunner.withBean("orderListener", PartitionedListener.class)
			.withPropertyValues("redis.streams.publish.partitions.orders=8")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure())).hasMessageContaining(
						"Stream 'orders' has 8 partitions for redis.streams.publish.partitions.orders "
								+ "but 4 for listener 'partitioned'");
			});
	}

	private static void assertListenerFailure(AssertableApplicationContext context, String message,
			String... rootCauseFragments) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		BeanInitializationException listenerFailure = findCause(failure, BeanInitializationException.class);
		assertThat(listenerFailure).as("BeanInitializationException in the cause chain of %s", failure).isNotNull();
		assertThat(listenerFailure).hasMessageStartingWith(message);
		assertThat(failure).hasMessageContaining(message);
		for (String fragment : rootCauseFragments) {
			assertThat(failure).rootCause().hasMessageContaining(fragment);
		}
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		Throwable candidate = failure;
		while (candidate != null) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			candidate = candidate.getCause();
		}
		return null;
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

	interface Shape {

	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@RedisListener(stream = "composed-orders")
	@interface ComposedOrdersListener {

	}

	static class PlainListener {

		@RedisListener(stream = "orders")
		void onOrder(String order) {
		}

	}

	static class ExplicitIdListener {

		@RedisListener(id = "orders-in", stream = "orders")
		void onOrder(String order) {
		}

	}

	static class AllAttributesListener {

		@RedisListener(id = "all-attributes", stream = "orders", group = "billing", concurrency = "2",
				autoStartup = "false")
		void onOrder(String order) {
		}

	}

	static class PlaceholderListener {

		@RedisListener(id = "${app.id}", stream = "${app.stream}", group = "${app.group}",
				concurrency = "${app.concurrency}", autoStartup = "${app.auto-startup}")
		void onOrder(String order) {
		}

	}

	static class PlaceholderWithDefaultListener {

		@RedisListener(stream = "${app.stream:fallback-orders}", concurrency = "${app.concurrency:3}")
		void onOrder(String order) {
		}

	}

	static class ExpressionListener {

		@RedisListener(stream = "#{'orders-' + 'eu'}", concurrency = "#{2 * 3}")
		void onOrder(String order) {
		}

	}

	static class ComposedAnnotationListener {

		@ComposedOrdersListener
		void onOrder(String order) {
		}

	}

	static class MultipleMethodsListener {

		@RedisListener(stream = "orders")
		void onOrder(String order) {
		}

		@RedisListener(stream = "invoices")
		void onInvoice(String invoice) {
		}

		void notAListener(String ignored) {
		}

	}

	static class NotAListener {

		void onOrder(String order) {
		}

	}

	static class EmptyStreamListener {

		@RedisListener(stream = "")
		void onOrder(String order) {
		}

	}

	static class BlankStreamPlaceholderListener {

		@RedisListener(stream = "${app.stream}")
		void onOrder(String order) {
		}

	}

	static class UnresolvableStreamListener {

		@RedisListener(stream = "${missing.stream}")
		void onOrder(String order) {
		}

	}

	static class UnresolvableConcurrencyListener {

		@RedisListener(stream = "orders", concurrency = "${missing.concurrency}")
		void onOrder(String order) {
		}

	}

	static class NonNumericConcurrencyListener {

		@RedisListener(stream = "orders", concurrency = "abc")
		void onOrder(String order) {
		}

	}

	static class ZeroConcurrencyListener {

		@RedisListener(stream = "orders", concurrency = "0")
		void onOrder(String order) {
		}

	}

	static class InvalidAutoStartupListener {

		@RedisListener(stream = "orders", autoStartup = "maybe")
		void onOrder(String order) {
		}

	}

	static class InputStreamPayloadListener {

		@RedisListener(stream = "orders")
		void onOrder(InputStream body) {
		}

	}

	static class InterfacePayloadListener {

		@RedisListener(stream = "orders")
		void onOrder(Shape shape) {
		}

	}

	static class TwoPayloadsListener {

		@RedisListener(stream = "orders")
		void onOrder(String order, String tenant) {
		}

	}

	static class HeadersOnStringListener {

		@RedisListener(stream = "orders")
		void onOrder(String order, @Headers String headers) {
		}

	}

	static class DuplicateIdListener {

		@RedisListener(id = "shared-id", stream = "orders")
		void onOrder(String order) {
		}

	}

	static class OtherDuplicateIdListener {

		@RedisListener(id = "shared-id", stream = "invoices")
		void onInvoice(String invoice) {
		}

	}

	static class PartitionedListener {

		@RedisListener(stream = "orders", id = "partitioned", partitions = "4", concurrency = "2")
		void onOrder(String order) {
		}

	}

	static class PlainAuditListener {

		@RedisListener(stream = "orders", id = "audit", group = "audit")
		void onOrder(String order) {
		}

	}

	static class RateLimitedListener {

		@RedisListener(stream = "orders", maxRate = "${app.rate}")
		void onOrder(String order) {
		}

	}

	static class PlaceholderPartitionsListener {

		@RedisListener(stream = "orders", partitions = "${app.partitions}")
		void onOrder(String order) {
		}

	}

	static class HashTagPartitionedListener {

		@RedisListener(stream = "{shop}orders", partitions = "2")
		void onOrder(String order) {
		}

	}

	static class HashTagPlainListener {

		@RedisListener(stream = "{shop}orders")
		void onOrder(String order) {
		}

	}

}
