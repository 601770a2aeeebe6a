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

package io.github.redisstreams.listener;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.observation.StreamListenerObservationConvention;

/**
 * What a container reports to: the observation registry (timers and traces), a custom
 * observation convention, and the listener metrics.
 *
 * @param observationRegistry the observation registry
 * @param convention a custom convention, or {@code null} for the default
 * @param metrics the listener metrics
 */
record Instrumentation(ObservationRegistry observationRegistry,
		@Nullable StreamListenerObservationConvention convention, ListenerMetrics metrics) {

	static final Instrumentation NONE = new Instrumentation(ObservationRegistry.NOOP, null, ListenerMetrics.NONE);

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	/**
	 * Name a custom convention that a listener does not use because its invocations are
	 * not observed: since observation became opt-in, a convention defined for the default
	 * would otherwise be ignored without a word.
	 * @param listenerId the listener's id
	 * @param settings its settings
	 */
	void checkConventionUsed(String listenerId, ListenerSettings settings) {
		if (this.convention != null && !settings.isObservationEnabled()) {
			logger.warn("Listener '" + listenerId + "': a StreamListenerObservationConvention ("
					+ this.convention.getClass().getName()
					+ ") is set, but the listener's invocations are not observed, so it is not used; set "
					+ "redis.streams.listener.observation-enabled=true (or redis.streams.listeners." + listenerId
					+ ".observation-enabled, or ListenerSettings.Builder#observationEnabled) to observe them");
		}
	}

}
