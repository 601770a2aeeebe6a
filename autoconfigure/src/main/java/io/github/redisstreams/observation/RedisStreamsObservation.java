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

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of Redis Streams listeners and publishing. The listener observation
 * becomes the timer {@code redis.streams.listener} (and a span when tracing is on); the
 * publish observation the timer {@code redis.streams.publish}.
 *
 * @since 0.1.0
 */
public enum RedisStreamsObservation implements ObservationDocumentation {

	/**
	 * One invocation of a listener method.
	 */
	LISTENER {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultStreamListenerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return ListenerLowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return ListenerHighCardinalityKeys.values();
		}

	},

	/**
	 * One entry published by the {@code StreamPublisher}.
	 */
	PUBLISH {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultStreamPublishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return PublishLowCardinalityKeys.values();
		}

	};

	/**
	 * Low-cardinality keys of the listener observation (tags of its timer).
	 */
	public enum ListenerLowCardinalityKeys implements KeyName {

		/**
		 * Always {@code redis}.
		 */
		MESSAGING_SYSTEM {
			@Override
			public String asString() {
				return "messaging.system";
			}
		},

		/**
		 * The stream key.
		 */
		STREAM {
			@Override
			public String asString() {
				return "stream";
			}
		},

		/**
		 * The consumer group.
		 */
		GROUP {
			@Override
			public String asString() {
				return "group";
			}
		},

		/**
		 * The listener id.
		 */
		LISTENER_ID {
			@Override
			public String asString() {
				return "listener.id";
			}
		},

		/**
		 * What happened: {@code success}, {@code retry}, {@code dead-letter} or
		 * {@code left-pending}.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/**
		 * The simple class name of the exception the listener threw, or {@code none}.
		 */
		EXCEPTION {
			@Override
			public String asString() {
				return "exception";
			}
		}

	}

	/**
	 * High-cardinality keys of the listener observation (span attributes only).
	 */
	public enum ListenerHighCardinalityKeys implements KeyName {

		/**
		 * The entry id.
		 */
		MESSAGE_ID {
			@Override
			public String asString() {
				return "messaging.message.id";
			}
		},

		/**
		 * The consumer name.
		 */
		CONSUMER {
			@Override
			public String asString() {
				return "messaging.consumer.name";
			}
		},

		/**
		 * The delivery attempt.
		 */
		DELIVERY_ATTEMPT {
			@Override
			public String asString() {
				return "messaging.delivery.attempt";
			}
		}

	}

	/**
	 * Low-cardinality keys of the publish observation.
	 */
	public enum PublishLowCardinalityKeys implements KeyName {

		/**
		 * Always {@code redis}.
		 */
		MESSAGING_SYSTEM {
			@Override
			public String asString() {
				return "messaging.system";
			}
		},

		/**
		 * The stream key.
		 */
		STREAM {
			@Override
			public String asString() {
				return "stream";
			}
		}

	}

}
