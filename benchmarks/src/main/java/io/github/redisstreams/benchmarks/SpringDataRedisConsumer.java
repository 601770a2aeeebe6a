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
import java.util.concurrent.atomic.AtomicReference;

import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.support.StreamHeaders;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;
import org.springframework.data.redis.stream.Subscription;

/**
 * What a Spring user writes today: Spring Data Redis's
 * {@link StreamMessageListenerContainer} with a consumer group ({@code receive}, so
 * without {@code NOACK}), and a listener that reads the {@code payload} field with
 * Jackson and acknowledges each message with {@code StreamOperations.acknowledge}.
 */
final class SpringDataRedisConsumer implements AutoCloseable {

	private final LettuceConnectionFactory connectionFactory;

	private final StreamMessageListenerContainer<String, MapRecord<String, String, String>> container;

	private final Probe probe;

	private final Subscription subscription;

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private volatile boolean closing;

	/**
	 * Create the container and subscribe; nothing is read before {@link #start()}.
	 * @param redis the benchmark's Redis
	 * @param jsonMapper the mapper that reads payloads
	 * @param stream the stream
	 * @param batchSize the container's batch size
	 * @param probe where processed messages are reported
	 */
	SpringDataRedisConsumer(BenchmarkRedis redis, JsonMapper jsonMapper, String stream, int batchSize, Probe probe) {
		this.probe = probe;
		redis.createGroup(stream);
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		StringRedisTemplate template = new StringRedisTemplate(this.connectionFactory);
		StreamMessageListenerContainerOptions<String, MapRecord<String, String, String>> options = StreamMessageListenerContainerOptions
			.builder()
			.batchSize(batchSize)
			.pollTimeout(Duration.ofMillis(100))
			.errorHandler(this::onError)
			.build();
		this.container = StreamMessageListenerContainer.create(this.connectionFactory, options);
		this.subscription = this.container.receive(Consumer.from(Workload.GROUP, "sdr-0"),
				StreamOffset.create(stream, ReadOffset.lastConsumed()), (record) -> {
					Order order = jsonMapper.readValue(record.getValue().get(StreamHeaders.PAYLOAD), Order.class);
					template.opsForStream().acknowledge(Workload.GROUP, record);
					probe.processed(order);
				});
	}

	/**
	 * Start the clock and the container.
	 */
	void start() {
		this.probe.start();
		this.container.start();
	}

	private void onError(Throwable ex) {
		if (!this.closing) {
			this.failure.compareAndSet(null, ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.container.stop();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.subscription.isActive() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		this.closing = true;
		this.connectionFactory.destroy();
		Throwable ex = this.failure.get();
		if (ex != null) {
			throw new IllegalStateException("The Spring Data Redis listener failed: " + ex, ex);
		}
	}

}
