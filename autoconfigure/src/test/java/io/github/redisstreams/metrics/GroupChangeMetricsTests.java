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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.support.StreamStatistics;
import io.github.redisstreams.support.StreamStatisticsReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Meters of a container, and of a container whose group changes: a broadcast listener's
 * group follows the instance id its lease gave at the last start.
 */
class GroupChangeMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final StreamListenerContainer container = container();

	@Test
	void statisticsGaugesFollowTheGroupAndTheFormerGroupsAreRemoved() {
		RedisStreamListenerRegistry listeners = mock(RedisStreamListenerRegistry.class);
		given(listeners.getListenerContainers()).willReturn(List.of(this.container));
		StreamStatisticsReader reader = mock(StreamStatisticsReader.class);
		given(reader.read("audit", "audit.pod-a")).willReturn(statistics("audit.pod-a", 7));
		given(reader.read("audit", "audit.pod-a-2")).willReturn(statistics("audit.pod-a-2", 3));
		StreamStatisticsMetrics metrics = new StreamStatisticsMetrics(this.registry, listeners, reader,
				Duration.ofSeconds(1));
		metrics.refresh();
		assertThat(this.registry.get("redis.streams.pending").tag("group", "audit.pod-a").gauge().value()).isEqualTo(7);
		assertThat(this.registry.get("redis.streams.lag").tag("group", "audit.pod-a").gauge().value()).isEqualTo(7);
		given(this.container.getGroup()).willReturn("audit.pod-a-2");
		metrics.refresh();
		assertThat(this.registry.get("redis.streams.pending").tag("group", "audit.pod-a-2").gauge().value())
			.isEqualTo(3);
		assertThat(this.registry.get("redis.streams.lag").tag("group", "audit.pod-a-2").gauge().value()).isEqualTo(3);
		assertThat(this.registry.find("redis.streams.pending").tag("group", "audit.pod-a").gauges()).isEmpty();
		assertThat(this.registry.find("redis.streams.lag").tag("group", "audit.pod-a").gauges()).isEmpty();
		assertThat(this.registry.find("redis.streams.stream.length").gauges()).hasSize(1);
	}

	@Test
	void listenerMetersAreRegisteredForTheCurrentGroup() {
		MicrometerListenerMetrics metrics = new MicrometerListenerMetrics(this.registry);
		metrics.delivered(this.container, Duration.ofMillis(5));
		metrics.retention(this.container, 1, 10);
		metrics.retryScheduled(this.container);
		metrics.invoked(this.container, "success", null, 1_000);
		given(this.container.getGroup()).willReturn("audit.pod-a-2");
		metrics.delivered(this.container, Duration.ofMillis(5));
		metrics.delivered(this.container, Duration.ofMillis(5));
		metrics.retention(this.container, 1, 20);
		metrics.retryScheduled(this.container);
		metrics.invoked(this.container, "success", null, 1_000);
		metrics.invoked(this.container, "retry", IllegalStateException.class, 2_000_000);
		metrics.invoked(this.container, "retry", IllegalStateException.class, 4_000_000);
		assertThat(this.registry.get(MicrometerListenerMetrics.LATENCY).tag("group", "audit.pod-a").timer().count())
			.isOne();
		assertThat(this.registry.get(MicrometerListenerMetrics.LATENCY).tag("group", "audit.pod-a-2").timer().count())
			.isEqualTo(2);
		assertThat(this.registry.get(MicrometerListenerMetrics.RETRIES).tag("group", "audit.pod-a-2").counter().count())
			.isOne();
		assertThat(this.registry.get(MicrometerListenerMetrics.RETENTION_HELD_BACK)
			.tag("group", "audit.pod-a-2")
			.gauge()
			.value()).isEqualTo(20);
		assertThat(this.registry.find(MicrometerListenerMetrics.RETENTION_HELD_BACK).gauges()).hasSize(1);
		assertThat(this.registry.get(MicrometerListenerMetrics.LISTENER)
			.tags("group", "audit.pod-a", "outcome", "success", "exception", "none", "error", "none")
			.timer()
			.count()).isOne();
		assertThat(this.registry.get(MicrometerListenerMetrics.LISTENER)
			.tags("group", "audit.pod-a-2", "outcome", "success", "exception", "none")
			.timer()
			.count()).isOne();
		Timer retries = this.registry.get(MicrometerListenerMetrics.LISTENER)
			.tags("group", "audit.pod-a-2", "outcome", "retry", "exception", "IllegalStateException", "error",
					"IllegalStateException", "messaging.system", "redis", "stream", "audit", "listener.id", "audit")
			.timer();
		assertThat(retries.count()).isEqualTo(2);
		assertThat(retries.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6);
	}

	private static StreamListenerContainer container() {
		StreamListenerContainer container = mock(StreamListenerContainer.class);
		given(container.getListenerId()).willReturn("audit");
		given(container.getStream()).willReturn("audit");
		given(container.getGroup()).willReturn("audit.pod-a");
		given(container.getStreamContainers()).willReturn(List.of(container));
		return container;
	}

	private static StreamStatistics statistics(String group, long value) {
		return new StreamStatistics("audit", group, true, value, value, value, null, 0, 0, List.of(), Instant.now());
	}

}
