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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.redisstreams.deadletter.DeadLetter;
import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.retry.StreamErrorHandler;
import io.github.redisstreams.support.StreamEntry;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link StreamConsumer} and {@link EntryProcessor}, driven by a scripted
 * {@link EntryReader}: no Redis.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamConsumerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ScriptedReader reader = new ScriptedReader();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	private final List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();

	private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

	private final List<String> contextConsumers = new CopyOnWriteArrayList<>();

	private final List<Long> attempts = new CopyOnWriteArrayList<>();

	private volatile boolean deadLetterFails;

	private StreamErrorHandler errorHandler = StreamErrorHandler.DEFAULT;

	/** Whether the dead-letter publisher's {@code acknowledgesOriginal()} throws. */
	private volatile boolean acknowledgesOriginalFails;

	/** Whether the dead-letter publisher throws an {@code Error}. */
	private volatile boolean deadLetterThrowsError;

	/** Whether the dead-letter publisher returns with the thread's interrupt flag set. */
	private volatile boolean deadLetterInterrupts;

	/** Longer than what the consumer retries in memory, unless a test says otherwise. */
	private Duration retryDelay = Duration.ofMillis(500);

	private @Nullable Thread thread;

	private @Nullable StreamConsumer consumer;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.consumer != null) {
			this.consumer.signalStop();
			assertThat(this.consumer.awaitFinished(5, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void entriesAreProcessedInOrderAndAcknowledgedWithTheNextRead() {
		start(this::record);
		this.reader.batch(entry("1-0", "a"), entry("1-1", "b"), entry("1-2", "c"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.size() == 3);
		assertThat(this.handled).containsExactly("a", "b", "c");
		assertThat(this.reader.acknowledged).containsExactly("1-0", "1-1", "1-2");
		assertThat(this.reader.parked).isEmpty();
	}

	@Test
	void failedEntryIsParkedWithTheRetryPolicysDelayAndNotAcknowledged() {
		start((entry) -> {
			record(entry);
			if (value(entry).equals("bad")) {
				throw new IllegalStateException("boom");
			}
		});
		this.reader.batch(entry("1-0", "bad"), entry("1-1", "good"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.contains("1-1") && !this.reader.parked.isEmpty());
		assertThat(this.reader.parked).singleElement().satisfies((request) -> {
			assertThat(request.id()).isEqualTo("1-0");
			assertThat(request.delay()).isEqualTo(Duration.ofMillis(500));
			assertThat(request.owner()).isEqualTo("test-0");
		});
		assertThat(this.reader.acknowledged).containsExactly("1-1");
		assertThat(this.reader.retryDue).containsExactly(Duration.ofMillis(500));
	}

	@Test
	void aRetryDueWithinTheInMemoryBoundIsRunByTheConsumerWithTheNextDeliveryCount() {
		this.retryDelay = Duration.ofMillis(10);
		start((entry) -> {
			record(entry);
			if (value(entry).equals("bad") && this.handled.size() == 1) {
				throw new IllegalStateException("boom");
			}
		});
		this.reader.batch(entry("1-0", "bad"), entry("1-1", "good"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.size() == 2);
		assertThat(this.handled).containsExactly("bad", "good", "bad");
		assertThat(this.attempts).containsExactly(1L, 1L, 2L);
		assertThat(this.reader.acknowledged).containsExactly("1-1", "1-0");
		assertThat(this.reader.parked).isEmpty();
		// no due claim is sent to Redis for it; a blocking read waits no longer than it
		assertThat(this.reader.retryDue).isEmpty();
		assertThat(this.reader.inMemoryDue).isNotEmpty()
			.allSatisfy((due) -> assertThat(due).isLessThanOrEqualTo(Duration.ofMillis(10)));
	}

	@Test
	void retriesInMemoryCountTowardsTheDeliveryLimit() {
		this.retryDelay = Duration.ofMillis(5);
		start((entry) -> {
			record(entry);
			throw new IllegalStateException("always");
		});
		this.reader.batch(Map.of("1-0", 2L), entry("1-0", "poison"));
		await().atMost(TIMEOUT).until(() -> this.deadLetters.size() == 1);
		// max-retries 3: deliveries 2 (from Redis), 3 and 4 (in memory), then
		// dead-lettered
		assertThat(this.attempts).containsExactly(2L, 3L, 4L);
		assertThat(this.deadLetters.get(0).deliveryCount()).isEqualTo(4);
		assertThat(this.reader.parked).isEmpty();
	}

	@Test
	void aRetryEscalatingPastTheInMemoryBoundIsParkedWithTheAttemptsMade() {
		// 60 ms (in memory), then 120 ms: parked, with its delivery count set to 2
		this.retryDelay = Duration.ofMillis(60);
		start((entry) -> {
			record(entry);
			throw new IllegalStateException("always");
		});
		this.reader.batch(entry("1-0", "bad"));
		await().atMost(TIMEOUT).until(() -> !this.reader.parked.isEmpty());
		assertThat(this.attempts).containsExactly(1L, 2L);
		assertThat(this.reader.parked).singleElement().satisfies((request) -> {
			assertThat(request.id()).isEqualTo("1-0");
			assertThat(request.delay()).isEqualTo(Duration.ofMillis(120));
			assertThat(request.attempts()).isEqualTo(2);
		});
	}

	@Test
	void anEntryWaitingInMemoryIsNotRunAgainWhenADrainAfterAReconnectReturnsIt() {
		this.retryDelay = Duration.ofMillis(80);
		start((entry) -> {
			record(entry);
			if (this.handled.size() == 1) {
				throw new IllegalStateException("boom");
			}
		});
		// the second batch stands for the consumer's pending list drained after a
		// reconnect, while the entry waits in memory
		this.reader.batch(entry("1-0", "bad"));
		this.reader.batch(entry("1-0", "bad"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.contains("1-0"));
		await().during(Duration.ofMillis(200)).atMost(TIMEOUT).until(() -> this.handled.size() == 2);
		assertThat(this.handled).containsExactly("bad", "bad");
		assertThat(this.attempts).containsExactly(1L, 2L);
	}

	@Test
	void whenDeadLetteringFailsAfterRetriesInMemoryTheEntryIsParkedWithItsAttempts() {
		this.retryDelay = Duration.ofMillis(5);
		this.deadLetterFails = true;
		start((entry) -> {
			record(entry);
			throw new IllegalStateException("always");
		});
		this.reader.batch(entry("1-0", "poison"));
		await().atMost(TIMEOUT).until(() -> !this.reader.parked.isEmpty());
		assertThat(this.attempts).containsExactly(1L, 2L, 3L, 4L);
		assertThat(this.reader.parked).singleElement().satisfies((request) -> {
			assertThat(request.id()).isEqualTo("1-0");
			assertThat(request.attempts()).isEqualTo(4);
		});
	}

	@Test
	void anErrorFromTheDeadLetterPublisherIsAFailedDeadLetterNotAFailedRead() {
		this.deadLetterThrowsError = true;
		start(this::record);
		this.reader.batch(Map.of("1-0", 5L), entry("1-0", "crashes"), entry("1-1", "next"));
		await().atMost(TIMEOUT).until(() -> this.handled.contains("next") && !this.reader.parked.isEmpty());
		// parked to be dead-lettered again later, as when the publisher throws an
		// exception; the batch goes on and the connection is kept
		assertThat(this.reader.parked).singleElement()
			.satisfies((request) -> assertThat(request.id()).isEqualTo("1-0"));
		assertThat(this.reader.recovered).isEmpty();
	}

	@Test
	void aBatchHandedOverIsKeptWhenTheReadThatGoesWithItFails() {
		start(this::record);
		StreamConsumer consumer = this.consumer;
		assertThat(consumer).isNotNull();
		this.reader.failureBeforeHandOver = new InterruptedException("interrupted while sending acknowledgements");
		consumer.handOver("test-reclaimer", List.of(entry("5-0", "handed")), Map.of(), List.of());
		// the acknowledgement goes with the read after the handler returned
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.contains("5-0"));
		assertThat(this.handled).contains("handed");
		assertThat(this.reader.interruptions).hasValue(1);
	}

	@Test
	void aFailureOutsideTheListenerMethodLeavesTheEntryAndTheConsumerGoesOn() {
		this.acknowledgesOriginalFails = true;
		start(this::record);
		this.reader.batch(Map.of("1-0", 5L), entry("1-0", "crashes"), entry("1-1", "next"));
		this.reader.batch(entry("2-0", "after"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.containsAll(List.of("1-1", "2-0")));
		assertThat(this.handled).containsExactly("next", "after");
		// dead-lettered, then the publisher failed: not acknowledged, still pending
		assertThat(this.deadLetters).hasSize(1);
		assertThat(this.reader.acknowledged).doesNotContain("1-0");
		assertThat(this.reader.recovered).isEmpty();
	}

	@Test
	void anErrorFromTheErrorHandlerLeavesTheEntryPendingAndTheConsumerGoesOn() {
		this.errorHandler = (failure) -> {
			throw new StackOverflowError("recursing in the error handler");
		};
		start((entry) -> {
			record(entry);
			if (value(entry).equals("fails")) {
				throw new IllegalStateException("handler failed");
			}
		});
		this.reader.batch(entry("1-0", "fails"), entry("1-1", "next"));
		this.reader.batch(entry("2-0", "after"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.containsAll(List.of("1-1", "2-0")));
		assertThat(this.handled).containsExactly("fails", "next", "after");
		// left pending: neither acknowledged nor parked nor dead-lettered
		assertThat(this.reader.acknowledged).doesNotContain("1-0");
		assertThat(this.reader.parked).isEmpty();
		assertThat(this.deadLetters).isEmpty();
		assertThat(this.consumer.isRunning()).isTrue();
	}

	@Test
	void anEntryAcknowledgedBeforeItsHandlerThrewIsNotRetriedInMemory() {
		this.retryDelay = Duration.ofMillis(5);
		List<Acknowledgment> manualAcks = new CopyOnWriteArrayList<>();
		start((entry) -> {
			record(entry);
			manualAcks.get(manualAcks.size() - 1).acknowledge();
			throw new IllegalStateException("after the acknowledgement");
		}, manualAcks);
		this.reader.batch(entry("1-0", "acked"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.contains("1-0") && !this.reader.parked.isEmpty());
		await().during(Duration.ofMillis(200)).atMost(TIMEOUT).until(() -> this.handled.size() == 1);
		assertThat(this.reader.parked).singleElement()
			.satisfies((request) -> assertThat(request.id()).isEqualTo("1-0"));
	}

	@Test
	void aStoppingConsumerParksTheRetriesWaitingInMemory() throws InterruptedException {
		this.retryDelay = Duration.ofMillis(100);
		CountDownLatch failed = new CountDownLatch(1);
		start((entry) -> {
			record(entry);
			failed.countDown();
			throw new IllegalStateException("fails");
		});
		this.reader.batch(entry("1-0", "bad"));
		assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
		StreamConsumer consumer = this.consumer;
		assertThat(consumer).isNotNull();
		consumer.signalStop();
		assertThat(consumer.awaitFinished(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.attempts).containsExactly(1L);
		assertThat(this.reader.parked).singleElement().satisfies((request) -> {
			assertThat(request.id()).isEqualTo("1-0");
			assertThat(request.delay()).isLessThanOrEqualTo(Duration.ofMillis(100));
			assertThat(request.attempts()).isEqualTo(1);
		});
	}

	@Test
	void handlerLeavingTheInterruptFlagSetDoesNotReachTheNextHandlerNorEndTheLoop() {
		start((entry) -> {
			record(entry);
			if (value(entry).equals("interrupts")) {
				Thread.currentThread().interrupt();
			}
		});
		this.reader.batch(entry("1-0", "interrupts"), entry("1-1", "next"));
		this.reader.batch(entry("2-0", "later"));
		await().atMost(TIMEOUT).until(() -> this.handled.size() == 3);
		assertThat(this.interruptedAtStart).containsOnly(false);
		assertThat(this.consumer.isRunning()).isTrue();
	}

	@Test
	void errorsAndInterruptedExceptionsFromHandlersAreFailuresLikeAnyOther() {
		start((entry) -> {
			record(entry);
			switch (value(entry)) {
				case "error" -> throw new AssertionError("an Error");
				case "interrupted" -> throw new InterruptedException("from a client");
				default -> {
				}
			}
		});
		this.reader.batch(entry("1-0", "error"), entry("1-1", "interrupted"), entry("1-2", "fine"));
		await().atMost(TIMEOUT).until(() -> this.reader.parked.size() == 2 && this.reader.acknowledged.size() == 1);
		assertThat(this.reader.parked).extracting(RetryParking.Request::id).containsExactly("1-0", "1-1");
		assertThat(this.consumer.isRunning()).isTrue();
	}

	@Test
	void readerFailuresAndInterruptsNeverEndTheLoop() {
		start(this::record);
		this.reader.failure(new IllegalStateException("connection reset"));
		this.reader.failure(new InterruptedException("interrupted read"));
		this.reader.batch(entry("1-0", "after"));
		await().atMost(TIMEOUT).until(() -> this.handled.contains("after"));
		assertThat(this.reader.recovered).hasSize(1);
		// the interrupted read's reply is lost: its entries are read again
		assertThat(this.reader.interruptions).hasValue(1);
		assertThat(this.consumer.isRunning()).isTrue();
	}

	@Test
	void deadLetterPublisherLeavingTheInterruptFlagSetDoesNotReachTheNextHandler() {
		this.deadLetterInterrupts = true;
		start(this::record);
		this.reader.batch(Map.of("1-0", 5L), entry("1-0", "crashes"), entry("1-1", "next"));
		this.reader.batch(Map.of("2-0", 5L), entry("2-0", "crashes too"));
		this.reader.batch(entry("3-0", "after"));
		await().atMost(TIMEOUT).until(() -> this.handled.contains("after"));
		assertThat(this.handled).containsExactly("next", "after");
		assertThat(this.interruptedAtStart).containsOnly(false);
		assertThat(this.deadLetters).hasSize(2);
		// nor the reads after it
		assertThat(this.reader.interruptions).hasValue(0);
	}

	@Test
	void entryPastTheDeliveryLimitIsDeadLetteredWithoutInvokingTheHandler() {
		start(this::record);
		this.reader.batch(Map.of("1-0", 5L), entry("1-0", "crashes"), entry("1-1", "next"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.size() == 2);
		assertThat(this.handled).containsExactly("next");
		assertThat(this.deadLetters).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.reason()).isEqualTo(DeadLetterReason.DELIVERY_LIMIT_EXCEEDED);
			assertThat(deadLetter.deliveryCount()).isEqualTo(5);
		});
	}

	@Test
	void anIdempotentListenerSkipsEntriesProcessedAlreadyAndALaterCopyInTheSameBatch() {
		this.idempotencyHeader = "k";
		this.reader.processedIds.add("1-0");
		start(this::record);
		this.reader.batch(keyed("1-0", "seen", "a"), keyed("1-1", "first", "b"), keyed("1-2", "copy", "b"),
				entry("1-3", "unkeyed"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.size() == 4);
		assertThat(this.handled).containsExactly("first", "unkeyed");
		assertThat(this.reader.recordedKeys).containsExactly(Map.entry("1-1", "b"));
	}

	@Test
	void anIdempotentListenerRecordsNoKeyForAFailedAttempt() {
		this.idempotencyHeader = "k";
		start((entry) -> {
			record(entry);
			if (value(entry).equals("bad")) {
				throw new IllegalStateException("fails");
			}
		});
		this.reader.batch(keyed("1-0", "bad", "a"), keyed("1-1", "good", "b"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.contains("1-1") && !this.reader.parked.isEmpty());
		assertThat(this.reader.recordedKeys).containsExactly(Map.entry("1-1", "b"));
		assertThat(this.reader.acknowledged).doesNotContain("1-0");
	}

	@Test
	void aFailedLookupLeavesTheEntriesWithAKeyPendingAndProcessesTheOthers() {
		this.idempotencyHeader = "k";
		this.reader.lookupFails = true;
		start(this::record);
		this.reader.batch(keyed("1-0", "keyed", "a"), entry("1-1", "unkeyed"));
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.contains("1-1"));
		// whether "a" was processed already is unknown: it waits for a lookup that
		// works (the reclaimer's, after min-idle-time) instead of perhaps running twice
		assertThat(this.handled).containsExactly("unkeyed");
		assertThat(this.reader.acknowledged).doesNotContain("1-0");
		assertThat(this.reader.parked).isEmpty();
		assertThat(this.reader.recovered).isEmpty();
		// past its delivery limit, it is dead-lettered all the same: the listener does
		// not run
		this.consumer.handOver("test-reclaimer", List.of(keyed("1-0", "keyed", "a")), Map.of("1-0", 5L), List.of());
		await().atMost(TIMEOUT).until(() -> this.deadLetters.size() == 1);
		assertThat(this.handled).containsExactly("unkeyed");
		this.reader.lookupFails = false;
		this.consumer.handOver("test-reclaimer", List.of(keyed("1-2", "later", "b")), Map.of(), List.of());
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.contains("1-2"));
		assertThat(this.handled).containsExactly("unkeyed", "later");
	}

	@Test
	void handedOverEntriesRunOnTheConsumerThreadUnderTheirOwner() {
		start(this::record);
		this.consumer.handOver("test-reclaimer", List.of(entry("1-0", "orphan")), Map.of("1-0", 2L), List.of());
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.contains("1-0"));
		assertThat(this.contextConsumers).containsExactly("test-reclaimer");
		assertThat(this.reader.wakes.get()).isPositive();
	}

	@Test
	void theRoomForHandOversIsWhatTheNextReadWouldAskForLessWhatWaitsHandedOverOrReadAhead()
			throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch busy = new CountDownLatch(1);
		start((entry) -> {
			record(entry);
			if (value(entry).equals("long")) {
				busy.countDown();
				release.await(10, TimeUnit.SECONDS);
			}
		});
		StreamConsumer consumer = this.consumer;
		assertThat(consumer).isNotNull();
		// the scripted reader asks for 100, as a consumer that has not timed a batch
		assertThat(consumer.handOverRoom()).isEqualTo(100);
		this.reader.batch(entry("1-0", "long"));
		assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
		consumer.handOver("test-reclaimer", List.of(entry("2-0", "a"), entry("2-1", "b")), Map.of(), List.of("2-2"));
		assertThat(consumer.handOverRoom()).isEqualTo(97);
		// entries read ahead wait for it as well
		this.reader.readAhead = new HeldEntries("test-0", List.of("3-0", "3-1", "3-2", "3-3"));
		assertThat(consumer.handOverRoom()).isEqualTo(93);
		this.reader.readAhead = null;
		release.countDown();
		await().atMost(TIMEOUT).until(() -> this.handled.containsAll(List.of("a", "b")));
		assertThat(consumer.handOverRoom()).isEqualTo(100);
	}

	@Test
	void theReclaimersPageGoesToTheConsumerWhoseRoomItWasSizedFor() {
		// neither consumer runs a thread: they take hand-overs, which wait in their queue
		StreamConsumer first = newConsumer("test-1", new ScriptedReader(), this::record, null);
		StreamConsumer second = newConsumer("test-2", new ScriptedReader(), this::record, null);
		ConsumerHandoff handoff = new ConsumerHandoff(List.of(first, second));
		assertThat(handoff.room()).isEqualTo(100);
		// meanwhile the measured consumer got work, and the other one has more room
		first.handOver("test-reclaimer", List.of(entry("1-0", "a")), Map.of(), List.of());
		assertThat(
				handoff.handOver("test-reclaimer", List.of(entry("2-0", "b"), entry("2-1", "c")), Map.of(), List.of()))
			.isTrue();
		assertThat(first.handOverRoom()).isEqualTo(97);
		assertThat(second.handOverRoom()).isEqualTo(100);
		// the next page is measured anew: the consumer with the most room
		assertThat(handoff.room()).isEqualTo(100);
		assertThat(handoff.handOver("test-reclaimer", List.of(entry("3-0", "d")), Map.of(), List.of())).isTrue();
		assertThat(second.handOverRoom()).isEqualTo(99);
	}

	@Test
	void aConsumerThatHasNotTimedABatchTakesNoHandOverWhileItWorksOnOne() throws InterruptedException {
		this.reader.timed = false;
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch busy = new CountDownLatch(1);
		start((entry) -> {
			record(entry);
			busy.countDown();
			release.await(10, TimeUnit.SECONDS);
		});
		StreamConsumer consumer = this.consumer;
		assertThat(consumer).isNotNull();
		assertThat(consumer.handOverRoom()).isEqualTo(100);
		this.reader.batch(entry("1-0", "first"));
		assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
		// as it does not read ahead: a second batch of a slow handler would wait as long
		assertThat(consumer.handOverRoom()).isZero();
		release.countDown();
		await().atMost(TIMEOUT).until(() -> this.reader.acknowledged.contains("1-0"));
		await().atMost(TIMEOUT).until(() -> consumer.handOverRoom() == 100);
	}

	@Test
	void stoppingSendsWhatIsStillBuffered() throws InterruptedException {
		List<Acknowledgment> later = new CopyOnWriteArrayList<>();
		start(this::record, later);
		this.reader.batch(entry("1-0", "manual"));
		await().atMost(TIMEOUT).until(() -> later.size() == 1);
		later.get(0).acknowledge();
		this.consumer.signalStop();
		assertThat(this.consumer.awaitFinished(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.reader.acknowledged).contains("1-0");
		assertThat(this.reader.closed).isTrue();
		this.consumer = null;
	}

	@Test
	void anAcknowledgementAfterTheConsumerStoppedIsRefusedAndNamed(CapturedOutput output) throws InterruptedException {
		List<Acknowledgment> later = new CopyOnWriteArrayList<>();
		start(this::record, later);
		this.reader.batch(entry("1-0", "handed-off"));
		await().atMost(TIMEOUT).until(() -> later.size() == 1);
		StreamConsumer consumer = this.consumer;
		assertThat(consumer).isNotNull();
		consumer.signalStop();
		assertThat(consumer.awaitFinished(5, TimeUnit.SECONDS)).isTrue();
		later.get(0).acknowledge();
		// not buffered where nothing sends it any more, and said
		assertThat(consumer.getAcks().isEmpty()).isTrue();
		assertThat(this.reader.acknowledged).doesNotContain("1-0");
		assertThat(output).contains("Listener 'listener': entry 1-0 was acknowledged after its consumer stopped");
		this.consumer = null;
	}

	private void record(StreamEntry entry) {
		this.interruptedAtStart.add(Thread.currentThread().isInterrupted());
		this.handled.add(value(entry));
	}

	private void start(Handler handler) {
		start(handler, null);
	}

	private @Nullable String idempotencyHeader;

	private void start(Handler handler, @Nullable List<Acknowledgment> manualAcks) {
		this.consumer = newConsumer("test-0", this.reader, handler, manualAcks);
		this.thread = new Thread(this.consumer, "consumer-under-test");
		this.thread.start();
	}

	private StreamConsumer newConsumer(String name, ScriptedReader reader, Handler handler,
			@Nullable List<Acknowledgment> manualAcks) {
		ListenerSettings values = ListenerSettings.builder()
			.idempotencyHeader(this.idempotencyHeader)
			.group("g")
			.instanceId("test")
			.retryDelay(this.retryDelay)
			.retryJitter(Duration.ZERO)
			.recoveryDelay(Duration.ofMillis(1))
			.recoveryJitter(Duration.ZERO)
			.build();
		StreamListenerContainer container = StreamListenerContainer.builder("listener", "stream", values)
			.connectionFactory(new LettuceConnectionFactory())
			.handler((entry, context, acknowledgment) -> {
			})
			.deadLetterPublisher(this.deadLetters::add)
			.build();
		ContainerSettings settings = new ContainerSettings(container, "listener", "stream", "stream", values);
		StreamMessageHandler messageHandler = new StreamMessageHandler() {

			@Override
			public void handle(StreamEntry entry, StreamMessageContext context, Acknowledgment acknowledgment)
					throws Exception {
				StreamConsumerTests.this.contextConsumers.add(context.consumer());
				StreamConsumerTests.this.attempts.add(context.deliveryAttempt());
				if (manualAcks != null) {
					manualAcks.add(acknowledgment);
				}
				handler.handle(entry);
			}

			@Override
			public boolean isManualAck() {
				return manualAcks != null;
			}

		};
		DeadLetterPublisher publisher = new DeadLetterPublisher() {

			@Override
			public void publish(DeadLetter deadLetter) {
				if (StreamConsumerTests.this.deadLetterFails) {
					throw new IllegalStateException("dead-letter stream refused");
				}
				if (StreamConsumerTests.this.deadLetterThrowsError) {
					throw new AssertionError("an Error, not an Exception");
				}
				StreamConsumerTests.this.deadLetters.add(deadLetter);
				if (StreamConsumerTests.this.deadLetterInterrupts) {
					Thread.currentThread().interrupt();
				}
			}

			@Override
			public boolean acknowledgesOriginal() {
				if (StreamConsumerTests.this.acknowledgesOriginalFails) {
					throw new IllegalStateException("a publisher's own fault");
				}
				return false;
			}

		};
		EntryProcessor processor = new EntryProcessor(settings, messageHandler, publisher, this.errorHandler,
				Instrumentation.NONE);
		return new StreamConsumer(settings, name, reader, processor, new FailureEpisodes("listener"));
	}

	private static StreamEntry entry(String id, String value) {
		return new StreamEntry(id, "stream", Map.of("v", value.getBytes(StandardCharsets.UTF_8)));
	}

	private static StreamEntry keyed(String id, String value, String key) {
		return new StreamEntry(id, "stream", List.of(StreamEntry.Field.of("v", value), StreamEntry.Field.of("k", key)));
	}

	private static String value(StreamEntry entry) {
		return new String(entry.getFields().get("v"), StandardCharsets.UTF_8);
	}

	@FunctionalInterface
	interface Handler {

		void handle(StreamEntry entry) throws Exception;

	}

	/**
	 * Returns the batches and failures it is given, in order; records what the consumer
	 * sends.
	 */
	static final class ScriptedReader implements EntryReader {

		private final BlockingQueue<Object> script = new LinkedBlockingQueue<>();

		final List<String> acknowledged = new CopyOnWriteArrayList<>();

		final List<RetryParking.Request> parked = new CopyOnWriteArrayList<>();

		final List<Duration> retryDue = new CopyOnWriteArrayList<>();

		/**
		 * When the consumer's next retry in memory was due, at each read that had one.
		 */
		final List<Duration> inMemoryDue = new CopyOnWriteArrayList<>();

		final List<Throwable> recovered = new CopyOnWriteArrayList<>();

		final AtomicInteger wakes = new AtomicInteger();

		/** How often the consumer reported a wait cut short by an interrupt. */
		final AtomicInteger interruptions = new AtomicInteger();

		/** Keys recorded with acknowledgements, by entry id. */
		final Map<String, String> recordedKeys = new ConcurrentHashMap<>();

		/** Ids whose key the lookup reports as processed already. */
		final Set<String> processedIds = ConcurrentHashMap.newKeySet();

		volatile boolean lookupFails;

		/** Whether the consumer timed a batch ({@link BatchSizer#isTimed()}). */
		volatile boolean timed = true;

		volatile boolean closed;

		/** A failure for the next read that comes with a hand-over, once. */
		volatile @Nullable Exception failureBeforeHandOver;

		/** What {@link #readAhead()} reports, as a read ahead that came back. */
		volatile @Nullable HeldEntries readAhead;

		void batch(StreamEntry... entries) {
			batch(Collections.emptyMap(), entries);
		}

		void batch(Map<String, Long> deliveryCounts, StreamEntry... entries) {
			this.script.add(new EntryBatch(List.of(entries), deliveryCounts, List.of(), "test-0", null));
		}

		void failure(Exception failure) {
			this.script.add(failure);
		}

		@Override
		public @Nullable HeldEntries readAhead() {
			return this.readAhead;
		}

		@Override
		public void interrupted() {
			this.interruptions.incrementAndGet();
		}

		@Override
		public EntryBatch read(AckBuffer acks, RetryParking parking, boolean readNew) throws Exception {
			Exception handOverFailure = this.failureBeforeHandOver;
			if (!readNew && handOverFailure != null) {
				// the read that goes with a hand-over (it sends the acknowledgements)
				this.failureBeforeHandOver = null;
				throw handOverFailure;
			}
			List<String> ids = acks.drain();
			this.recordedKeys.putAll(acks.keysOf(ids));
			acks.sent(ids);
			this.acknowledged.addAll(ids);
			this.parked.addAll(parking.drain());
			Duration due = parking.nextDue();
			if (due != null) {
				this.inMemoryDue.add(due);
			}
			if (!readNew) {
				return EntryBatch.EMPTY;
			}
			Object next = this.script.poll(20, TimeUnit.MILLISECONDS);
			if (next instanceof Exception failure) {
				throw failure;
			}
			return (next instanceof EntryBatch batch) ? batch : EntryBatch.EMPTY;
		}

		@Override
		public Set<String> processedAlready(List<StreamEntry> entries) throws Exception {
			if (this.lookupFails) {
				throw new IllegalStateException("lookup failed");
			}
			Set<String> found = new HashSet<>();
			entries.stream().map(StreamEntry::getId).filter(this.processedIds::contains).forEach(found::add);
			return found;
		}

		@Override
		public void retryDueIn(Duration delay) {
			this.retryDue.add(delay);
		}

		@Override
		public String recover(Throwable failure) {
			this.recovered.add(failure);
			return "scripted failure";
		}

		@Override
		public void wake() {
			this.wakes.incrementAndGet();
		}

		@Override
		public boolean isTimed() {
			return this.timed;
		}

		@Override
		public void close(AckBuffer acks, RetryParking parking) {
			this.acknowledged.addAll(acks.drain());
			this.parked.addAll(new ArrayList<>(parking.drain()));
			this.closed = true;
		}

	}

}
