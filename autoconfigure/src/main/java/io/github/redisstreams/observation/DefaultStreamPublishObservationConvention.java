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

import io.github.redisstreams.observation.RedisStreamsObservation.PublishLowCardinalityKeys;

/**
 * The default {@link StreamPublishObservationConvention}: observation
 * {@code redis.streams.publish}, tagged with the stream. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public class DefaultStreamPublishObservationConvention implements StreamPublishObservationConvention {

	/**
	 * A shared instance.
	 */
	public static final DefaultStreamPublishObservationConvention INSTANCE = new DefaultStreamPublishObservationConvention();

	@Override
	public String getName() {
		return "redis.streams.publish";
	}

	@Override
	public String getContextualName(StreamSenderContext context) {
		return context.getStream() + " send";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(StreamSenderContext context) {
		return KeyValues.of(PublishLowCardinalityKeys.MESSAGING_SYSTEM.withValue("redis"),
				PublishLowCardinalityKeys.STREAM.withValue(context.getStream()));
	}

}
