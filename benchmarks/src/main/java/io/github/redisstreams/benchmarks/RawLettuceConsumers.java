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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import io.github.redisstreams.support.StreamHeaders;

/**
 * The hand-tuned baseline: consumers on dedicated Lettuce connections that read batches
 * with {@code XREADGROUP COUNT n BLOCK 100}, deserialize each payload with a prepared
 * Jackson reader, and acknowledge each batch with one multi-id {@code XACK} sent
 * asynchronously before the next read, so it is pipelined with it.
 */
final class RawLettuceConsumers implements AutoCloseable {

	private static final long BLOCK_MILLIS = 100;

	private final Workload workload;

	private final String stream;

	private final int batchSize;

	private final Probe probe;

	private final List<StatefulRedisConnection<String, byte[]>> connections = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private final CountDownLatch go = new CountDownLatch(1);

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private volatile boolean running = true;

	/**
	 * Connect the consumers; they wait for {@link #start()}.
	 * @param redis the benchmark's Redis
	 * @param workload the workload
	 * @param stream the stream
	 * @param concurrency the number of consumers
	 * @param batchSize entries per read
	 * @param probe where processed messages are reported
	 */
	RawLettuceConsumers(BenchmarkRedis redis, Workload workload, String stream, int concurrency, int batchSize,
			Probe probe) {
		this.workload = workload;
		this.stream = stream;
		this.batchSize = batchSize;
		this.probe = probe;
		redis.createGroup(stream);
		for (int i = 0; i < concurrency; i++) {
			StatefulRedisConnection<String, byte[]> connection = redis.connect();
			this.connections.add(connection);
			Consumer<String> consumer = Consumer.from(Workload.GROUP, "raw-" + i);
			Thread thread = new Thread(() -> consume(connection.async(), consumer), "raw-lettuce-" + i);
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
	}

	/**
	 * Start the clock and let the consumers read.
	 */
	void start() {
		this.probe.start();
		this.go.countDown();
	}

	@SuppressWarnings("unchecked")
	private void consume(RedisAsyncCommands<String, byte[]> commands, Consumer<String> consumer) {
		XReadArgs args = XReadArgs.Builder.block(BLOCK_MILLIS).count(this.batchSize);
		StreamOffset<String> offset = StreamOffset.lastConsumed(this.stream);
		List<String> unacknowledged = new ArrayList<>(this.batchSize);
		try {
			this.go.await();
			while (this.running && !this.probe.isDone()) {
				RedisFuture<Long> ack = unacknowledged.isEmpty() ? null
						: commands.xack(this.stream, Workload.GROUP, unacknowledged.toArray(String[]::new));
				unacknowledged.clear();
				List<StreamMessage<String, byte[]>> messages = BenchmarkRedis
					.await(commands.xreadgroup(consumer, args, offset));
				if (ack != null) {
					BenchmarkRedis.await(ack);
				}
				for (StreamMessage<String, byte[]> message : messages) {
					this.probe.processed(this.workload.read(Objects
						.requireNonNull(message.getBody().get(StreamHeaders.PAYLOAD), StreamHeaders.PAYLOAD)));
					unacknowledged.add(message.getId());
				}
			}
			if (!unacknowledged.isEmpty()) {
				BenchmarkRedis.await(commands.xack(this.stream, Workload.GROUP, unacknowledged.toArray(String[]::new)));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Throwable ex) {
			this.failure.compareAndSet(null, ex);
		}
	}

	/**
	 * Stop the consumers after their current read and wait for them.
	 */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.go.countDown();
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		this.connections.forEach(StatefulRedisConnection::close);
		Throwable ex = this.failure.get();
		if (ex != null) {
			throw new IllegalStateException("A raw Lettuce consumer failed: " + ex, ex);
		}
	}

}
