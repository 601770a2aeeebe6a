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
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import io.github.redisstreams.listener.Acknowledgment;
import io.github.redisstreams.listener.StreamMessageContext;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotatedMethod;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;

/**
 * What the parameters of a listener method need, checked once at startup so that a
 * listener that could never be invoked fails the application start instead of every
 * message.
 *
 * @param manualAck whether the method takes an {@link Acknowledgment}, which switches the
 * listener to manual acknowledgement
 * @param needsHeaders whether the method reads headers ({@code @Header},
 * {@code @Headers}, {@code Message}, {@code MessageHeaders})
 * @since 0.1.0
 */
record ListenerMethodSignature(boolean manualAck, boolean needsHeaders) {

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	private static final List<String> JACKSON_TYPE_ANNOTATIONS = List.of(
			"com.fasterxml.jackson.annotation.JsonTypeInfo", "com.fasterxml.jackson.annotation.JsonSubTypes",
			"tools.jackson.databind.annotation.JsonDeserialize");

	/**
	 * Inspect a listener method.
	 * @param method the method
	 * @return the signature
	 * @throws IllegalArgumentException naming the parameter at fault if the method cannot
	 * be a listener
	 */
	public static ListenerMethodSignature inspect(Method method) {
		boolean manualAck = false;
		boolean needsHeaders = false;
		List<String> payloadParameters = new ArrayList<>();
		// annotations of the methods this one overrides count too, as for the resolvers
		MethodParameter[] parameters = new AnnotatedMethod(method).getMethodParameters();
		for (MethodParameter parameter : parameters) {
			parameter.initParameterNameDiscovery(PARAMETER_NAMES);
			Class<?> type = parameter.getParameterType();
			if (type == Acknowledgment.class) {
				if (manualAck) {
					throw new IllegalArgumentException(
							describe(parameter) + ": only one Acknowledgment parameter " + "is allowed");
				}
				manualAck = true;
			}
			else if (type == StreamMessageContext.class) {
				continue;
			}
			else if (parameter.hasParameterAnnotation(Headers.class)) {
				if (!Map.class.isAssignableFrom(type)) {
					throw new IllegalArgumentException(describe(parameter) + ": @Headers needs a Map parameter "
							+ "(for example Map<String, String>)");
				}
				needsHeaders = true;
			}
			else if (parameter.hasParameterAnnotation(Header.class) || type == MessageHeaders.class) {
				needsHeaders = true;
			}
			else if (Message.class.isAssignableFrom(type)) {
				needsHeaders = true;
				payloadParameters.add(describe(parameter));
			}
			else {
				checkPayloadType(parameter, type);
				payloadParameters.add(describe(parameter));
			}
		}
		if (payloadParameters.size() > 1) {
			throw new IllegalArgumentException("more than one parameter could receive the payload: " + payloadParameters
					+ "; keep one payload parameter and annotate the others with @Header or "
					+ "@Headers, or declare them as Acknowledgment or StreamMessageContext");
		}
		return new ListenerMethodSignature(manualAck, needsHeaders);
	}

	private static void checkPayloadType(MethodParameter parameter, Class<?> type) {
		if (InputStream.class.isAssignableFrom(type) || Reader.class.isAssignableFrom(type)
				|| Future.class.isAssignableFrom(type) || Thread.class.isAssignableFrom(type)
				|| (isAbstract(type) && !isJacksonFriendly(type))) {
			throw new IllegalArgumentException(describe(parameter) + ": unsupported payload type " + type.getName()
					+ "; a payload parameter must be a concrete class or record that Jackson can "
					+ "create, a Map, a collection, String, byte[] or StreamEntry (annotate an abstract type "
					+ "with @JsonTypeInfo to make it polymorphic)");
		}
	}

	private static boolean isAbstract(Class<?> type) {
		return !type.isPrimitive() && !type.isArray()
				&& (type.isInterface() || Modifier.isAbstract(type.getModifiers()));
	}

	private static boolean isJacksonFriendly(Class<?> type) {
		if (Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type) || type == Iterable.class
				|| type == CharSequence.class || Number.class.isAssignableFrom(type)
				|| type.getName().startsWith("tools.jackson.databind.")) {
			return true;
		}
		return JACKSON_TYPE_ANNOTATIONS.stream()
			.anyMatch((name) -> AnnotatedElementUtils.hasAnnotation(type, load(name)));
	}

	@SuppressWarnings("unchecked")
	private static Class<? extends Annotation> load(String name) {
		try {
			return (Class<? extends Annotation>) Class.forName(name, false,
					ListenerMethodSignature.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			return Deprecated.class;
		}
	}

	private static String describe(MethodParameter parameter) {
		String name = parameter.getParameterName();
		return "parameter " + parameter.getParameterIndex() + " (" + parameter.getParameterType().getSimpleName()
				+ ((name != null) ? " " + name : "") + ")";
	}

}
