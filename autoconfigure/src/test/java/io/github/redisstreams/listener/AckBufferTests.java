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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AckBuffer}.
 */
class AckBufferTests {

	@Test
	void idsWaitUntilDrained() {
		AckBuffer acks = new AckBuffer();
		assertThat(acks.add("1-0")).isTrue();
		assertThat(acks.add("2-0", "key-2")).isTrue();
		assertThat(acks.waitingSince()).isNotZero();
		assertThat(acks.records("key-2")).isTrue();
		assertThat(acks.drain()).containsExactly("1-0", "2-0");
		assertThat(acks.isEmpty()).isTrue();
		assertThat(acks.waitingSince()).isZero();
	}

	@Test
	void closingReturnsWhatStillWaitedAndRefusesWhatComesLater() {
		AckBuffer acks = new AckBuffer();
		acks.add("1-0");
		assertThat(acks.close()).containsExactly("1-0");
		assertThat(acks.add("2-0")).isFalse();
		assertThat(acks.add("3-0", "key-3")).isFalse();
		// nothing refused stays behind: no id to send, no key recorded as waiting
		assertThat(acks.isEmpty()).isTrue();
		assertThat(acks.records("key-3")).isFalse();
		assertThat(acks.close()).isEmpty();
	}

	@Test
	void idsRestoredAfterAFailedSendAreSentAgainUntilTheBufferIsClosed() {
		AckBuffer acks = new AckBuffer();
		acks.add("1-0");
		List<String> drained = acks.drain();
		assertThat(acks.restore(drained)).isEmpty();
		assertThat(acks.drain()).containsExactly("1-0");
		acks.close();
		assertThat(acks.restore(drained)).containsExactly("1-0");
		assertThat(acks.isEmpty()).isTrue();
	}

	@Test
	void everyIdAddedWhileTheBufferClosesIsEitherReturnedByCloseOrRefusedNeverBothNeverNeither()
			throws InterruptedException {
		AckBuffer acks = new AckBuffer();
		int threads = 4;
		int perThread = 20_000;
		Set<String> refused = ConcurrentHashMap.newKeySet();
		CountDownLatch started = new CountDownLatch(threads);
		List<Thread> adders = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			Thread adder = new Thread(() -> {
				for (int n = 0; n < perThread; n++) {
					String id = thread + "-" + n;
					if (!acks.add(id)) {
						refused.add(id);
					}
					if (n == 100) {
						started.countDown();
					}
				}
			});
			adders.add(adder);
			adder.start();
		}
		assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
		List<String> closed = acks.close();
		for (Thread adder : adders) {
			adder.join(TimeUnit.SECONDS.toMillis(30));
		}
		Set<String> returned = new HashSet<>(closed);
		assertThat(returned).hasSameSizeAs(closed).doesNotContainAnyElementsOf(refused);
		assertThat(returned.size() + refused.size()).isEqualTo(threads * perThread);
		assertThat(acks.isEmpty()).isTrue();
	}

	@Test
	void idsAreDescribedTenAtMost() {
		assertThat(AckBuffer.describe(List.of("1-0", "2-0"))).isEqualTo("[1-0, 2-0]");
		List<String> many = new ArrayList<>();
		for (int n = 1; n <= 12; n++) {
			many.add(n + "-0");
		}
		assertThat(AckBuffer.describe(many))
			.isEqualTo("[1-0, 2-0, 3-0, 4-0, 5-0, 6-0, 7-0, 8-0, 9-0, 10-0] and 2 more");
	}

}
