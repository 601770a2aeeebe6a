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

import io.micrometer.common.KeyValues;

import io.github.redisstreams.observation.RedisStreamsObservation.ListenerHighCardinalityKeys;
import io.github.redisstreams.observation.RedisStreamsObservation.ListenerLowCardinalityKeys;

/**
 * The default {@link StreamListenerObservationConvention}: observation
 * {@code redis.streams.listener}, tagged with stream, group, listener id, outcome and
 * exception. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public class DefaultStreamListenerObservationConvention implements StreamListenerObservationConvention {

	/**
	 * A shared instance.
	 */
	public static final DefaultStreamListenerObservationConvention INSTANCE = new DefaultStreamListenerObservationConvention();

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
		return KeyValues.of(ListenerLowCardinalityKeys.MESSAGING_SYSTEM.withValue("redis"),
				ListenerLowCardinalityKeys.STREAM.withValue(context.getEntry().getStream()),
				ListenerLowCardinalityKeys.GROUP.withValue(context.getGroup()),
				ListenerLowCardinalityKeys.LISTENER_ID.withValue(context.getListenerId()),
				ListenerLowCardinalityKeys.OUTCOME.withValue(context.getOutcome()), ListenerLowCardinalityKeys.EXCEPTION
					.withValue((error != null) ? error.getClass().getSimpleName() : "none"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(StreamReceiverContext context) {
		return KeyValues.of(ListenerHighCardinalityKeys.MESSAGE_ID.withValue(context.getEntry().getId()),
				ListenerHighCardinalityKeys.CONSUMER.withValue(context.getConsumer()),
				ListenerHighCardinalityKeys.DELIVERY_ATTEMPT.withValue(Long.toString(context.getDeliveryAttempt())));
	}

}
