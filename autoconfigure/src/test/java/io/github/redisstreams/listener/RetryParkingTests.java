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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.redisstreams.support.StreamEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetryParking}: which retries wait in memory, and what comes back.
 */
class RetryParkingTests {

	private static final long MILLIS = 1_000_000;

	@Test
	void aRetryWaitsInMemoryOnlyWithinTheDelayBoundThePollTimeoutAndHalfTheMinIdleTime() {
		RetryParking parking = new RetryParking(Duration.ofSeconds(2), Duration.ofSeconds(30));
		assertThat(parking.retry(entry("1-0"), 1, Duration.ofMillis(100), "c")).isTrue();
		assertThat(parking.retry(entry("1-1"), 1, Duration.ofMillis(101), "c")).isFalse();
		RetryParking shortPoll = new RetryParking(Duration.ofMillis(50), Duration.ofSeconds(30));
		assertThat(shortPoll.retry(entry("1-0"), 1, Duration.ofMillis(60), "c")).isFalse();
		RetryParking shortIdle = new RetryParking(Duration.ofSeconds(2), Duration.ofMillis(100));
		assertThat(shortIdle.retry(entry("1-0"), 1, Duration.ofMillis(60), "c")).isFalse();
		assertThat(shortIdle.drain()).singleElement().satisfies((request) -> {
			assertThat(request.attempts()).isEqualTo(1);
			assertThat(request.counted()).isFalse();
		});
	}

	@Test
	void theTimeAnEntryLooksIdleInRedisCountsFromItsDeliveryNotFromItsFailure() {
		RetryParking parking = new RetryParking(Duration.ofSeconds(2), Duration.ofMillis(200));
		// delivered (or refreshed) 80 ms ago: a 30 ms wait would make it look idle for
		// 110 ms, past half of min-idle-time
		parking.holding(new HeldEntries("c", List.of("1-0"), System.nanoTime() - 80 * MILLIS));
		assertThat(parking.retry(entry("1-0"), 1, Duration.ofMillis(30), "c")).isFalse();
		parking.holding(new HeldEntries("c", List.of("1-1"), System.nanoTime()));
		assertThat(parking.retry(entry("1-1"), 1, Duration.ofMillis(30), "c")).isTrue();
	}

	@Test
	void dueEntriesComeBackWithTheNextAttemptHeldByTheirOwnerSinceTheirDelivery() {
		RetryParking parking = new RetryParking(Duration.ofSeconds(2), Duration.ofSeconds(30));
		long deliveredAt = System.nanoTime() - 5 * MILLIS;
		parking.holding(new HeldEntries("dead-consumer", List.of("1-0"), deliveredAt));
		parking.retry(entry("1-0"), 3, Duration.ZERO, "dead-consumer");
		parking.holding(null);
		EntryBatch due = parking.takeDue();
		assertThat(due).isNotNull();
		assertThat(due.entries()).extracting(StreamEntry::getId).containsExactly("1-0");
		assertThat(due.deliveryCounts()).containsExactly(Map.entry("1-0", 4L));
		assertThat(due.owner()).isEqualTo("dead-consumer");
		HeldEntries held = due.held();
		assertThat(held).isNotNull();
		assertThat(held.consumer()).isEqualTo("dead-consumer");
		assertThat(held.refreshedAt()).isEqualTo(deliveredAt);
		assertThat(parking.takeDue()).isNull();
		assertThat(parking.nextDue()).isNull();
	}

	@Test
	void aDrainedCopyOfAWaitingEntryIsLeftOutAndARestoredBatchWaitsAgain() {
		RetryParking parking = new RetryParking(Duration.ofSeconds(2), Duration.ofSeconds(30));
		parking.retry(entry("1-0"), 1, Duration.ZERO, "c");
		EntryBatch drained = new EntryBatch(List.of(entry("1-0"), entry("1-1")), Map.of(), List.of(), "c", null);
		assertThat(parking.withoutWaiting(drained).entries()).extracting(StreamEntry::getId).containsExactly("1-1");
		EntryBatch due = parking.takeDue();
		assertThat(due).isNotNull();
		assertThat(parking.withoutWaiting(drained)).isSameAs(drained);
		parking.restore(due);
		EntryBatch again = parking.takeDue();
		assertThat(again).isNotNull();
		assertThat(again.deliveryCounts()).containsExactly(Map.entry("1-0", 2L));
	}

	@Test
	void aStoppingConsumerParksWhatWaitsWithItsAttemptsCountedOnce() {
		RetryParking parking = new RetryParking(Duration.ofSeconds(2), Duration.ofSeconds(30));
		parking.retry(entry("1-0"), 2, Duration.ofMillis(50), "c");
		parking.parkWaiting();
		assertThat(parking.nextDue()).isNull();
		assertThat(parking.drain()).singleElement().satisfies((request) -> {
			assertThat(request.attempts()).isEqualTo(2);
			assertThat(request.counted()).isTrue();
			assertThat(request.delay()).isLessThanOrEqualTo(Duration.ofMillis(50));
		});
	}

	private static StreamEntry entry(String id) {
		return new StreamEntry(id, "s", Map.of("v", "x".getBytes(StandardCharsets.UTF_8)));
	}

}
