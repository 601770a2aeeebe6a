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

package io.github.redisstreams.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The invocation timers of one container, one per outcome and exception type; the success
 * timer, used for almost every invocation, is looked up without a map. Thread-safe.
 */
final class InvocationTimers {

	private static final String SUCCESS = "success";

	private final MeterRegistry registry;

	private final Tags tags;

	private final Timer success;

	private final Map<Outcome, Timer> others = new ConcurrentHashMap<>();

	InvocationTimers(MeterRegistry registry, Tags tags) {
		this.registry = registry;
		this.tags = tags.and("messaging.system", "redis");
		this.success = register(SUCCESS, null);
	}

	Timer success() {
		return this.success;
	}

	Timer timer(String outcome, @Nullable Class<?> exceptionType) {
		if (exceptionType == null && SUCCESS.equals(outcome)) {
			return this.success;
		}
		return this.others.computeIfAbsent(new Outcome(outcome, exceptionType),
				(key) -> register(key.outcome(), key.exceptionType()));
	}

	private Timer register(String outcome, @Nullable Class<?> exceptionType) {
		String exception = (exceptionType != null) ? exceptionType.getSimpleName() : "none";
		return Timer.builder(MicrometerListenerMetrics.LISTENER)
			.description("Handler invocations")
			.tags(this.tags.and("outcome", outcome, "exception", exception, "error", exception))
			.register(this.registry);
	}

	private record Outcome(String outcome, @Nullable Class<?> exceptionType) {

	}

}
