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

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.Acknowledgment;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.support.StreamEntry;

import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Invokes a listener method whose parameters are at most one payload without annotations,
 * a {@link StreamMessageContext} and an {@link Acknowledgment}, without a {@link Message}
 * and the argument resolvers per entry: what spring-messaging's
 * {@code InvocableHandlerMethod} with the default resolvers and a
 * {@link StreamEntryMessageConverter} does for such a method, decided once.
 * <p>
 * Same arguments and the same exceptions: the entry itself for a parameter its class is
 * assignable to, else {@link StreamEntryMessageConverter#convert}; an exception of the
 * method rethrown unwrapped, an argument of the wrong type as an
 * {@link IllegalStateException}. The method is called through a {@link MethodHandle},
 * which passes on what the method throws as it is: a reflective call would wrap it in an
 * {@code InvocationTargetException} first, whose stack trace costs as much as the
 * listener's own exception on the retry path. A parameter that spring-messaging would
 * fill differently (annotated, also through a method it overrides, {@link Optional}, a
 * supertype of the context or of the acknowledgment, a {@link Message}, its headers or a
 * {@link MessageHeaderAccessor}) makes the method ineligible ({@link #of} returns
 * {@code null}).
 * <p>
 * Thread-safe and immutable.
 */
final class DirectInvocation {

	private static final int PAYLOAD = 0;

	private static final int CONTEXT = 1;

	private static final int ACKNOWLEDGMENT = 2;

	private final Object bean;

	private final Method method;

	/**
	 * The method, bound to the bean unless it is static, taking its arguments as an
	 * array.
	 */
	private final MethodHandle handle;

	private final int[] kinds;

	private final Class<?> payloadClass;

	/** The payload's class, or its wrapper where it is primitive. */
	private final Class<?> payloadValueClass;

	private final Type payloadType;

	private final StreamEntryMessageConverter converter;

	private DirectInvocation(Object bean, Method method, MethodHandle handle, int[] kinds, Class<?> payloadClass,
			Type payloadType, StreamEntryMessageConverter converter) {
		this.bean = bean;
		this.method = method;
		this.handle = handle;
		this.kinds = kinds;
		this.payloadClass = payloadClass;
		this.payloadValueClass = ClassUtils.resolvePrimitiveIfNecessary(payloadClass);
		this.payloadType = payloadType;
		this.converter = converter;
	}

	/**
	 * Return a direct invocation of the method, or {@code null} if one of its parameters
	 * needs spring-messaging's resolvers.
	 * @param handlerMethod the method as spring-messaging would invoke it: its parameters
	 * resolve type variables against the bean's class and merge the annotations of the
	 * methods it overrides, as the resolvers see them
	 * @param converter the converter the payload resolver would use
	 * @return the invocation, or {@code null} (also when the method cannot be looked up
	 * as a method handle)
	 */
	static @Nullable DirectInvocation of(InvocableHandlerMethod handlerMethod, StreamEntryMessageConverter converter) {
		MethodParameter[] parameters = handlerMethod.getMethodParameters();
		int[] kinds = new int[parameters.length];
		Class<?> payloadClass = Object.class;
		Type payloadType = Object.class;
		boolean payload = false;
		for (int i = 0; i < kinds.length; i++) {
			MethodParameter parameter = parameters[i];
			Class<?> type = parameter.getParameterType();
			if (parameter.getParameterAnnotations().length > 0) {
				return null;
			}
			if (type == StreamMessageContext.class) {
				kinds[i] = CONTEXT;
			}
			else if (type == Acknowledgment.class) {
				kinds[i] = ACKNOWLEDGMENT;
			}
			else if (payload || !isPlainPayload(type)) {
				return null;
			}
			else {
				payload = true;
				kinds[i] = PAYLOAD;
				payloadClass = type;
				payloadType = StreamEntryMessageConverter.targetType(type, parameter);
			}
		}
		Method bridged = BridgeMethodResolver.findBridgedMethod(handlerMethod.getMethod());
		MethodHandle handle = handle(handlerMethod.getBean(), bridged, kinds.length);
		if (handle == null) {
			return null;
		}
		return new DirectInvocation(handlerMethod.getBean(), bridged, handle, kinds, payloadClass, payloadType,
				converter);
	}

	/**
	 * Return the method, bound to the bean unless it is static, as a handle of type
	 * {@code (Object[])Object}, or {@code null} if it cannot be looked up.
	 */
	private static @Nullable MethodHandle handle(Object bean, Method method, int parameterCount) {
		try {
			ReflectionUtils.makeAccessible(method);
			// fixed arity: a varargs method takes its array as the payload, as a
			// reflective call passes it
			MethodHandle handle = MethodHandles.lookup().unreflect(method).asFixedArity();
			if (!Modifier.isStatic(method.getModifiers())) {
				handle = handle.bindTo(bean);
			}
			return handle.asType(handle.type().generic()).asSpreader(Object[].class, parameterCount);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Whether spring-messaging would pass the converted payload to a parameter of this
	 * type: not a type the provided context or acknowledgment is an instance of (the
	 * provided arguments are matched by type first), nor one its resolvers treat apart.
	 */
	private static boolean isPlainPayload(Class<?> type) {
		return !type.isAssignableFrom(StreamMessageContext.class) && !type.isAssignableFrom(Acknowledgment.class)
				&& !Acknowledgment.class.isAssignableFrom(type) && type != Optional.class
				&& !Message.class.isAssignableFrom(type) && !MessageHeaders.class.isAssignableFrom(type)
				&& !MessageHeaderAccessor.class.isAssignableFrom(type);
	}

	private Object payload(StreamEntry entry) {
		Object payload = this.payloadClass.isInstance(entry) ? entry
				: this.converter.convert(entry, this.payloadClass, this.payloadType);
		if (!this.payloadValueClass.isInstance(payload)) {
			// what a reflective call refuses with an IllegalArgumentException
			throw new IllegalStateException("Cannot invoke listener method " + this.method.toGenericString()
					+ " on bean of type " + this.bean.getClass().getName() + ": argument type mismatch ("
					+ ((payload != null) ? payload.getClass().getName() : "null") + " for "
					+ this.payloadClass.getName() + ")");
		}
		return payload;
	}

	/**
	 * Convert the payload and invoke the method.
	 * @param entry the entry
	 * @param context its context
	 * @param acknowledgment its acknowledgment
	 * @throws Exception what the conversion or the method threw
	 */
	void invoke(StreamEntry entry, StreamMessageContext context, Acknowledgment acknowledgment) throws Exception {
		Object[] args = new Object[this.kinds.length];
		for (int i = 0; i < args.length; i++) {
			args[i] = switch (this.kinds[i]) {
				case CONTEXT -> context;
				case ACKNOWLEDGMENT -> acknowledgment;
				default -> payload(entry);
			};
		}
		try {
			Object ignored = (Object) this.handle.invokeExact(args);
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Invocation failure of " + this.method.toGenericString(), ex);
		}
	}

}
