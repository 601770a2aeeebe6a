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

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchSizer}: a consumer asks for no more entries than its handler
 * works through in about a second, and at most the batch size.
 */
class BatchSizerTests {

	private static final long MICROSECOND = TimeUnit.MICROSECONDS.toNanos(1);

	private static final long MILLISECOND = TimeUnit.MILLISECONDS.toNanos(1);

	@Test
	void beforeTheFirstBatchAConsumerAsksForAtMostOneHundred() {
		assertThat(new BatchSizer(500).count()).isEqualTo(100);
		assertThat(new BatchSizer(20).count()).isEqualTo(20);
	}

	@Test
	void aFastHandlerGetsTheWholeBatchSize() {
		BatchSizer sizer = new BatchSizer(500);
		sizer.processed(100, 100 * 5 * MICROSECOND);
		assertThat(sizer.count()).isEqualTo(500);
		sizer.processed(500, 500 * 2 * MILLISECOND);
		// 1.0 ms per entry on average: 1,000 fit into a second
		assertThat(sizer.count()).isEqualTo(500);
	}

	@Test
	void aSlowHandlerTakesAboutASecondOfWorkAndOneEntryWhenAnEntryTakesASecondOrMore() {
		BatchSizer sizer = new BatchSizer(500);
		sizer.processed(100, 100 * 10 * MILLISECOND);
		assertThat(sizer.count()).isEqualTo(100);
		BatchSizer slow = new BatchSizer(500);
		slow.processed(10, 10 * 3000 * MILLISECOND);
		assertThat(slow.count()).isEqualTo(1);
	}

	@Test
	void aHandlerThatSlowsDownTakesFewerAfterOneBatchAndGrowsBackWhenItSpeedsUp() {
		BatchSizer sizer = new BatchSizer(500);
		sizer.processed(100, 100 * 5 * MICROSECOND);
		sizer.processed(500, 500 * 200 * MILLISECOND);
		assertThat(sizer.count()).isLessThanOrEqualTo(10);
		int batches = 0;
		while (sizer.count() < 500) {
			sizer.processed(sizer.count(), sizer.count() * 5 * MICROSECOND);
			batches++;
		}
		assertThat(batches).isLessThanOrEqualTo(100);
	}

	@Test
	void oneSlowEntryDoesNotShrinkTheBatchesOfAFastHandlerToOne() {
		BatchSizer sizer = new BatchSizer(500);
		sizer.processed(500, 500 * 5 * MICROSECOND);
		// a retry whose attempt ran into a 10 s timeout
		sizer.processed(1, 10_000 * MILLISECOND);
		assertThat(sizer.count()).isGreaterThanOrEqualTo(4);
		sizer.processed(500, 500 * 5 * MICROSECOND);
		assertThat(sizer.count()).isEqualTo(500);
	}

	@Test
	void aConsumerIsTimedAfterItsFirstBatch() {
		BatchSizer sizer = new BatchSizer(500);
		assertThat(sizer.isTimed()).isFalse();
		sizer.processed(3, 3 * MILLISECOND);
		assertThat(sizer.isTimed()).isTrue();
	}

	@Test
	void nothingProcessedChangesNothing() {
		BatchSizer sizer = new BatchSizer(500);
		sizer.processed(0, 3000 * MILLISECOND);
		assertThat(sizer.count()).isEqualTo(100);
	}

}
