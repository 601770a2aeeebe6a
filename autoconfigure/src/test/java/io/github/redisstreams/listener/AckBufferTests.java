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

import java.util.List;

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

}
