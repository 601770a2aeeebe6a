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

package io.github.redisstreams.config;

import java.lang.reflect.Method;
import java.util.function.Consumer;

import io.github.redisstreams.listener.ListenerSettings;
import io.github.redisstreams.listener.adapter.MessagingStreamMessageHandler;

import org.springframework.util.Assert;

/**
 * One listener as declared by a {@code @RedisListener} method: its id, stream, method,
 * and the settings its annotation attributes set. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RedisStreamListenerEndpoint {

	private final String id;

	private final String stream;

	private final Object bean;

	private final Method method;

	private final String description;

	private final Consumer<ListenerSettings.Builder> attributes;

	/**
	 * Create an endpoint.
	 * @param id the listener id, not empty
	 * @param stream the stream key, not empty
	 * @param bean the bean that holds the method
	 * @param method the listener method
	 * @param description a human-readable description such as {@code bean.method(Order)}
	 * @param attributes applies the settings that the annotation's attributes set (and
	 * only those)
	 * @throws IllegalArgumentException if an argument is missing, or the method has a
	 * parameter that cannot be resolved, with a message naming the parameter
	 */
	public RedisStreamListenerEndpoint(String id, String stream, Object bean, Method method, String description,
			Consumer<ListenerSettings.Builder> attributes) {
		Assert.hasText(id, "'id' must not be empty");
		Assert.hasText(stream, "'stream' must not be empty");
		Assert.notNull(bean, "'bean' must not be null");
		Assert.notNull(method, "'method' must not be null");
		Assert.notNull(attributes, "'attributes' must not be null");
		this.id = id;
		this.stream = stream;
		this.bean = bean;
		this.method = method;
		MessagingStreamMessageHandler.checkSignature(method);
		this.description = description;
		this.attributes = attributes;
	}

	/**
	 * Return the listener id.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * Return the stream key.
	 * @return the stream
	 */
	public String getStream() {
		return this.stream;
	}

	/**
	 * Apply the settings that the annotation's attributes set.
	 * @param settings the settings to change
	 */
	public void applyAttributes(ListenerSettings.Builder settings) {
		this.attributes.accept(settings);
	}

	/**
	 * Return the bean that holds the listener method.
	 * @return the bean
	 */
	public Object getBean() {
		return this.bean;
	}

	/**
	 * Return the listener method.
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * Return a human-readable description of the listener method.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	@Override
	public String toString() {
		return "RedisStreamListenerEndpoint[" + this.id + ": " + this.description + " <- " + this.stream + "]";
	}

}
