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

package io.github.redisstreams.listener.adapter;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.listener.Acknowledgment;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.support.StreamEntry;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.validation.annotation.Validated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for the direct invocation of simple listener methods: eligible only where
 * spring-messaging would just convert the payload, and then the same arguments and the
 * same exceptions as through spring-messaging's resolvers.
 */
class DirectInvocationTests {

	private static final Acknowledgment ACK = () -> {
	};

	@ParameterizedTest
	@ValueSource(strings = { "order", "orderContextAck", "ackOrder", "contextOnly", "none", "entry", "fields", "text",
			"bytes", "orders", "number", "generic", "twoContexts" })
	void aMethodOfPayloadContextAndAcknowledgmentIsInvokedDirectlyWithWhatSpringMessagingPasses(String name)
			throws Exception {
		Recorder direct = new Recorder();
		Recorder resolved = new Recorder();
		MessagingStreamMessageHandler directHandler = factory().createMessageHandler(direct, method(name));
		MessagingStreamMessageHandler resolvedHandler = new MessagingStreamMessageHandler(
				factory().createInvocableHandlerMethod(resolved, method(name)));
		assertThat(directHandler.isDirect()).isTrue();
		assertThat(resolvedHandler.isDirect()).isFalse();
		StreamEntry entry = entry(payloadFor(name));
		StreamMessageContext context = context(entry);
		directHandler.handle(entry, context, ACK);
		resolvedHandler.handle(entry, context, ACK);
		assertThat(direct.arguments).hasSizeGreaterThanOrEqualTo(method(name).getParameterCount())
			.isEqualTo(resolved.arguments);
		assertThat(direct.arguments).allSatisfy((argument) -> assertThat(argument).isNotNull());
	}

	@ParameterizedTest
	@ValueSource(strings = { "header", "payloadAnnotated", "valid", "object", "message", "optional" })
	void aMethodThatNeedsTheResolversIsNotInvokedDirectlyAndStillGetsWhatTheyPass(String name) throws Exception {
		Recorder direct = new Recorder();
		Recorder resolved = new Recorder();
		MessagingStreamMessageHandler handler = factory().createMessageHandler(direct, method(name));
		assertThat(handler.isDirect()).isFalse();
		StreamEntry entry = entry("{\"id\":\"o-1\",\"quantity\":2}");
		handler.handle(entry, context(entry), ACK);
		new MessagingStreamMessageHandler(factory().createInvocableHandlerMethod(resolved, method(name))).handle(entry,
				context(entry), ACK);
		assertThat(direct.arguments).isEqualTo(resolved.arguments);
	}

	@Test
	void anObjectParameterReceivesTheContextAsThroughTheResolvers() throws Exception {
		Recorder recorder = new Recorder();
		StreamEntry entry = entry("{}");
		StreamMessageContext context = context(entry);
		factory().createMessageHandler(recorder, method("object")).handle(entry, context, ACK);
		assertThat(recorder.arguments).containsExactly(context);
	}

	@Test
	void aPayloadThatCannotBeConvertedFailsAsThroughTheResolvers() {
		StreamEntry entry = entry("{\"quantity\":\"many\"}");
		Throwable direct = catchThrowable(() -> factory().createMessageHandler(new Recorder(), method("order"))
			.handle(entry, context(entry), ACK));
		Throwable resolved = catchThrowable(() -> new MessagingStreamMessageHandler(
				factory().createInvocableHandlerMethod(new Recorder(), method("order")))
			.handle(entry, context(entry), ACK));
		assertThat(direct).isInstanceOf(MessageConversionException.class)
			.hasMessage(resolved.getMessage())
			.hasMessageContaining("entry 1-0 of stream 'orders'");
		assertThat(resolved).isInstanceOf(MessageConversionException.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "checked", "unchecked", "error" })
	void whatTheMethodThrowsIsRethrownUnwrappedAsThroughTheResolvers(String kind) {
		Thrower direct = new Thrower(kind);
		Thrower resolved = new Thrower(kind);
		Method method = Arrays.stream(Thrower.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals("on"))
			.findFirst()
			.orElseThrow();
		StreamEntry entry = entry("{\"id\":\"o-1\",\"quantity\":2}");
		MessagingStreamMessageHandler directHandler = factory().createMessageHandler(direct, method);
		assertThat(directHandler.isDirect()).isTrue();
		Throwable thrownDirectly = catchThrowable(() -> directHandler.handle(entry, context(entry), ACK));
		Throwable thrownResolved = catchThrowable(
				() -> new MessagingStreamMessageHandler(factory().createInvocableHandlerMethod(resolved, method))
					.handle(entry, context(entry), ACK));
		assertThat(thrownDirectly).isSameAs(direct.thrown);
		assertThat(thrownResolved).isSameAs(resolved.thrown);
	}

	@Test
	void theMethodIsCalledWithoutReflectionSoThatWhatItThrowsIsNotWrappedOnTheWay() throws Exception {
		// a reflective call wraps what the method throws in an InvocationTargetException,
		// whose stack trace costs as much as the listener's own exception
		CallerRecorder recorder = new CallerRecorder();
		Method method = CallerRecorder.class.getDeclaredMethod("on", Order.class);
		StreamEntry entry = entry("{\"id\":\"o-1\",\"quantity\":2}");
		MessagingStreamMessageHandler handler = factory().createMessageHandler(recorder, method);
		assertThat(handler.isDirect()).isTrue();
		handler.handle(entry, context(entry), ACK);
		assertThat(recorder.callers).containsExactly(DirectInvocation.class.getName());
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aListenerBehindAnAopProxyIsInvokedThroughTheProxy(boolean proxyTargetClass) throws Exception {
		AdvisedOrders target = new AdvisedOrders();
		List<String> advised = new ArrayList<>();
		ProxyFactory proxyFactory = new ProxyFactory(target);
		proxyFactory.setProxyTargetClass(proxyTargetClass);
		proxyFactory.addAdvice((MethodInterceptor) (invocation) -> {
			advised.add(invocation.getMethod().getName());
			return invocation.proceed();
		});
		Object proxy = proxyFactory.getProxy();
		// as the annotation post-processor selects it: the interface's method on a JDK
		// proxy, the class's on a CGLIB one
		Method method = AopUtils.selectInvocableMethod(AdvisedOrders.class.getMethod("on", Order.class),
				proxy.getClass());
		MessagingStreamMessageHandler handler = factory().createMessageHandler(proxy, method);
		assertThat(handler.isDirect()).isTrue();
		StreamEntry entry = entry("{\"id\":\"o-1\",\"quantity\":2}");
		handler.handle(entry, context(entry), ACK);
		assertThat(advised).containsExactly("on");
		assertThat(target.orders).containsExactly(new Order("o-1", 2));
	}

	@ParameterizedTest
	@ValueSource(strings = { "varargs", "staticVarargs", "staticOrder" })
	void aVarargsOrStaticMethodGetsWhatSpringMessagingPasses(String name) throws Exception {
		Method method = Arrays.stream(Statics.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
		StreamEntry entry = entry(name.equals("staticOrder") ? "{\"id\":\"o-1\",\"quantity\":2}"
				: "[{\"id\":\"o-1\",\"quantity\":2},{\"id\":\"o-2\",\"quantity\":3}]");
		MessagingStreamMessageHandler directHandler = factory().createMessageHandler(new Statics(), method);
		assertThat(directHandler.isDirect()).isTrue();
		directHandler.handle(entry, context(entry), ACK);
		List<Object> direct = List.copyOf(Statics.received);
		Statics.received.clear();
		new MessagingStreamMessageHandler(factory().createInvocableHandlerMethod(new Statics(), method)).handle(entry,
				context(entry), ACK);
		assertThat(direct).isEqualTo(Statics.received).isNotEmpty();
		Statics.received.clear();
	}

	@Test
	void aPayloadOfTheWrongTypeFailsNamingTheMethodAndTheListenerIsNotInvoked() throws Exception {
		Recorder recorder = new Recorder();
		StreamEntryMessageConverter wrongType = new StreamEntryMessageConverter(new JsonMapper()) {

			@Override
			public Object convert(StreamEntry entry, Class<?> targetClass, Type targetType) {
				return "not an order";
			}

		};
		DirectInvocation invocation = DirectInvocation
			.of(factory().createInvocableHandlerMethod(recorder, method("order")), wrongType);
		assertThat(invocation).isNotNull();
		StreamEntry entry = entry("{\"id\":\"o-1\",\"quantity\":2}");
		assertThatIllegalStateException().isThrownBy(() -> invocation.invoke(entry, context(entry), ACK))
			.withMessageContaining("Cannot invoke listener method")
			.withMessageContaining("order(")
			.withMessageContaining("argument type mismatch (java.lang.String for " + Order.class.getName() + ")");
		assertThat(recorder.arguments).isEmpty();
	}

	@Test
	void aTypeVariableOfTheBeansSuperclassIsResolvedAgainstTheBeanAsThroughTheResolvers() throws Exception {
		Method method = Arrays.stream(Counts.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals("on"))
			.findFirst()
			.orElseThrow();
		LongCounts direct = new LongCounts();
		LongCounts resolved = new LongCounts();
		MessagingStreamMessageHandler handler = factory().createMessageHandler(direct, method);
		assertThat(handler.isDirect()).isTrue();
		StreamEntry entry = entry("42");
		handler.handle(entry, context(entry), ACK);
		new MessagingStreamMessageHandler(factory().createInvocableHandlerMethod(resolved, method)).handle(entry,
				context(entry), ACK);
		assertThat(resolved.last).isEqualTo(42L);
		assertThat(direct.last).isEqualTo(42L);
	}

	@Test
	void anAnnotationOnTheParameterOfAnOverriddenInterfaceMethodKeepsTheResolvers() throws Exception {
		Method method = HeaderFromInterface.class.getDeclaredMethod("on", String.class);
		HeaderFromInterface listener = new HeaderFromInterface();
		MessagingStreamMessageHandler handler = factory().createMessageHandler(listener, method);
		assertThat(handler.isDirect()).isFalse();
		StreamEntry entry = entry("{}");
		handler.handle(entry, context(entry), ACK);
		assertThat(listener.tenant).isEqualTo("acme");
	}

	@Test
	void aMessageHeaderAccessorParameterKeepsTheResolvers() {
		Method method = Arrays.stream(Accessor.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals("on"))
			.findFirst()
			.orElseThrow();
		assertThat(factory().createMessageHandler(new Accessor(), method).isDirect()).isFalse();
	}

	@Test
	void aFactoryThatCreatesItsOwnHandlerMethodsRulesOutTheDirectInvocation() {
		StreamMessageHandlerMethodFactory factory = new StreamMessageHandlerMethodFactory() {

			@Override
			public InvocableHandlerMethod createInvocableHandlerMethod(Object bean, Method method) {
				return super.createInvocableHandlerMethod(bean, method);
			}

		};
		factory.setMessageConverter(new StreamEntryMessageConverter(new JsonMapper()));
		factory.afterPropertiesSet();
		assertThat(factory.createMessageHandler(new Recorder(), method("order")).isDirect()).isFalse();
	}

	@Test
	void customArgumentResolversRuleOutTheDirectInvocation() {
		StreamMessageHandlerMethodFactory factory = new StreamMessageHandlerMethodFactory();
		factory.setMessageConverter(new StreamEntryMessageConverter(new JsonMapper()));
		factory.setCustomArgumentResolvers(List.of(new HandlerMethodArgumentResolver() {

			@Override
			public boolean supportsParameter(MethodParameter parameter) {
				return parameter.getParameterType() == Order.class;
			}

			@Override
			public Object resolveArgument(MethodParameter parameter, Message<?> message) {
				return new Order("from the resolver", 0);
			}

		}));
		factory.afterPropertiesSet();
		assertThat(factory.createMessageHandler(new Recorder(), method("order")).isDirect()).isFalse();
	}

	@Test
	void aFactoryThatAddsResolversInItsOwnWayRulesOutTheDirectInvocation() {
		StreamMessageHandlerMethodFactory factory = new StreamMessageHandlerMethodFactory() {

			@Override
			protected List<HandlerMethodArgumentResolver> initArgumentResolvers() {
				return new ArrayList<>(super.initArgumentResolvers());
			}

		};
		factory.setMessageConverter(new StreamEntryMessageConverter(new JsonMapper()));
		factory.afterPropertiesSet();
		assertThat(factory.createMessageHandler(new Recorder(), method("order")).isDirect()).isFalse();
	}

	@Test
	void anotherMessageConverterRulesOutTheDirectInvocation() {
		StreamMessageHandlerMethodFactory factory = new StreamMessageHandlerMethodFactory();
		factory.setMessageConverter(new StringMessageConverter());
		factory.afterPropertiesSet();
		assertThat(factory.createMessageHandler(new Recorder(), method("order")).isDirect()).isFalse();
	}

	@Test
	void aSubclassOfTheConverterRulesOutTheDirectInvocation() {
		StreamMessageHandlerMethodFactory factory = new StreamMessageHandlerMethodFactory();
		factory.setMessageConverter(new StreamEntryMessageConverter(new JsonMapper()) {

			@Override
			public Object fromMessage(Message<?> message, Class<?> targetClass, Object conversionHint) {
				return new Order("from the subclass", 0);
			}

		});
		factory.afterPropertiesSet();
		assertThat(factory.createMessageHandler(new Recorder(), method("order")).isDirect()).isFalse();
	}

	private static String payloadFor(String name) {
		return switch (name) {
			case "orders" -> "[{\"id\":\"o-1\",\"quantity\":2},{\"id\":\"o-2\",\"quantity\":3}]";
			case "number" -> "42";
			default -> "{\"id\":\"o-1\",\"quantity\":2}";
		};
	}

	private static StreamMessageHandlerMethodFactory factory() {
		StreamMessageHandlerMethodFactory factory = new StreamMessageHandlerMethodFactory();
		factory.setMessageConverter(new StreamEntryMessageConverter(new JsonMapper()));
		factory.afterPropertiesSet();
		return factory;
	}

	private static StreamEntry entry(String payload) {
		Map<String, byte[]> fields = new LinkedHashMap<>();
		fields.put("payload", payload.getBytes(StandardCharsets.UTF_8));
		fields.put("tenant", "acme".getBytes(StandardCharsets.UTF_8));
		return new StreamEntry("1-0", "orders", fields);
	}

	private static StreamMessageContext context(StreamEntry entry) {
		return new StreamMessageContext(entry.getId(), entry.getStream(), "billing", "pod-a-1", 1, "orders-listener");
	}

	private static Method method(String name) {
		return Arrays.stream(Recorder.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
	}

	record Order(String id, int quantity) {
	}

	static class Recorder {

		final List<Object> arguments = new ArrayList<>();

		void order(Order order) {
			this.arguments.add(order);
		}

		void orderContextAck(Order order, StreamMessageContext context, Acknowledgment acknowledgment) {
			this.arguments.addAll(Arrays.asList(order, context, acknowledgment));
		}

		void ackOrder(Acknowledgment acknowledgment, Order order) {
			this.arguments.addAll(Arrays.asList(acknowledgment, order));
		}

		void contextOnly(StreamMessageContext context) {
			this.arguments.add(context);
		}

		void none() {
		}

		void entry(StreamEntry entry) {
			this.arguments.add(entry);
		}

		void fields(Map<String, String> fields) {
			this.arguments.add(fields);
		}

		void text(String text) {
			this.arguments.add(text);
		}

		void bytes(byte[] bytes) {
			this.arguments.add(new String(bytes, StandardCharsets.UTF_8));
		}

		void orders(List<Order> orders) {
			this.arguments.add(orders);
			this.arguments.add(orders.get(0).getClass());
		}

		void number(int number) {
			this.arguments.add(number);
		}

		<T extends Map<String, Object>> void generic(T value) {
			this.arguments.add(value);
		}

		void header(Order order, @Header("tenant") String tenant) {
			this.arguments.addAll(Arrays.asList(order, tenant));
		}

		void payloadAnnotated(@Payload Order order) {
			this.arguments.add(order);
		}

		void valid(@Validated Order order) {
			this.arguments.add(order);
		}

		void object(Object value) {
			this.arguments.add(value);
		}

		void message(Message<Order> message) {
			this.arguments.add(message.getPayload());
		}

		void optional(Optional<Order> order) {
			this.arguments.add(order);
		}

		void twoContexts(StreamMessageContext first, StreamMessageContext second) {
			this.arguments.addAll(Arrays.asList(first, second));
		}

	}

	abstract static class Counts<N extends Number> {

		N last;

		void on(N count) {
			this.last = count;
		}

	}

	static class LongCounts extends Counts<Long> {

	}

	interface TenantListener {

		void on(@Header("tenant") String tenant);

	}

	static class HeaderFromInterface implements TenantListener {

		String tenant;

		@Override
		public void on(String tenant) {
			this.tenant = tenant;
		}

	}

	static class Accessor {

		void on(MessageHeaderAccessor accessor) {
		}

	}

	static class Statics {

		static final List<Object> received = new ArrayList<>();

		void varargs(Order... orders) {
			received.addAll(Arrays.asList(orders));
		}

		static void staticVarargs(Order... orders) {
			received.addAll(Arrays.asList(orders));
		}

		static void staticOrder(Order order) {
			received.add(order);
		}

	}

	public interface OrdersListener {

		void on(Order order);

	}

	public static class AdvisedOrders implements OrdersListener {

		final List<Order> orders = new ArrayList<>();

		@Override
		public void on(Order order) {
			this.orders.add(order);
		}

	}

	static class CallerRecorder {

		private List<String> callers = List.of();

		void on(Order order) {
			// the caller, reflection frames included (a method handle's are hidden)
			this.callers = StackWalker.getInstance(StackWalker.Option.SHOW_REFLECT_FRAMES)
				.walk((frames) -> frames.skip(1).limit(1).map(StackWalker.StackFrame::getClassName).toList());
		}

	}

	static class Thrower {

		private final Throwable thrown;

		Thrower(String kind) {
			this.thrown = switch (kind) {
				case "checked" -> new IOException("disk full");
				case "unchecked" -> new IllegalStateException("bad state");
				default -> new StackOverflowError("deep");
			};
		}

		void on(Order order) throws Throwable {
			throw this.thrown;
		}

	}

}
