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

import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for a Redis that is full ({@code maxmemory} reached with
 * {@code noeviction}): it refuses {@code XGROUP CREATE} of an existing group with
 * {@code OOM} instead of {@code BUSYGROUP}, but still allows {@code XREADGROUP} and
 * {@code XACK}, so a listener that starts reads and acknowledges (issue 12, input 3).
 */
class RedisFullIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final StreamTestClient client = new StreamTestClient(redis);

	@AfterEach
	void tearDown() {
		this.client.sync().configSet("maxmemory", "0");
		this.client.sync().flushall();
		this.client.close();
	}

	@Test
	void aListenerThatStartsWhileRedisIsFullReadsAndAcknowledgesItsExistingGroup() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("full", "0"), "it-app", XGroupCreateArgs.Builder.mkstream(true));
		List<String> ids = List.of(this.client.sync().xadd("full", Map.of("payload", "one")),
				this.client.sync().xadd("full", Map.of("payload", "two")),
				this.client.sync().xadd("full", Map.of("payload", "three")));
		assertThat(this.client.sync().configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "noeviction");
		this.client.sync().configSet("maxmemory", "1");
		StreamsContextRunner.create(redis).withUserConfiguration(FullListener.class).run((context) -> {
			FullListener listener = context.getBean(FullListener.class);
			await().atMost(TIMEOUT).until(() -> listener.received.size() == 3);
			assertThat(listener.received).containsExactly("one", "two", "three");
			await().atMost(TIMEOUT).until(() -> this.client.pendingCount("full", "it-app") == 0);
			assertThat(this.client.sync().xlen("full")).isEqualTo(ids.size());
		});
	}

	static class FullListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@RedisListener(id = "full", stream = "full")
		void onEntry(String payload) {
			this.received.add(payload);
		}

	}

}
