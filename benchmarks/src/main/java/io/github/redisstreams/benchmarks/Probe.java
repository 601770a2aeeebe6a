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

package io.github.redisstreams.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.ThreadMXBean;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What the listeners of a run report to: it counts processed messages, notes when the
 * expected number was reached, and optionally records publish-to-handler latencies.
 * Thread-safe.
 */
public final class Probe {

	/**
	 * The highest latency recorded exactly, one minute: the histogram is sized for it up
	 * front, because one that resizes itself does so while the handler records (copying
	 * its counts), which delayed the next messages by milliseconds.
	 */
	private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final long expected;

	private final AtomicLong processed = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private final CountDownLatch done = new CountDownLatch(1);

	private final @Nullable Histogram latencies;

	/**
	 * How many messages, from the first published, are a warm-up: neither counted nor
	 * recorded.
	 */
	private final long warmUp;

	private volatile long startedAt;

	private volatile long finishedAt;

	private volatile long allocatedAtStart;

	private volatile long allocatedAtFinish;

	private Probe(long expected, boolean latencies, long warmUp) {
		this.expected = expected;
		this.latencies = latencies ? new ConcurrentHistogram(MAX_LATENCY_NANOS, 3) : null;
		this.warmUp = warmUp;
	}

	/**
	 * Create a probe that counts.
	 * @param expected the number of messages the run must process
	 * @return the probe
	 */
	public static Probe counting(long expected) {
		return new Probe(expected, false, 0);
	}

	/**
	 * Create a probe that records latencies after a warm-up: it ignores the messages
	 * whose sequence number ({@link Order#id()}, {@code o-000000042}) is below
	 * {@code warmUp}.
	 * @param warmUp how many messages the warm-up publishes first
	 * @param expected the number of messages the measured part must process
	 * @return the probe
	 */
	static Probe measuringLatency(long warmUp, long expected) {
		return new Probe(expected, true, warmUp);
	}

	/**
	 * Start the clock.
	 */
	void start() {
		this.allocatedAtStart = allocatedBytes();
		this.startedAt = System.nanoTime();
	}

	/**
	 * Report a processed message, at the start of its handler. Records its latency (now
	 * minus its {@code sentAtNanos}) when this probe measures latency.
	 * @param order the message
	 */
	public void processed(Order order) {
		if (this.warmUp > 0 && Long.parseLong(order.id(), 2, order.id().length(), 10) < this.warmUp) {
			return;
		}
		Histogram histogram = this.latencies;
		if (histogram != null) {
			long latency = Math.max(0, System.nanoTime() - order.sentAtNanos());
			histogram.recordValue(Math.min(latency, MAX_LATENCY_NANOS));
		}
		if (this.processed.incrementAndGet() == this.expected) {
			this.finishedAt = System.nanoTime();
			this.allocatedAtFinish = allocatedBytes();
			this.done.countDown();
		}
	}

	/**
	 * Report a failed handler invocation.
	 */
	public void failed() {
		this.failures.incrementAndGet();
	}

	boolean await(Duration timeout) throws InterruptedException {
		return this.done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	boolean isDone() {
		return this.done.getCount() == 0;
	}

	long expected() {
		return this.expected;
	}

	long processed() {
		return this.processed.get();
	}

	long failures() {
		return this.failures.get();
	}

	/**
	 * Return the time from {@link #start()} to the last expected message, or to now if
	 * the run did not finish.
	 * @return the elapsed time
	 */
	Duration elapsed() {
		long end = isDone() ? this.finishedAt : System.nanoTime();
		return Duration.ofNanos(end - this.startedAt);
	}

	/**
	 * Return the bytes the JVM's threads allocated from {@link #start()} to the last
	 * expected message, or -1 if unknown.
	 * @return the allocated bytes
	 */
	long allocated() {
		return (isDone() && this.allocatedAtStart >= 0) ? this.allocatedAtFinish - this.allocatedAtStart : -1;
	}

	private static long allocatedBytes() {
		if (ManagementFactory.getThreadMXBean() instanceof ThreadMXBean threads
				&& threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
			return threads.getTotalThreadAllocatedBytes();
		}
		return -1;
	}

	@Nullable Histogram latencies() {
		return this.latencies;
	}

}
