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
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
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
 * A consumer's connection whose {@code CLIENT ID} got no reply is closed, not kept
 * without the id a stop needs for {@code CLIENT UNBLOCK} (issue 10, a review's finding).
 */
@Tag("server-independent")
class ReaderConnectionIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private final LettuceConnectionFactory factory = new LettuceConnectionFactory(
			new RedisStandaloneConfiguration(redis.host(), redis.port()));

	@AfterEach
	void destroy() {
		this.factory.destroy();
	}

	@Test
	void aConnectionWhoseClientIdTimedOutIsClosedAndTheNextGetOpensOneWithItsId() throws Exception {
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
		ContainerSettings settings = new ContainerSettings(container, "listener", "stream", "stream", values);
		StreamConnections connections = new StreamConnections(this.factory);
		long before = connectedClients();
		// a wait of zero: the reply to CLIENT ID cannot be there when it is asked for
		ReaderConnection timingOut = new ReaderConnection(connections, new ConsumerGroups(settings),
				ReadClaim.off(settings), Duration.ZERO);
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> timingOut.get(() -> {
		}));
		assertThat(timingOut.current()).isNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> connectedClients() == before);
		ReaderConnection answered = new ReaderConnection(connections, new ConsumerGroups(settings),
				ReadClaim.off(settings), Duration.ofSeconds(5));
		StreamConnection connection = answered.get(() -> {
		});
		assertThat(connection.isOpen()).isTrue();
		assertThat(this.client.sync().clientList()).contains("id=" + connection.clientId(Duration.ofSeconds(5)) + " ");
		answered.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> connectedClients() == before);
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
