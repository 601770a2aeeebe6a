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

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.Acknowledgment;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.listener.StreamMessageHandler;
import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.support.StreamHeaders;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.util.Assert;

/**
 * A {@link StreamMessageHandler} that invokes a listener method through spring-messaging:
 * the entry becomes a {@link Message} whose payload is the {@link StreamEntry} and whose
 * headers are the entry's headers plus the {@code redis_streams_*} headers; the
 * {@link Acknowledgment} and the {@link StreamMessageContext} are passed to parameters of
 * those types. What the method throws ({@link Exception} or {@link Error}) is rethrown as
 * is. A handler created by {@link StreamMessageHandlerMethodFactory#createMessageHandler}
 * for a method that takes only a payload, the context and the acknowledgment passes the
 * same arguments without building a {@link Message} for every entry
 * ({@link #isDirect()}).
 * <p>
 * Thread-safe: one instance serves every consumer of a container.
 *
 * @since 0.1.0
 */
public class MessagingStreamMessageHandler implements StreamMessageHandler {

	private final InvocableHandlerMethod handlerMethod;

	private final ListenerMethodSignature signature;

	/**
	 * The same invocation without a message and resolvers, where the signature allows.
	 */
	private final @Nullable DirectInvocation direct;

	/**
	 * Create a handler.
	 * @param handlerMethod the method to invoke, with its argument resolvers
	 * @throws IllegalArgumentException if {@code handlerMethod} is {@code null}, or a
	 * parameter of the method cannot be resolved, naming the parameter
	 */
	public MessagingStreamMessageHandler(InvocableHandlerMethod handlerMethod) {
		this(handlerMethod, null);
	}

	MessagingStreamMessageHandler(InvocableHandlerMethod handlerMethod,
			@Nullable StreamEntryMessageConverter converter) {
		Assert.notNull(handlerMethod, "'handlerMethod' must not be null");
		this.handlerMethod = handlerMethod;
		this.signature = ListenerMethodSignature.inspect(handlerMethod.getMethod());
		// a subclass of InvocableHandlerMethod may invoke in its own way
		this.direct = (converter != null && handlerMethod.getClass() == InvocableHandlerMethod.class)
				? DirectInvocation.of(handlerMethod, converter) : null;
	}

	/**
	 * Check that every parameter of a listener method can be resolved.
	 * @param method the listener method
	 * @throws IllegalArgumentException if a parameter cannot be resolved, with a message
	 * naming the parameter and what is accepted
	 */
	public static void checkSignature(Method method) {
		ListenerMethodSignature.inspect(method);
	}

	/**
	 * Return whether entries are passed to the method without a {@link Message} and the
	 * argument resolvers (see
	 * {@link StreamMessageHandlerMethodFactory#createMessageHandler}).
	 * @return {@code true} if the method is invoked directly
	 */
	public boolean isDirect() {
		return this.direct != null;
	}

	@Override
	public boolean isManualAck() {
		return this.signature.manualAck();
	}

	@Override
	public void handle(StreamEntry entry, StreamMessageContext context, Acknowledgment acknowledgment)
			throws Exception {
		DirectInvocation direct = this.direct;
		if (direct != null) {
			direct.invoke(entry, context, acknowledgment);
			return;
		}
		try {
			this.handlerMethod.invoke(new GenericMessage<>(entry, headers(entry, context)), context, acknowledgment);
		}
		catch (InvocationTargetException ex) {
			// spring-messaging's own handler method unwraps what the method threw; a
			// subclass from a custom MessageHandlerMethodFactory may not
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			throw ex;
		}
	}

	private MessageHeaders headers(StreamEntry entry, StreamMessageContext context) {
		if (!this.signature.needsHeaders()) {
			return new StreamMessageHeaders(Map.of());
		}
		Map<String, Object> headers = new HashMap<>(entry.getHeaders());
		headers.put(StreamHeaders.ID, context.id());
		headers.put(StreamHeaders.TIMESTAMP, Long.toString(context.timestamp()));
		headers.put(StreamHeaders.STREAM, context.stream());
		headers.put(StreamHeaders.GROUP, context.group());
		headers.put(StreamHeaders.CONSUMER, context.consumer());
		headers.put(StreamHeaders.DELIVERY_ATTEMPT, Long.toString(context.deliveryAttempt()));
		headers.put(StreamHeaders.LISTENER_ID, context.listenerId());
		return new StreamMessageHeaders(headers);
	}

}
