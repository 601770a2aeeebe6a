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

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Publishes at a fixed rate, paced with {@link LockSupport#parkNanos(long)}: entry
 * {@code i} is due at {@code start + i / rate}. Each payload carries
 * {@code System.nanoTime()} taken just before its {@code XADD} is written, which the
 * consumers (in the same JVM) subtract from the time their handler starts. Replies are
 * not awaited one by one, so a slow reply never delays the schedule.
 */
final class RatePublisher {

	private final BenchmarkRedis redis;

	private final Workload workload;

	RatePublisher(BenchmarkRedis redis, Workload workload) {
		this.redis = redis;
		this.workload = workload;
	}

	/**
	 * Return how many messages a run publishes.
	 * @param rate messages per second
	 * @param duration how long
	 * @return {@code rate * duration}, at least 1
	 */
	static long count(int rate, Duration duration) {
		return Math.max(1, rate * duration.toNanos() / 1_000_000_000L);
	}

	/**
	 * Publish {@code rate * duration} messages.
	 * @param stream the stream
	 * @param rate messages per second
	 * @param duration how long
	 * @return the number published and how far behind schedule the publisher fell at most
	 */
	Published publish(String stream, int rate, Duration duration) throws InterruptedException {
		return publish(stream, rate, duration, 0);
	}

	/**
	 * Publish {@code rate * duration} messages, the first {@code warmUp} of them a
	 * warm-up, whose delays behind schedule are not counted.
	 * @param stream the stream
	 * @param rate messages per second
	 * @param duration how long
	 * @param warmUp how many of the first messages are a warm-up
	 * @return the number published, how far behind schedule the publisher fell at most
	 * after the warm-up, and the machine's CPU counters when the warm-up ended
	 */
	Published publish(String stream, int rate, Duration duration, long warmUp) throws InterruptedException {
		long count = count(rate, duration);
		double interval = 1_000_000_000.0 / rate;
		// Replies are counted, not kept: thousands of live futures would make every
		// young collection copy them, and lengthen its pause.
		AtomicLong replied = new AtomicLong();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long maxLag = 0;
		CpuSteal measuredFrom = CpuSteal.now();
		try (StatefulRedisConnection<String, byte[]> connection = this.redis.connect()) {
			RedisAsyncCommands<String, byte[]> async = connection.async();
			long start = System.nanoTime();
			for (long i = 0; i < count; i++) {
				long due = start + (long) (i * interval);
				long now = System.nanoTime();
				while (now < due) {
					LockSupport.parkNanos(due - now);
					now = System.nanoTime();
				}
				if (i == warmUp && i > 0) {
					measuredFrom = CpuSteal.now();
				}
				if (i >= warmUp) {
					maxLag = Math.max(maxLag, now - due);
				}
				async.xadd(stream, this.workload.entry(i, System.nanoTime())).whenComplete((id, ex) -> {
					if (ex != null) {
						failure.compareAndSet(null, ex);
					}
					replied.incrementAndGet();
				});
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (replied.get() < count && System.nanoTime() < deadline) {
				Thread.sleep(1);
			}
		}
		if (failure.get() != null || replied.get() < count) {
			throw new IllegalStateException("Publishing failed: " + replied.get() + " of " + count + " replies",
					failure.get());
		}
		return new Published(count, Duration.ofNanos(maxLag), measuredFrom);
	}

	/**
	 * What a run published.
	 *
	 * @param count the number of messages
	 * @param maxLag how far behind schedule the publisher fell at most
	 * @param measuredFrom the machine's CPU counters when the warm-up ended, to tell the
	 * CPU steal during the measured messages ({@link CpuSteal})
	 */
	record Published(long count, Duration maxLag, CpuSteal measuredFrom) {

	}

}
