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

package io.github.redisstreams.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.observation.RedisStreamsObservation.ListenerHighCardinalityKeys;
import io.github.redisstreams.observation.RedisStreamsObservation.ListenerLowCardinalityKeys;

/**
 * The default {@link StreamListenerObservationConvention}: observation
 * {@code redis.streams.listener}, tagged with stream, group, listener id, outcome and
 * exception. Thread-safe.
 * <p>
 * The low-cardinality key values depend only on the listener, the outcome and the
 * exception type, so they are computed once per combination and kept (at most
 * {@value #MAX_CACHED_KEY_VALUES} combinations; past that they are computed per
 * invocation): {@code SimpleObservation} asks for them when the observation starts and
 * again when it stops, for every entry.
 *
 * @since 0.1.0
 */
public class DefaultStreamListenerObservationConvention implements StreamListenerObservationConvention {

	/**
	 * A shared instance.
	 */
	public static final DefaultStreamListenerObservationConvention INSTANCE = new DefaultStreamListenerObservationConvention();

	/**
	 * How many combinations of stream, group, listener id, outcome and exception type
	 * keep their low-cardinality key values.
	 */
	static final int MAX_CACHED_KEY_VALUES = 1024;

	private static final KeyValue MESSAGING_SYSTEM = ListenerLowCardinalityKeys.MESSAGING_SYSTEM.withValue("redis");

	private final Map<LowCardinality, KeyValues> lowCardinalityKeyValues = new ConcurrentHashMap<>();

	@Override
	public String getName() {
		return "redis.streams.listener";
	}

	@Override
	public String getContextualName(StreamReceiverContext context) {
		return context.getEntry().getStream() + " process";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(StreamReceiverContext context) {
		Throwable error = context.getError();
		LowCardinality key = new LowCardinality(context.getEntry().getStream(), context.getGroup(),
				context.getListenerId(), context.getOutcome(), (error != null) ? error.getClass() : null);
		KeyValues keyValues = this.lowCardinalityKeyValues.get(key);
		if (keyValues == null) {
			keyValues = key.keyValues();
			if (this.lowCardinalityKeyValues.size() < MAX_CACHED_KEY_VALUES) {
				this.lowCardinalityKeyValues.putIfAbsent(key, keyValues);
			}
		}
		return keyValues;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(StreamReceiverContext context) {
		return KeyValues.of(ListenerHighCardinalityKeys.MESSAGE_ID.withValue(context.getEntry().getId()),
				ListenerHighCardinalityKeys.CONSUMER.withValue(context.getConsumer()),
				ListenerHighCardinalityKeys.DELIVERY_ATTEMPT.withValue(Long.toString(context.getDeliveryAttempt())));
	}

	/**
	 * What the low-cardinality key values of an invocation depend on.
	 */
	private record LowCardinality(String stream, String group, String listenerId, String outcome,
			@Nullable Class<?> exceptionType) {

		KeyValues keyValues() {
			return KeyValues.of(MESSAGING_SYSTEM, ListenerLowCardinalityKeys.STREAM.withValue(this.stream),
					ListenerLowCardinalityKeys.GROUP.withValue(this.group),
					ListenerLowCardinalityKeys.LISTENER_ID.withValue(this.listenerId),
					ListenerLowCardinalityKeys.OUTCOME.withValue(this.outcome), ListenerLowCardinalityKeys.EXCEPTION
						.withValue((this.exceptionType != null) ? this.exceptionType.getSimpleName() : "none"));
		}

	}

}
