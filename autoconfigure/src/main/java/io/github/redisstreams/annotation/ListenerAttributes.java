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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.redisstreams.listener.ListenerSettings;
import io.github.redisstreams.listener.RateLimit;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.util.StringUtils;

/**
 * What one {@link RedisListener @RedisListener} says: the stream, the endpoint id, and
 * the settings its attributes change. Every attribute is resolved and parsed once, in a
 * fixed order, when the listener method is found, so that a misconfigured one fails the
 * application start; the settings are changed later, by {@link #settings()}, on the
 * builder of the listener's container.
 * <p>
 * Immutable and thread-safe.
 *
 * @param stream the stream, not empty
 * @param id the endpoint id: the {@code id} attribute, or the default if it is empty
 * @param settings the changes to the listener's settings, in the order of the attributes
 */
record ListenerAttributes(String stream, String id, Consumer<ListenerSettings.Builder> settings) {

	/**
	 * Resolve and parse the attributes of one listener method.
	 * @param annotation the annotation of the method
	 * @param parser the parser for the method's attributes
	 * @param defaultId the endpoint id if the {@code id} attribute is empty
	 * @return the attributes
	 * @throws BeanInitializationException if an attribute cannot be resolved or is
	 * invalid, with a message naming the method and the attribute
	 */
	static ListenerAttributes of(RedisListener annotation, AttributeParser parser, String defaultId) {
		String stream = parser.resolve(annotation.stream(), "stream");
		if (!StringUtils.hasText(stream)) {
			throw new BeanInitializationException(
					parser.where() + ": attribute 'stream' is required and must not be empty");
		}
		String id = parser.resolve(annotation.id(), "id");
		String group = parser.resolve(annotation.group(), "group");
		Integer concurrency = parser.concurrency(parser.resolve(annotation.concurrency(), "concurrency"));
		Boolean autoStartup = parser.autoStartup(parser.resolve(annotation.autoStartup(), "autoStartup"));
		Integer partitions = parser.parse(parser.resolve(annotation.partitions(), "partitions"), "partitions",
				Integer::valueOf, (value) -> value >= 0 && value <= ListenerSettings.MAX_PARTITIONS);
		List<Consumer<ListenerSettings.Builder>> attributes = new ArrayList<>();
		if (StringUtils.hasText(group)) {
			attributes.add((settings) -> settings.group(group));
		}
		if (concurrency != null) {
			attributes.add((settings) -> settings.concurrency(concurrency));
		}
		if (autoStartup != null) {
			attributes.add((settings) -> settings.autoStartup(autoStartup));
		}
		if (partitions != null) {
			attributes.add((settings) -> settings.partitions(partitions));
		}
		String idempotencyHeader = parser.resolve(annotation.idempotencyHeader(), "idempotencyHeader");
		if (StringUtils.hasText(idempotencyHeader)) {
			attributes.add((settings) -> settings.idempotencyHeader(idempotencyHeader.trim()));
		}
		Boolean broadcast = parser.parse(parser.resolve(annotation.broadcast(), "broadcast"), "broadcast",
				AttributeParser::parseBoolean, (value) -> true);
		if (broadcast != null) {
			attributes.add((settings) -> settings.broadcast(broadcast));
		}
		RateLimit maxRate = parser.parse(parser.resolve(annotation.maxRate(), "maxRate"), "maxRate", RateLimit::parse,
				(value) -> true);
		if (maxRate != null) {
			attributes.add((settings) -> settings.rateLimit(maxRate));
		}
		attributes.add(retry(annotation, parser));
		return new ListenerAttributes(stream, StringUtils.hasText(id) ? id : defaultId,
				(settings) -> attributes.forEach((each) -> each.accept(settings)));
	}

	private static Consumer<ListenerSettings.Builder> retry(RedisListener annotation, AttributeParser parser) {
		Long maxRetries = parser.parse(parser.resolve(annotation.maxRetries(), "maxRetries"), "maxRetries",
				Long::valueOf, (value) -> value >= 0);
		Duration delay = parser.duration(annotation.retryDelay(), "retryDelay");
		Double multiplier = parser.parse(parser.resolve(annotation.retryMultiplier(), "retryMultiplier"),
				"retryMultiplier", Double::valueOf, (value) -> value >= 1);
		Duration maxDelay = parser.duration(annotation.retryMaxDelay(), "retryMaxDelay");
		Duration jitter = parser.duration(annotation.retryJitter(), "retryJitter");
		List<Class<? extends Throwable>> notRetryable = List.of(annotation.notRetryable());
		return (settings) -> {
			if (maxRetries != null) {
				settings.maxRetries(maxRetries);
			}
			if (delay != null) {
				settings.retryDelay(delay);
			}
			if (multiplier != null) {
				settings.retryMultiplier(multiplier);
			}
			if (maxDelay != null) {
				settings.retryMaxDelay(maxDelay);
			}
			if (jitter != null) {
				settings.retryJitter(jitter);
			}
			settings.notRetryable(notRetryable);
		};
	}

}
