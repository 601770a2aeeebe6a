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

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.expression.StandardBeanExpressionResolver;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.GenericMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StreamMessageHandlerMethodFactory}.
 */
class StreamMessageHandlerMethodFactoryTests {

	private final Listener listener = new Listener();

	@Test
	void headerNamedNativeHeadersIsAnOrdinaryHeader() throws Exception {
		InvocableHandlerMethod method = factory(null).createInvocableHandlerMethod(this.listener,
				method("nativeHeaders"));
		assertThat(method.invoke(message(Map.of("nativeHeaders", "none", "tenant", "acme")))).isEqualTo("none/acme");
	}

	@Test
	void missingRequiredHeaderStillFails() {
		InvocableHandlerMethod method = factory(null).createInvocableHandlerMethod(this.listener,
				method("nativeHeaders"));
		assertThatExceptionOfType(MessageHandlingException.class)
			.isThrownBy(() -> method.invoke(message(Map.of("nativeHeaders", "none"))))
			.withMessageContaining("Missing header 'tenant'");
	}

	@Test
	void defaultValuesUseTheBeanFactoryAndConversionUsesTheConversionService() throws Exception {
		DefaultConversionService conversionService = new DefaultConversionService();
		conversionService.addConverter(String.class, Tenant.class, (value) -> new Tenant(value.toUpperCase()));
		InvocableHandlerMethod method = factory(conversionService).createInvocableHandlerMethod(this.listener,
				method("converted"));
		assertThat(method.invoke(message(Map.of("tenant", "acme")))).isEqualTo(new Tenant("ACME") + "/fallback");
	}

	private static StreamMessageHandlerMethodFactory factory(DefaultConversionService conversionService) {
		StreamMessageHandlerMethodFactory factory = new StreamMessageHandlerMethodFactory();
		factory.setMessageConverter(new StreamEntryMessageConverter(new JsonMapper()));
		if (conversionService != null) {
			factory.setConversionService(conversionService);
		}
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.addEmbeddedValueResolver((value) -> value.replace("${region:fallback}", "fallback"));
		beanFactory.setBeanExpressionResolver(new StandardBeanExpressionResolver());
		factory.setBeanFactory(beanFactory);
		factory.afterPropertiesSet();
		return factory;
	}

	private static Message<String> message(Map<String, Object> headers) {
		return new GenericMessage<>("payload", new StreamMessageHeaders(headers));
	}

	private static Method method(String name) {
		return Arrays.stream(Listener.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
	}

	record Tenant(String name) {
	}

	static class Listener {

		String nativeHeaders(@Header("nativeHeaders") String nativeHeaders, @Header("tenant") String tenant) {
			return nativeHeaders + "/" + tenant;
		}

		String converted(@Header("tenant") Tenant tenant,
				@Header(name = "region", defaultValue = "${region:fallback}") String region) {
			return tenant + "/" + region;
		}

	}

}
