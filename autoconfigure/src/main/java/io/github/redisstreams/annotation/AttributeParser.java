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

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.ListenerSettings;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Turns the text of one attribute of one {@link RedisListener @RedisListener} into a
 * value: resolves placeholders and SpEL expressions, parses the result, and fails with a
 * {@link BeanInitializationException} whose message names the listener method
 * ({@code where}) and the attribute. An empty attribute parses to {@code null}, meaning
 * not set.
 * <p>
 * Thread-safe if the environment and bean factory are; used for one listener method.
 */
final class AttributeParser {

	private final @Nullable Environment environment;

	private final @Nullable ConfigurableBeanFactory beanFactory;

	private final String where;

	/**
	 * Create a parser for the attributes of one listener method.
	 * @param environment the environment that resolves placeholders, if any
	 * @param beanFactory the bean factory that evaluates SpEL expressions, if any
	 * @param where the listener method, {@code @RedisListener on bean.method(Type)}, the
	 * start of every message
	 */
	AttributeParser(@Nullable Environment environment, @Nullable ConfigurableBeanFactory beanFactory, String where) {
		this.environment = environment;
		this.beanFactory = beanFactory;
		this.where = where;
	}

	/**
	 * Return the listener method that messages name.
	 * @return the listener method, {@code @RedisListener on bean.method(Type)}
	 */
	String where() {
		return this.where;
	}

	/**
	 * Resolve the placeholders and SpEL expression of an attribute.
	 * @param value the attribute as written
	 * @param attribute the attribute name
	 * @return the resolved value, {@code value} itself if empty
	 */
	String resolve(String value, String attribute) {
		if (!StringUtils.hasText(value)) {
			return value;
		}
		try {
			String resolved = (this.environment != null) ? this.environment.resolveRequiredPlaceholders(value) : value;
			return evaluate(resolved);
		}
		catch (RuntimeException ex) {
			throw new BeanInitializationException(
					this.where + ": attribute '" + attribute + "' cannot be resolved: " + ex.getMessage(), ex);
		}
	}

	private String evaluate(String value) {
		if (this.beanFactory == null || !value.contains("#{")) {
			return value;
		}
		BeanExpressionResolver resolver = this.beanFactory.getBeanExpressionResolver();
		if (resolver == null) {
			return value;
		}
		Object result = resolver.evaluate(value, new BeanExpressionContext(this.beanFactory, null));
		return (result != null) ? result.toString() : "";
	}

	/**
	 * Resolve and parse a non-negative duration such as {@code 500ms} or {@code 2s}.
	 */
	@Nullable Duration duration(String value, String attribute) {
		return parse(resolve(value, attribute), attribute, DurationStyle::detectAndParse,
				(duration) -> !duration.isNegative());
	}

	/**
	 * Parse {@code true} or {@code false}, in any case.
	 */
	static Boolean parseBoolean(String value) {
		if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
			return Boolean.valueOf(value);
		}
		throw new IllegalArgumentException(value);
	}

	/**
	 * Parse a resolved attribute, failing with a message that says what the attribute
	 * takes if {@code parser} throws or {@code valid} rejects the value.
	 */
	<T> @Nullable T parse(String value, String attribute, Function<String, T> parser, Predicate<T> valid) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		try {
			T parsed = parser.apply(value.trim());
			if (valid.test(parsed)) {
				return parsed;
			}
		}
		catch (RuntimeException ex) {
			// reported below
		}
		throw new BeanInitializationException(this.where + ": attribute '" + attribute + "' has an invalid value '"
				+ value + "'" + switch (attribute) {
					case "maxRetries" -> " (a non-negative integer)";
					case "retryMultiplier" -> " (a number of at least 1)";
					case "broadcast" -> " (true or false)";
					case "maxRate" ->
						" (<permits>/<unit>, a positive whole number of permits per s, m or h, such as " + "50/s)";
					case "partitions" ->
						" (an integer from 1 to " + ListenerSettings.MAX_PARTITIONS + ", or 0 for a plain stream)";
					default -> " (a non-negative duration such as 500ms or 2s)";
				});
	}

	/**
	 * Parse a resolved {@code concurrency}: a positive integer.
	 */
	@Nullable Integer concurrency(String value) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		try {
			int concurrency = Integer.parseInt(value.trim());
			if (concurrency > 0) {
				return concurrency;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new BeanInitializationException(
				this.where + ": attribute 'concurrency' must be a positive integer, was '" + value + "'");
	}

	/**
	 * Parse a resolved {@code autoStartup}: {@code true} or {@code false}, in any case.
	 */
	@Nullable Boolean autoStartup(String value) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		String trimmed = value.trim();
		if ("true".equalsIgnoreCase(trimmed) || "false".equalsIgnoreCase(trimmed)) {
			return Boolean.valueOf(trimmed);
		}
		throw new BeanInitializationException(
				this.where + ": attribute 'autoStartup' must be 'true' or 'false', was '" + value + "'");
	}

}
