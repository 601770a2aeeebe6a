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

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.adapter.ListenerMethodSignature;

import org.springframework.util.Assert;

/**
 * One listener as declared by a {@code @RedisListener} method, with its attributes
 * resolved. Attributes left unset are {@code null}; the container factory fills them from
 * its defaults.
 *
 * @since 0.1.0
 */
public final class RedisStreamListenerEndpoint {

	private final String id;

	private final String stream;

	private final @Nullable String group;

	private final @Nullable Integer concurrency;

	private final @Nullable Boolean autoStartup;

	private final Object bean;

	private final Method method;

	private final ListenerMethodSignature signature;

	private final String description;

	private final RetrySettings retry;

	/**
	 * Create an endpoint.
	 * @param id the listener id
	 * @param stream the stream key
	 * @param group the consumer group, or {@code null} for the default
	 * @param concurrency the number of consumers, or {@code null} for the default
	 * @param autoStartup whether to start automatically, or {@code null} for the default
	 * @param bean the bean that holds the method
	 * @param method the listener method
	 * @param signature what the method's parameters need
	 * @param description a human-readable description such as {@code bean.method(Order)}
	 * @param retry the retry settings of the annotation
	 */
	public RedisStreamListenerEndpoint(String id, String stream, @Nullable String group, @Nullable Integer concurrency,
			@Nullable Boolean autoStartup, Object bean, Method method, ListenerMethodSignature signature,
			String description, RetrySettings retry) {
		Assert.hasText(id, "'id' must not be empty");
		Assert.hasText(stream, "'stream' must not be empty");
		Assert.notNull(bean, "'bean' must not be null");
		Assert.notNull(method, "'method' must not be null");
		Assert.notNull(signature, "'signature' must not be null");
		this.id = id;
		this.stream = stream;
		this.group = group;
		this.concurrency = concurrency;
		this.autoStartup = autoStartup;
		this.bean = bean;
		this.method = method;
		this.signature = signature;
		this.description = description;
		this.retry = (retry != null) ? retry : RetrySettings.NONE;
	}

	/**
	 * Return the retry settings of the annotation.
	 * @return the retry settings
	 */
	public RetrySettings getRetry() {
		return this.retry;
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
	 * Return the consumer group.
	 * @return the group, or {@code null} for the default
	 */
	public @Nullable String getGroup() {
		return this.group;
	}

	/**
	 * Return the number of consumers.
	 * @return the concurrency, or {@code null} for the default
	 */
	public @Nullable Integer getConcurrency() {
		return this.concurrency;
	}

	/**
	 * Return whether the listener starts automatically.
	 * @return the auto-startup flag, or {@code null} for the default
	 */
	public @Nullable Boolean getAutoStartup() {
		return this.autoStartup;
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
	 * Return what the method's parameters need.
	 * @return the signature
	 */
	public ListenerMethodSignature getSignature() {
		return this.signature;
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
