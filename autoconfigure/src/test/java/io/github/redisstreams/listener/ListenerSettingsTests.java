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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.retry.ListenerRetryPolicy;
import io.github.redisstreams.retry.StreamErrorHandler.Decision;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ListenerSettings}.
 */
class ListenerSettingsTests {

	@Test
	void defaultsAreTheDocumentedOnes() {
		ListenerSettings settings = ListenerSettings.builder().group("g").instanceId("node").build();
		assertThat(settings.getGroup()).isEqualTo("g");
		assertThat(settings.getConcurrency()).isEqualTo(1);
		assertThat(settings.getPartitions()).isZero();
		assertThat(settings.getBatchSize()).isEqualTo(500);
		assertThat(settings.getPollTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.getStartPosition()).isEqualTo(StartPosition.BEGINNING);
		assertThat(settings.isAutoStartup()).isTrue();
		assertThat(settings.getReclaimInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.getMinIdleTime()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.getDeadConsumerTimeout()).isEqualTo(Duration.ofHours(1));
		assertThat(settings.getRetryPolicy().getMaxRetries()).isEqualTo(3);
		assertThat(retryDelays(settings.getRetryPolicy())).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
				Duration.ofSeconds(4));
		BackOffExecution recovery = settings.getRecoveryBackOff().start();
		long first = recovery.nextBackOff();
		assertThat(first).isBetween(100L, 300L);
		assertThat(settings.consumerName(1)).isEqualTo("node-1");
		assertThat(settings.claimerName()).isEqualTo("node-reclaimer");
	}

	@Test
	void laterValuesReplaceEarlierOnesAndUnsetValuesKeepThem() {
		ListenerSettings settings = ListenerSettings.builder()
			.group("g")
			.maxRetries(9)
			.retryDelay(Duration.ofMillis(100))
			.retryMultiplier(3.0)
			.retryMaxDelay(Duration.ofSeconds(10))
			.maxRetries(4)
			.retryMaxDelay(Duration.ofMillis(700))
			.build();
		ListenerRetryPolicy policy = settings.getRetryPolicy();
		assertThat(policy.getMaxRetries()).isEqualTo(4);
		assertThat(retryDelays(policy)).containsExactly(Duration.ofMillis(100), Duration.ofMillis(300),
				Duration.ofMillis(700), Duration.ofMillis(700));
		assertThat(policy.decide(new IllegalStateException("boom"), 5).reason())
			.isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
	}

	@Test
	void toBuilderKeepsEveryValue() {
		ListenerSettings settings = ListenerSettings.builder()
			.group("g")
			.instanceId("n")
			.concurrency(3)
			.partitions(8)
			.batchSize(7)
			.pollTimeout(Duration.ofMillis(300))
			.shutdownTimeout(Duration.ofSeconds(1))
			.startPosition(StartPosition.END)
			.autoStartup(false)
			.maxRetries(0)
			.notRetryable(List.of(NoSuchElementException.class))
			.reclaimInterval(Duration.ofSeconds(1))
			.minIdleTime(Duration.ofSeconds(2))
			.deadConsumerTimeout(Duration.ofMinutes(3))
			.build();
		assertThat(settings.toBuilder().build()).hasToString(settings.toString());
		assertThat(settings.toBuilder().build().getPartitions()).isEqualTo(8);
		assertThat(settings.toBuilder().batchSize(8).build().getBatchSize()).isEqualTo(8);
		assertThat(settings.getBatchSize()).isEqualTo(7);
	}

	@Test
	void zeroRetriesDeadLetterAtTheFirstFailure() {
		ListenerRetryPolicy policy = ListenerSettings.builder().group("g").maxRetries(0).build().getRetryPolicy();
		assertThat(policy.decide(new IllegalStateException("boom"), 1).reason())
			.isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
	}

	@Test
	void notRetryableTypesAddUpWithoutDuplicates() {
		ListenerRetryPolicy policy = ListenerSettings.builder()
			.group("g")
			.notRetryable(List.of(IllegalArgumentException.class))
			.notRetryable(List.of(UnsupportedOperationException.class, IllegalArgumentException.class))
			.notRetryable(List.of(NoSuchElementException.class))
			.build()
			.getRetryPolicy();
		assertThat(policy.decide(new NoSuchElementException(), 1).reason()).isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new UnsupportedOperationException(), 1).reason())
			.isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new IllegalArgumentException(), 1).reason()).isEqualTo(DeadLetterReason.NOT_RETRYABLE);
		assertThat(policy.decide(new IllegalStateException(), 1).isRetry()).isTrue();
	}

	@Test
	void maxDelayShorterThanTheDelayIsRaisedToTheDelay() {
		ListenerRetryPolicy policy = ListenerSettings.builder()
			.group("g")
			.retryDelay(Duration.ofMinutes(2))
			.build()
			.getRetryPolicy();
		assertThat(retryDelays(policy)).containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(2),
				Duration.ofMinutes(2));
	}

	@Test
	void jitterZeroGivesExactDelays() {
		ListenerRetryPolicy policy = ListenerSettings.builder()
			.group("g")
			.retryJitter(Duration.ofMillis(500))
			.retryJitter(Duration.ZERO)
			.build()
			.getRetryPolicy();
		for (int i = 0; i < 50; i++) {
			assertThat(policy.backOff(1)).isEqualTo(Duration.ofSeconds(1));
		}
	}

	@Test
	void missingGroupIsRejectedWithAdvice() {
		assertThatIllegalStateException().isThrownBy(() -> ListenerSettings.builder().build())
			.withMessageContaining("no consumer group")
			.withMessageContaining("redis.streams.listener.group");
		assertThatIllegalStateException().isThrownBy(() -> ListenerSettings.builder().group(" ").build());
	}

	@Test
	void invalidValuesAreRejectedNamingTheSetting() {
		ListenerSettings.Builder builder = ListenerSettings.builder().group("g");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.concurrency(0).build())
			.withMessage("concurrency must be at least 1, was 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerSettings.builder().group("g").partitions(-1).build())
			.withMessage("partitions must be from 0 (a plain stream) to 256, was -1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerSettings.builder().group("g").partitions(257).build())
			.withMessageContaining("was 257");
		assertThat(ListenerSettings.builder().group("g").partitions(256).build().getPartitions()).isEqualTo(256);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerSettings.builder().group("g").batchSize(-1).build())
			.withMessage("batch-size must be at least 1, was -1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerSettings.builder().group("g").maxRetries(-1).build())
			.withMessageContaining("'maxRetries'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerSettings.builder().group("g").retryMultiplier(0.5).build())
			.withMessageContaining("'multiplier'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerSettings.builder().group("g").recoveryMultiplier(0.5).build())
			.withMessageContaining("redis.streams.listener.recovery.multiplier");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerSettings.builder().group("g").minIdleTime(Duration.ofSeconds(2)).build())
			.withMessageContaining("redis.streams.reclaim.min-idle-time");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerSettings.builder().group("g").shutdownTimeout(Duration.ofSeconds(-1)).build())
			.withMessageContaining("shutdown-timeout");
	}

	@Test
	void recoveryMaxDelayBelowTheDelayIsRaisedToTheDelay() {
		ListenerSettings settings = ListenerSettings.builder()
			.group("g")
			.recoveryDelay(Duration.ofSeconds(30))
			.recoveryJitter(Duration.ZERO)
			.build();
		BackOffExecution execution = settings.getRecoveryBackOff().start();
		assertThat(execution.nextBackOff()).isEqualTo(30_000L);
		assertThat(execution.nextBackOff()).isEqualTo(30_000L);
	}

	@Test
	void nullValuesAreRejectedNamingTheSetting() {
		ListenerSettings.Builder builder = ListenerSettings.builder();
		assertThatIllegalArgumentException().isThrownBy(() -> builder.pollTimeout(null))
			.withMessageContaining("'poll-timeout'");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.retryDelay(null))
			.withMessageContaining("'retry.delay'");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.startPosition(null))
			.withMessageContaining("'start-position'");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.recoveryDelay(null))
			.withMessageContaining("'recovery.delay'");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.notRetryable(null))
			.withMessageContaining("'retry.not-retryable-exceptions'");
	}

	@Test
	void notRetryableListOfTheCallerIsCopied() {
		List<Class<? extends Throwable>> types = new ArrayList<>();
		types.add(IllegalArgumentException.class);
		ListenerSettings.Builder builder = ListenerSettings.builder().group("g").notRetryable(types);
		types.add(UnsupportedOperationException.class);
		assertThat(builder.build().getRetryPolicy().decide(new UnsupportedOperationException(), 1).isRetry()).isTrue();
	}

	private static List<Duration> retryDelays(ListenerRetryPolicy policy) {
		List<Duration> delays = new ArrayList<>();
		for (long deliveryCount = 1; deliveryCount <= policy.getMaxRetries(); deliveryCount++) {
			Decision decision = policy.decide(new IllegalStateException("boom"), deliveryCount);
			assertThat(decision.isRetry()).as("decision after delivery %d", deliveryCount).isTrue();
			delays.add(decision.retryDelay());
		}
		return delays;
	}

}
