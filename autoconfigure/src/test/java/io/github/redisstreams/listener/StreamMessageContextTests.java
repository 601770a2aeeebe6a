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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link StreamMessageContext}.
 */
class StreamMessageContextTests {

	@Test
	void timestampIsTheMillisecondPartOfTheId() {
		assertThat(context("1700000000123-4").timestamp()).isEqualTo(1700000000123L);
		assertThat(context("0-1").timestamp()).isZero();
	}

	@Test
	void timestampOfAnIdThatIsNoEntryIdFails() {
		assertThatIllegalStateException().isThrownBy(() -> context("order-42").timestamp())
			.withMessage("'order-42' is not a stream entry id");
	}

	private static StreamMessageContext context(String id) {
		return new StreamMessageContext(id, "orders", "group", "consumer", 1, "listener");
	}

}
