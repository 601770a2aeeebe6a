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
import java.util.Collections;

import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.observation.DefaultStreamListenerObservationConvention;
import io.github.redisstreams.observation.RedisStreamsObservation;
import io.github.redisstreams.observation.StreamReceiverContext;
import io.github.redisstreams.retry.StreamErrorHandler;
import io.github.redisstreams.retry.StreamErrorHandler.Decision;
import io.github.redisstreams.support.StreamEntry;

/**
 * Processes one entry on a consumer's thread: dead-letters it without invoking the
 * handler when its payload was deleted or its delivery count is past the delivery limit,
 * else invokes the handler (observed, or timed for the metrics), buffers the
 * acknowledgement, and hands a failure to {@link EntryFailures}. Clears the interrupt
 * flag the handler may leave set.
 */
final class EntryProcessor {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final Acknowledgment NO_OP_ACKNOWLEDGMENT = () -> {
	};

	private final ContainerSettings settings;

	private final StreamMessageHandler handler;

	private final EntryDeadLetters deadLetters;

	private final Instrumentation instrumentation;

	/**
	 * Whether invocations are observed: the listener's observation is enabled and the
	 * container's registry has handlers when the container starts. Decided once, so that
	 * an invocation is timed either by the observation handlers or here, never both.
	 */
	private final boolean observed;

	/**
	 * Whether invocations are timed through {@link ListenerMetrics#invoked}: metrics are
	 * recorded and the listener is not observed (disabled, or no observation registry).
	 */
	private final boolean timed;

	private final EntryFailures failures;

	/**
	 * The highest delivery count the listener is invoked for; fixed for the container's
	 * life.
	 */
	private final long deliveryLimit;

	EntryProcessor(ContainerSettings settings, StreamMessageHandler handler, DeadLetterPublisher deadLetterPublisher,
			StreamErrorHandler errorHandler, Instrumentation instrumentation) {
		this.settings = settings;
		this.handler = handler;
		this.deadLetters = new EntryDeadLetters(settings, deadLetterPublisher, instrumentation);
		this.failures = new EntryFailures(settings, errorHandler, this.deadLetters, instrumentation.metrics());
		this.deliveryLimit = this.failures.deliveryLimit();
		this.instrumentation = instrumentation;
		this.observed = settings.values().isObservationEnabled() && !instrumentation.observationRegistry().isNoop();
		this.timed = !this.observed && instrumentation.metrics() != ListenerMetrics.NONE;
	}

	/**
	 * Return whether processing an entry would invoke the listener: its payload is there
	 * and it is within the delivery limit (else it is dead-lettered without).
	 * @param entry the entry
	 * @param deliveryCount its delivery count
	 * @return whether the listener would run
	 */
	boolean invokesListener(StreamEntry entry, long deliveryCount) {
		return !entry.isPayloadLost() && deliveryCount <= this.deliveryLimit;
	}

	/**
	 * Process an entry.
	 * @return the delay after which a retry of this entry is due, or {@code null}
	 */
	@Nullable Duration process(StreamEntry entry, long deliveryCount, String consumer, RetryParking parking, AckBuffer acks) {
		try {
			return processEntry(entry, deliveryCount, consumer, parking, acks);
		}
		catch (Throwable ex) {
			failedOutsideTheListener(entry.getId(), ex);
			return null;
		}
		finally {
			// listener code ran: the handler, the error handler or the dead-letter
			// publisher
			clearInterruptFlag(entry.getId());
		}
	}

	private @Nullable Duration processEntry(StreamEntry entry, long deliveryCount, String consumer,
			RetryParking parking, AckBuffer acks) {
		if (entry.isPayloadLost()) {
			this.deadLetters.deadLetter(entry, deliveryCount, consumer, DeadLetterReason.PAYLOAD_LOST, null, parking,
					acks);
			return null;
		}
		if (deliveryCount > this.deliveryLimit) {
			this.deadLetters.deadLetter(entry, deliveryCount, consumer, DeadLetterReason.DELIVERY_LIMIT_EXCEEDED, null,
					parking, acks);
			return null;
		}
		StreamMessageContext context = new StreamMessageContext(entry.getId(), entry.getStream(), this.settings.group(),
				consumer, deliveryCount, this.settings.listenerId());
		ListenerMetrics metrics = this.instrumentation.metrics();
		if (deliveryCount == 1 && metrics != ListenerMetrics.NONE) {
			metrics.delivered(this.settings.container(), latency(entry.getId()));
		}
		// the context is only built when the registry observes anything
		Observation observation = !this.observed ? Observation.NOOP
				: RedisStreamsObservation.LISTENER.observation(this.instrumentation.convention(),
						DefaultStreamListenerObservationConvention.INSTANCE, () -> new StreamReceiverContext(entry,
								this.settings.group(), consumer, this.settings.listenerId(), deliveryCount),
						this.instrumentation.observationRegistry());
		boolean manualAck = this.handler.isManualAck();
		BufferedAcknowledgment manual = manualAck ? new BufferedAcknowledgment(this.settings.listenerId(), acks,
				entry.getId(), Acknowledgements.keyOf(this.settings, entry)) : null;
		long start = this.timed ? System.nanoTime() : 0;
		String outcome = StreamReceiverContext.SUCCESS;
		Class<?> exceptionType = null;
		observation.start();
		try {
			try (Observation.Scope scope = observation.openScope()) {
				this.handler.handle(entry, context, (manual != null) ? manual : NO_OP_ACKNOWLEDGMENT);
			}
			if (!manualAck) {
				// an idempotent listener's key is recorded with the acknowledgement
				acks.add(entry.getId(), Acknowledgements.keyOf(this.settings, entry));
			}
			return null;
		}
		catch (Throwable ex) {
			observation.error(ex);
			exceptionType = ex.getClass();
			boolean acknowledged = manual != null && manual.isAcknowledged();
			Decision decision = this.failures.decide(entry, deliveryCount, ex);
			outcome = switch (decision.action()) {
				case RETRY -> StreamReceiverContext.RETRY;
				case DEAD_LETTER -> StreamReceiverContext.DEAD_LETTER;
				case LEAVE_PENDING -> StreamReceiverContext.LEFT_PENDING;
			};
			if (observation.getContext() instanceof StreamReceiverContext receiverContext) {
				receiverContext.setOutcome(outcome);
			}
			return this.failures.carryOut(entry, deliveryCount, consumer, ex, decision, parking, acks, acknowledged);
		}
		finally {
			observation.stop();
			if (this.timed) {
				this.instrumentation.metrics()
					.invoked(this.settings.container(), outcome, exceptionType, System.nanoTime() - start);
			}
		}
	}

	/**
	 * Code around the listener that the application provides (an observation handler or
	 * convention, a meter filter, a dead-letter publisher's
	 * {@code acknowledgesOriginal()}) failed: the entry is left as it is (pending, unless
	 * it was acknowledged), and the consumer goes on with the next one, as after a failed
	 * handler.
	 */
	private void failedOutsideTheListener(String id, Throwable ex) {
		logger.error("Listener '" + this.settings.listenerId() + "': processing entry " + id + " of stream '"
				+ this.settings.stream() + "' failed outside the listener method; the entry stays pending unless it "
				+ "was acknowledged, and is delivered again after redis.streams.reclaim.min-idle-time", ex);
	}

	/**
	 * Listener code (a handler, an error handler, a dead-letter publisher) may leave its
	 * thread's interrupt flag set (it caught an {@code InterruptedException} and re-set
	 * the flag, as good code does). The consumer thread is never interrupted by the
	 * container (stopping is a flag and {@code CLIENT UNBLOCK}), so the flag is the
	 * listener code's and is cleared here, before it breaks the next Redis call or the
	 * next handler.
	 */
	private void clearInterruptFlag(String id) {
		if (Thread.interrupted() && logger.isDebugEnabled()) {
			logger.debug("Listener '" + this.settings.listenerId() + "': listener code run for entry " + id
					+ " left the thread's interrupt flag set; cleared");
		}
	}

	private static Duration latency(String id) {
		int dash = id.indexOf('-');
		try {
			long published = Long.parseLong((dash >= 0) ? id.substring(0, dash) : id);
			return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - published));
		}
		catch (NumberFormatException ex) {
			return Duration.ZERO;
		}
	}

	/**
	 * Acknowledge an entry of an idempotent listener whose key was processed already,
	 * without invoking the handler.
	 */
	void skipDuplicate(StreamEntry entry, AckBuffer acks) {
		acks.add(entry.getId());
		this.instrumentation.metrics().duplicateSkipped(this.settings.container());
		if (logger.isDebugEnabled()) {
			logger.debug("Listener '" + this.settings.listenerId() + "': entry " + entry.getId() + " has the "
					+ this.settings.values().getIdempotencyHeader() + " of a message processed already; "
					+ "acknowledged without invoking the listener");
		}
	}

	/**
	 * Dead-letter an entry whose payload was deleted while it was pending.
	 */
	void payloadLost(String id, long deliveryCount, String consumer, RetryParking parking, AckBuffer acks) {
		try {
			this.deadLetters.deadLetter(new StreamEntry(id, this.settings.stream(), Collections.emptyMap()),
					deliveryCount, consumer, DeadLetterReason.PAYLOAD_LOST, null, parking, acks);
		}
		catch (Throwable ex) {
			failedOutsideTheListener(id, ex);
		}
		finally {
			clearInterruptFlag(id);
		}
	}

}
