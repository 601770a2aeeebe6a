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

import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.github.redisstreams.listener.Acknowledgment;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.support.StreamEntry;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ListenerMethodSignature}.
 */
class ListenerMethodSignatureTests {

	private static final ListenerMethodSignature AUTO_ACK_WITHOUT_HEADERS = new ListenerMethodSignature(false, false);

	@Test
	void methodWithoutParametersNeedsNothing() {
		ListenerMethodSignature signature = inspect("noParameters");
		assertThat(signature.manualAck()).isFalse();
		assertThat(signature.needsHeaders()).isFalse();
	}

	@Test
	void payloadOnlyNeedsNeitherManualAckNorHeaders() {
		ListenerMethodSignature signature = inspect("payloadOnly");
		assertThat(signature.manualAck()).isFalse();
		assertThat(signature.needsHeaders()).isFalse();
	}

	@Test
	void acknowledgmentParameterSwitchesToManualAck() {
		ListenerMethodSignature signature = inspect("manualAck");
		assertThat(signature.manualAck()).isTrue();
		assertThat(signature.needsHeaders()).isFalse();
	}

	@Test
	void acknowledgmentAloneSwitchesToManualAck() {
		assertThat(inspect("acknowledgmentOnly").manualAck()).isTrue();
	}

	@Test
	void contextParameterIsNeitherPayloadNorHeaders() {
		ListenerMethodSignature signature = inspect("payloadAndContext");
		assertThat(signature.manualAck()).isFalse();
		assertThat(signature.needsHeaders()).isFalse();
	}

	@Test
	void aHeaderAnnotationOnTheInterfaceMethodCountsAsOnTheListenerMethod() throws Exception {
		ListenerMethodSignature signature = ListenerMethodSignature
			.inspect(TenantOrders.class.getDeclaredMethod("on", String.class, String.class));
		assertThat(signature.needsHeaders()).isTrue();
		assertThat(signature.manualAck()).isFalse();
	}

	interface TenantListener {

		void on(String order, @Header("tenant") String tenant);

	}

	static class TenantOrders implements TenantListener {

		@Override
		public void on(String order, String tenant) {
		}

	}

	@Test
	void headerParameterNeedsHeaders() {
		ListenerMethodSignature signature = inspect("header");
		assertThat(signature.needsHeaders()).isTrue();
		assertThat(signature.manualAck()).isFalse();
	}

	@Test
	void headersMapParameterNeedsHeaders() {
		assertThat(inspect("headersMap").needsHeaders()).isTrue();
	}

	@Test
	void messageHeadersParameterNeedsHeaders() {
		assertThat(inspect("messageHeaders").needsHeaders()).isTrue();
	}

	@Test
	void messageParameterNeedsHeaders() {
		assertThat(inspect("message").needsHeaders()).isTrue();
	}

	@Test
	void everySupportedParameterTogether() {
		ListenerMethodSignature signature = inspect("everything");
		assertThat(signature.manualAck()).isTrue();
		assertThat(signature.needsHeaders()).isTrue();
	}

	@Test
	void supportedPayloadTypes() {
		assertThat(inspect("string")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("bytes")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("primitive")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("streamEntry")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("stringMap")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("list")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("collection")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("iterable")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("charSequence")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("number")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
		assertThat(inspect("jsonNode")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
	}

	@Test
	void polymorphicInterfacePayloadIsAccepted() {
		assertThat(inspect("polymorphicInterface")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
	}

	@Test
	void polymorphicAbstractClassPayloadIsAccepted() {
		assertThat(inspect("polymorphicAbstractClass")).isEqualTo(AUTO_ACK_WITHOUT_HEADERS);
	}

	@Test
	void inputStreamPayloadIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("inputStream"))
			.withMessageStartingWith("parameter 0 (InputStream body): unsupported payload type java.io.InputStream");
	}

	@Test
	void readerPayloadIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("reader"))
			.withMessageStartingWith("parameter 0 (Reader body): unsupported payload type java.io.Reader");
	}

	@Test
	void futurePayloadIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("future"))
			.withMessageStartingWith("parameter 1 (CompletableFuture order): unsupported payload type "
					+ CompletableFuture.class.getName());
	}

	@Test
	void threadPayloadIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("thread"))
			.withMessageStartingWith("parameter 0 (Thread thread): unsupported payload type java.lang.Thread");
	}

	@Test
	void plainInterfacePayloadIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("plainInterface"))
			.withMessageStartingWith(
					"parameter 0 (Shape shape): unsupported payload type " + Shape.class.getName() + "; ")
			.withMessageContaining("@JsonTypeInfo");
	}

	@Test
	void plainAbstractClassPayloadIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("plainAbstractClass"))
			.withMessageStartingWith(
					"parameter 0 (AbstractShape shape): unsupported payload type " + AbstractShape.class.getName());
	}

	@Test
	void twoPayloadParametersAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("twoPayloads"))
			.withMessageStartingWith("more than one parameter could receive the payload: "
					+ "[parameter 0 (Order order), parameter 2 (String note)]");
	}

	@Test
	void messageAndPayloadParametersAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("messageAndPayload"))
			.withMessageStartingWith("more than one parameter could receive the payload: "
					+ "[parameter 0 (Message message), parameter 1 (Order order)]");
	}

	@Test
	void headersOnNonMapIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("headersOnString"))
			.withMessageStartingWith("parameter 1 (String headers): @Headers needs a Map parameter");
	}

	@Test
	void twoAcknowledgmentsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> inspect("twoAcknowledgments"))
			.withMessageStartingWith("parameter 2 (Acknowledgment second): only one Acknowledgment parameter");
	}

	private static ListenerMethodSignature inspect(String methodName) {
		return ListenerMethodSignature.inspect(method(methodName));
	}

	private static Method method(String name) {
		List<Method> methods = Arrays.stream(Listeners.class.getDeclaredMethods())
			.filter((method) -> method.getName().equals(name))
			.toList();
		assertThat(methods).as("methods named '%s'", name).hasSize(1);
		return methods.get(0);
	}

	record Order(String id, BigDecimal amount) {

	}

	interface Shape {

	}

	abstract static class AbstractShape {

	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
	@JsonSubTypes(@JsonSubTypes.Type(value = Circle.class, name = "circle"))
	interface PolymorphicShape {

	}

	record Circle(double radius) implements PolymorphicShape {

	}

	@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
	abstract static class PolymorphicAbstractShape {

	}

	@SuppressWarnings("unused")
	static class Listeners {

		void noParameters() {
		}

		void payloadOnly(Order order) {
		}

		void manualAck(Order order, Acknowledgment acknowledgment) {
		}

		void acknowledgmentOnly(Acknowledgment acknowledgment) {
		}

		void payloadAndContext(Order order, StreamMessageContext context) {
		}

		void header(Order order, @Header("tenant") String tenant) {
		}

		void headersMap(Order order, @Headers Map<String, String> headers) {
		}

		void messageHeaders(Order order, MessageHeaders headers) {
		}

		void message(Message<Order> message) {
		}

		void everything(Order order, @Header("tenant") String tenant, @Headers Map<String, Object> headers,
				MessageHeaders messageHeaders, StreamMessageContext context, Acknowledgment acknowledgment) {
		}

		void string(String body) {
		}

		void bytes(byte[] body) {
		}

		void primitive(long value) {
		}

		void streamEntry(StreamEntry entry) {
		}

		void stringMap(Map<String, String> fields) {
		}

		void list(List<Order> orders) {
		}

		void collection(Collection<Order> orders) {
		}

		void iterable(Iterable<Order> orders) {
		}

		void charSequence(CharSequence body) {
		}

		void number(Number value) {
		}

		void jsonNode(JsonNode tree) {
		}

		void polymorphicInterface(PolymorphicShape shape) {
		}

		void polymorphicAbstractClass(PolymorphicAbstractShape shape) {
		}

		void inputStream(InputStream body) {
		}

		void reader(Reader body) {
		}

		void future(StreamMessageContext context, CompletableFuture<Order> order) {
		}

		void thread(Thread thread) {
		}

		void plainInterface(Shape shape) {
		}

		void plainAbstractClass(AbstractShape shape) {
		}

		void twoPayloads(Order order, @Header("tenant") String tenant, String note) {
		}

		void messageAndPayload(Message<Order> message, Order order) {
		}

		void headersOnString(Order order, @Headers String headers) {
		}

		void twoAcknowledgments(Acknowledgment first, Order order, Acknowledgment second) {
		}

	}

}
