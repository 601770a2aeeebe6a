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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests: a batch read together with acknowledgements that Redis refuses (here
 * an ACL without {@code XACK}; the refusal keeps the connection) is read again from the
 * consumer's pending entries list once they are allowed, not left for the reclaimer.
 */
@ExtendWith(OutputCaptureExtension.class)
class AcknowledgementRefusalIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void aBatchReadWithRefusedAcknowledgementsIsReadAgainOnceTheyAreAllowed(CapturedOutput output) {
		this.client.setUser("acker", "reset on >s3cret ~* &* +@all");
		try {
			StreamsContextRunner.create(redis)
				.withUserConfiguration(RecordingListener.class)
				.withPropertyValues("spring.data.redis.username=acker", "spring.data.redis.password=s3cret",
						"redis.streams.listener.recovery.max-delay=200ms", "redis.streams.reclaim.min-idle-time=10s")
				.run((context) -> {
					RecordingListener listener = context.getBean(RecordingListener.class);
					StreamPublisher publisher = context.getBean(StreamPublisher.class);
					String first = publisher.publish("refused-acks", Map.of("n", 1));
					await().atMost(TIMEOUT).until(() -> listener.ids.contains(first));
					this.client.setUser("acker", "-xack");
					String second = publisher.publish("refused-acks", Map.of("n", 2));
					await().atMost(TIMEOUT).until(() -> listener.ids.contains(second));
					// waiting when the handler of the second returns: the read that sends
					// the second's refused acknowledgement brings it
					String third = publisher.publish("refused-acks", Map.of("n", 3));
					listener.release.countDown();
					await().atMost(TIMEOUT).untilAsserted(() -> assertThat(output).contains("NOPERM"));
					this.client.setUser("acker", "+xack");
					await().atMost(TIMEOUT).until(() -> listener.ids.contains(third));
					await().atMost(TIMEOUT).until(() -> this.client.pendingCount("refused-acks", "it-app") == 0);
					// read again by the consumer, not left to the reclaimer
					assertThat(output).doesNotContain("reclaimed");
				});
		}
		finally {
			this.client.sync().aclDeluser("acker");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingListener {

		final List<String> ids = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		@RedisListener(id = "refused-acks", stream = "refused-acks", concurrency = "1")
		void on(Map<String, Object> message, StreamMessageContext context) throws InterruptedException {
			this.ids.add(context.id());
			if (Integer.valueOf(2).equals(message.get("n"))) {
				this.release.await(30, TimeUnit.SECONDS);
			}
		}

	}

}
