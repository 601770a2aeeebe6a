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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a listener of a Redis Stream, read through a consumer group with
 * at-least-once delivery.
 * <p>
 * The method may declare the payload (any type, converted from the entry's JSON
 * {@code payload} field, or from the entry's fields for an entry without one),
 * {@code @Header} and {@code @Headers} parameters, {@code Message<T>}, a
 * {@link io.github.redisstreams.listener.StreamMessageContext StreamMessageContext} and
 * an {@link io.github.redisstreams.listener.Acknowledgment Acknowledgment}, which
 * switches the listener to manual acknowledgement. <pre class="code">
 * &#064;RedisListener(stream = "orders", group = "billing", concurrency = "2")
 * void onOrder(Order order, &#064;Header("tenant") String tenant) { ... }
 * </pre>
 * <p>
 * Every attribute accepts {@code ${...}} placeholders and {@code #{...}} expressions; an
 * unresolvable placeholder fails the application start. Durations use Spring Boot's
 * formats ({@code 500ms}, {@code 2s}, {@code 1m} or ISO-8601 such as {@code PT1M}; a bare
 * number is milliseconds) and must not be negative. A value that cannot be parsed or is
 * out of range fails the application start with a {@code BeanInitializationException}
 * that names the method and the attribute.
 * <p>
 * Not to be confused with Spring Data Redis's Pub/Sub
 * {@code org.springframework.data.redis.annotation.RedisListener}: this one has no
 * {@code value} attribute, so importing the wrong one fails to compile.
 *
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RedisListener {

	/**
	 * The stream key to consume. Required.
	 * @return the stream key
	 */
	String stream();

	/**
	 * The consumer group. Default: {@code redis.streams.listener.group}, else
	 * {@code spring.application.name}.
	 * @return the consumer group
	 */
	String group() default "";

	/**
	 * The listener id, unique in the application: the key of the per-listener properties
	 * {@code redis.streams.listeners.<id>.*} and of the Actuator endpoint. Default:
	 * {@code <beanName>.<methodName>}.
	 * @return the listener id
	 */
	String id() default "";

	/**
	 * The number of consumers, each with its own thread and connection. Default:
	 * {@code redis.streams.listener.concurrency}.
	 * @return the concurrency, a positive integer
	 */
	String concurrency() default "";

	/**
	 * The number of partitions of the stream: with {@code partitions = "8"}, the listener
	 * consumes the streams {@code orders:{0}} to {@code orders:{7}}, each in its own
	 * Redis Cluster hash slot and each with {@link #concurrency()} consumers of its own;
	 * {@code StreamPublisher} routes a message with a partition key to
	 * {@code partitionOf(key)} and one without to a random partition. The stream's name
	 * must not contain a brace. Default: {@code redis.streams.listeners.<id>.partitions},
	 * else a plain stream.
	 * @return the number of partitions, an integer from 1 to
	 * {@value io.github.redisstreams.listener.ListenerSettings#MAX_PARTITIONS}, or 0 for
	 * a plain stream
	 * @since 0.4.0
	 */
	String partitions() default "";

	/**
	 * The field (header) that identifies a message for idempotent consumption, such as
	 * {@code "order-id"}: after the method returns normally, the value is recorded with
	 * the acknowledgement, in one script, for
	 * {@code redis.streams.listeners.<id>.idempotency.ttl} (default 24 hours); an entry
	 * whose value is recorded already (the same business event published twice) is
	 * acknowledged without invoking the method and counted
	 * ({@code redis.streams.duplicates.skipped}). An entry without the field is processed
	 * as usual. A failure, or a dead letter, records nothing. Default:
	 * {@code redis.streams.listeners.<id>.idempotency.header}, else none. Placeholders
	 * are resolved.
	 * @return the header, or empty for none
	 * @since 0.5.0
	 */
	String idempotencyHeader() default "";

	/**
	 * The most messages the listener handles per second, minute or hour, across all its
	 * consumers and all instances of the application, such as {@code "50/s"} or
	 * {@code "3000/m"}: peak shaving in front of a slow or metered service. The permits
	 * come from one token bucket in Redis ({@code {stream}:rate-limit:<group>:<rate>},
	 * kept by Bucket4j); a consumer takes permits before it reads and reads at most as
	 * many entries as it was granted, so waiting messages stay in the stream,
	 * undelivered, and are never reclaimed. The burst (the bucket's capacity, default one
	 * second's worth) is {@code redis.streams.listeners.<id>.rate-limit.burst}. The
	 * permits are a positive whole number of up to 12 digits and at most one per
	 * nanosecond; the unit ({@code s}, {@code m} or {@code h}) is case-insensitive. The
	 * property {@code redis.streams.listeners.<id>.rate-limit.rate} takes precedence;
	 * without either, no limit. Placeholders are resolved; an invalid value fails the
	 * startup naming this attribute.
	 * @return the rate, {@code <permits>/<s|m|h>}, or empty for none
	 * @since 0.5.0
	 */
	String maxRate() default "";

	/**
	 * Whether every running instance receives every entry ({@code "true"}), as Pub/Sub
	 * would deliver it, but without losing what is published while an instance is down:
	 * each instance reads through a consumer group of its own,
	 * {@code <group>.<instance id>}, created at the end of the stream when the instance
	 * first starts and kept across its restarts (give instances stable ids with
	 * {@code redis.streams.listener.instance-id}), with the same retries, dead letters,
	 * metrics and health as other listeners. The groups of instances that are gone (no
	 * lease, no read for {@code redis.streams.reclaim.dead-consumer-timeout}) are removed
	 * by the others, with the entries still pending there. {@code start-position} does
	 * not apply. The property {@code redis.streams.listeners.<id>.broadcast} takes
	 * precedence; without either, {@code false}. Placeholders are resolved.
	 * @return {@code "true"} or {@code "false"}, or empty for the default
	 * @since 0.5.0
	 */
	String broadcast() default "";

	/**
	 * Whether to start the listener with the application context ({@code true} or
	 * {@code false}). Default: {@code redis.streams.listener.auto-startup}.
	 * @return the auto-startup flag
	 */
	String autoStartup() default "";

	/**
	 * How many times a failed message is retried before it is dead-lettered as
	 * {@code retries-exhausted}. Default: {@code redis.streams.retry.max-retries}.
	 * @return the maximum number of retries, a non-negative integer
	 */
	String maxRetries() default "";

	/**
	 * The delay before the first retry, such as {@code 500ms} or {@code 2s}. Default:
	 * {@code redis.streams.retry.delay}.
	 * @return the retry delay, not negative
	 */
	String retryDelay() default "";

	/**
	 * The factor applied to the delay for each further retry. Default:
	 * {@code redis.streams.retry.multiplier}.
	 * @return the multiplier, at least 1
	 */
	String retryMultiplier() default "";

	/**
	 * The maximum delay between retries; a value shorter than the retry delay is raised
	 * to it. Default: {@code redis.streams.retry.max-delay}.
	 * @return the maximum delay, not negative
	 */
	String retryMaxDelay() default "";

	/**
	 * The random variation of each retry delay, scaled by the multiplier for later
	 * retries. Default: {@code redis.streams.retry.jitter}.
	 * @return the jitter, not negative
	 */
	String retryJitter() default "";

	/**
	 * Exception types that are not worth retrying: a message whose listener throws one
	 * (or one caused by one) is dead-lettered at once as {@code not-retryable}. Added to
	 * {@code redis.streams.retry.not-retryable-exceptions}.
	 * @return the not-retryable exception types
	 */
	Class<? extends Throwable>[] notRetryable() default {};

}
