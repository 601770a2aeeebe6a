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
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A consumer's connection and its read ahead when replies come late or not at all (issue
 * 10, a review's findings): a connection whose {@code CLIENT ID} got no reply is closed,
 * not kept without the id a stop needs for {@code CLIENT UNBLOCK}; a read ahead whose
 * reply comes after it was discarded holds no entries.
 */
@Tag("server-independent")
class ConsumerConnectionIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private final LettuceConnectionFactory factory = new LettuceConnectionFactory(
			new RedisStandaloneConfiguration(redis.host(), redis.port()));

	private ContainerSettings settings;

	private StreamConnections connections;

	@BeforeEach
	void start() {
		this.factory.afterPropertiesSet();
		this.factory.start();
		ListenerSettings values = ListenerSettings.builder().group("g").instanceId("test").build();
		StreamListenerContainer container = StreamListenerContainer.builder("listener", "stream", values)
			.connectionFactory(this.factory)
			.handler((entry, context, acknowledgment) -> {
			})
			.deadLetterPublisher((deadLetter) -> {
			})
			.build();
		this.settings = new ContainerSettings(container, "listener", "stream", "stream", values);
		this.connections = new StreamConnections(this.factory);
	}

	@AfterEach
	void destroy() {
		this.factory.destroy();
	}

	@Test
	void aConnectionWhoseClientIdTimedOutIsClosedAndTheNextGetOpensOneWithItsId() throws Exception {
		long before = connectedClients();
		// a wait of zero: the reply to CLIENT ID cannot be there when it is asked for
		ReaderConnection timingOut = new ReaderConnection(this.connections, new ConsumerGroups(this.settings),
				ReadClaim.off(this.settings), Duration.ZERO);
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> timingOut.get(() -> {
		}));
		assertThat(timingOut.current()).isNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> connectedClients() == before);
		ReaderConnection answered = new ReaderConnection(this.connections, new ConsumerGroups(this.settings),
				ReadClaim.off(this.settings), Duration.ofSeconds(5));
		StreamConnection connection = answered.get(() -> {
		});
		assertThat(connection.isOpen()).isTrue();
		assertThat(this.client.sync().clientList()).contains("id=" + connection.clientId(Duration.ofSeconds(5)) + " ");
		answered.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> connectedClients() == before);
	}

	@Test
	void aReadAheadWhoseReplyComesAfterItWasDiscardedHoldsNoEntries() throws Exception {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("stream", "0"), "g", XGroupCreateArgs.Builder.mkstream());
		for (int i = 0; i < 6; i++) {
			this.client.sync().xadd("stream", Map.of("n", String.valueOf(i)));
		}
		NewEntries entries = new NewEntries(this.settings, "c", ReadClaim.off(this.settings), ListenerMetrics.NONE,
				Duration.ofSeconds(10), true);
		try (StreamConnection connection = this.connections.open()) {
			// a full batch sends the read of the next one ahead: its reply holds entries
			// 3-4
			assertThat(entries.read(connection, 2, 0, true).entries()).hasSize(2);
			await().atMost(Duration.ofSeconds(10)).until(() -> entries.held() != null);
			// Redis answers nothing for a second: the next read ahead (entries 5-6) is
			// discarded before its reply comes
			this.client.sync().clientPause(1000);
			assertThat(entries.read(connection, 2, 0, true).entries()).hasSize(2);
			assertThat(entries.discard()).isTrue();
			// replies come in order: once this read's came, so did the discarded one's
			assertThat(entries.read(connection, 2, 0, true).entries()).isEmpty();
			assertThat(this.client.pendingCount("stream", "g")).isEqualTo(6);
			assertThat(entries.held()).isNull();
		}
	}

	private long connectedClients() {
		return this.client.sync()
			.info("clients")
			.lines()
			.filter((line) -> line.startsWith("connected_clients:"))
			.mapToLong((line) -> Long.parseLong(line.substring("connected_clients:".length()).trim()))
			.findFirst()
			.orElseThrow();
	}

}
