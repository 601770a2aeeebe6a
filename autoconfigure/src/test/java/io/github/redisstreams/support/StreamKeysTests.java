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

package io.github.redisstreams.support;

import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StreamKeys}.
 */
class StreamKeysTests {

	@Test
	void deadLetterStreamOfStreamWithoutHashTagWrapsTheStreamInAHashTag() {
		assertThat(StreamKeys.deadLetterStream("orders")).isEqualTo("{orders}:dlq");
	}

	@Test
	void deadLetterStreamOfStreamWithHashTagKeepsTheStream() {
		assertThat(StreamKeys.deadLetterStream("{shop}orders")).isEqualTo("{shop}orders:dlq");
		assertThat(StreamKeys.deadLetterStream("shop:{eu}:orders")).isEqualTo("shop:{eu}:orders:dlq");
	}

	@Test
	void streamWithoutHashTagButWithAClosingBraceIsRejected() {
		// wrapping it in braces would move its derived keys to another Redis Cluster slot
		for (String stream : new String[] { "{}orders", "a}b", "orders}", "}{" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> StreamKeys.deadLetterStream(stream))
				.withMessageContaining("'" + stream + "'")
				.withMessageContaining("hash tag");
		}
	}

	@Test
	void deadLetterStreamUsesTheDeadLetterSuffix() {
		assertThat(StreamKeys.DEAD_LETTER_SUFFIX).isEqualTo(":dlq");
		assertThat(StreamKeys.deadLetterStream("orders")).endsWith(StreamKeys.DEAD_LETTER_SUFFIX);
	}

	@Test
	void retryScheduleIsPerStreamAndGroup() {
		assertThat(StreamKeys.retrySchedule("orders", "billing")).isEqualTo("{orders}:retry:billing");
		assertThat(StreamKeys.retrySchedule("orders", "shipping")).isEqualTo("{orders}:retry:shipping");
		assertThat(StreamKeys.retrySchedule("{shop}orders", "billing")).isEqualTo("{shop}orders:retry:billing");
	}

	@Test
	void retryScheduleRequiresAGroup() {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamKeys.retrySchedule("orders", ""))
			.withMessageContaining("'group'");
		assertThatIllegalArgumentException().isThrownBy(() -> StreamKeys.retrySchedule("orders", " "))
			.withMessageContaining("'group'");
	}

	@Test
	void deriveAppendsTheSuffix() {
		assertThat(StreamKeys.derive("orders", ":lock")).isEqualTo("{orders}:lock");
		assertThat(StreamKeys.derive("{shop}orders", ":lock")).isEqualTo("{shop}orders:lock");
	}

	@Test
	void deriveRequiresAStream() {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamKeys.deadLetterStream(""))
			.withMessageContaining("'stream'");
		assertThatIllegalArgumentException().isThrownBy(() -> StreamKeys.retrySchedule(" ", "billing"))
			.withMessageContaining("'stream'");
	}

	@Test
	void derivedKeysShareTheHashSlotOfTheirStream() {
		List<String> streams = List.of("orders", "{shop}orders", "a{b}c", "orders:eu", "{a", "shop:{eu}:orders");
		assertThat(streams).allSatisfy((stream) -> {
			int slot = SlotHash.getSlot(stream);
			assertThat(SlotHash.getSlot(StreamKeys.deadLetterStream(stream))).as("dead-letter stream of '%s'", stream)
				.isEqualTo(slot);
			assertThat(SlotHash.getSlot(StreamKeys.retrySchedule(stream, "billing")))
				.as("retry schedule of '%s'", stream)
				.isEqualTo(slot);
		});
	}

	@Test
	void hasHashTagWithNonEmptyTag() {
		assertThat(StreamKeys.hasHashTag("a{b}c")).isTrue();
		assertThat(StreamKeys.hasHashTag("{shop}orders")).isTrue();
		assertThat(StreamKeys.hasHashTag("{a}")).isTrue();
		assertThat(StreamKeys.hasHashTag("a}{b}")).isTrue();
	}

	@Test
	void hasHashTagWithoutTag() {
		assertThat(StreamKeys.hasHashTag("orders")).isFalse();
		assertThat(StreamKeys.hasHashTag("")).isFalse();
		assertThat(StreamKeys.hasHashTag("a{}b")).isFalse();
		assertThat(StreamKeys.hasHashTag("{}")).isFalse();
		assertThat(StreamKeys.hasHashTag("}{")).isFalse();
		assertThat(StreamKeys.hasHashTag("{a")).isFalse();
		assertThat(StreamKeys.hasHashTag("a}")).isFalse();
	}

	@Test
	void hasHashTagLooksOnlyAtTheFirstOpeningBrace() {
		assertThat(StreamKeys.hasHashTag("{}{a}")).isFalse();
	}

	@Test
	void partitionsAreTheStreamNameWithThePartitionNumberAsHashTag() {
		assertThat(StreamKeys.partition("orders", 0)).isEqualTo("orders:{0}");
		assertThat(StreamKeys.partition("orders", 7)).isEqualTo("orders:{7}");
		// each partition in its own slot, its derived keys in that slot
		assertThat(SlotHash.getSlot("orders:{0}")).isNotEqualTo(SlotHash.getSlot("orders:{1}"));
		assertThat(StreamKeys.deadLetterStream("orders:{3}")).isEqualTo("orders:{3}:dlq");
		assertThat(SlotHash.getSlot(StreamKeys.retrySchedule("orders:{3}", "billing")))
			.isEqualTo(SlotHash.getSlot("orders:{3}"));
		assertThatIllegalArgumentException().isThrownBy(() -> StreamKeys.partition("orders", -1))
			.withMessageContaining("-1");
	}

	@Test
	void aStreamWithABraceCannotBePartitioned() {
		// a hash tag would put every partition in one slot
		for (String stream : new String[] { "{shop}orders", "orders}", "a{b", "" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> StreamKeys.partition(stream, 0));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> StreamKeys.checkPartitionable("{shop}orders"))
			.withMessageContaining("'{shop}orders'")
			.withMessageContaining("brace");
	}

	@Test
	void aPartitionKeyRoutesByItsCrc32SoEveryLanguageAgrees() {
		// zlib.crc32(b"customer-42") == 1241360405, 1241360405 % 8 == 5
		assertThat(StreamKeys.partitionOf("customer-42", 8)).isEqualTo(5);
		assertThat(StreamKeys.partitionOf("order-1", 8)).isEqualTo(7);
		assertThat(StreamKeys.partitionOf("a", 8)).isEqualTo(3);
		assertThat(StreamKeys.partitionOf("customer-42", 1)).isZero();
		for (int i = 0; i < 1000; i++) {
			assertThat(StreamKeys.partitionOf("key-" + i, 8)).isBetween(0, 7)
				.isEqualTo(StreamKeys.partitionOf("key-" + i, 8));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> StreamKeys.partitionOf("a", 0))
			.withMessageContaining("at least 1");
	}

	@Test
	void processedAndPublishedKeysOfDifferentNamesAndKeysNeverMeet() {
		assertThat(StreamKeys.processed("orders", "a:b", "c")).isEqualTo("{orders}:processed:3:a:b:c")
			.isNotEqualTo(StreamKeys.processed("orders", "a", "b:c"));
		assertThat(StreamKeys.published("orders", "app:x", "k"))
			.isNotEqualTo(StreamKeys.published("orders", "app", "x:k"));
		assertThat(StreamKeys.processed("orders:{3}", "g", "k")).isEqualTo("orders:{3}:processed:1:g:k");
	}

	@Test
	void delayedAndRateLimitKeysShareTheStreamsSlot() {
		assertThat(StreamKeys.delayed("orders")).isEqualTo("{orders}:delayed");
		assertThat(StreamKeys.delayedMessages("{shop}orders")).isEqualTo("{shop}orders:delayed:messages");
		assertThat(StreamKeys.delayed("orders:{3}")).isEqualTo("orders:{3}:delayed");
		assertThat(StreamKeys.rateLimit("orders", "billing")).isEqualTo("{orders}:rate-limit:billing");
	}

	@Test
	void keysCanBeDerivedFromAStreamWithAHashTagOrWithoutAClosingBrace() {
		assertThat(StreamKeys.canDerive("orders")).isTrue();
		assertThat(StreamKeys.canDerive("{shop}orders")).isTrue();
		assertThat(StreamKeys.canDerive("half{open")).isTrue();
		assertThat(StreamKeys.canDerive("a}b")).isFalse();
		assertThat(StreamKeys.canDerive("{}orders")).isFalse();
		assertThat(StreamKeys.canDerive("")).isFalse();
	}

}
