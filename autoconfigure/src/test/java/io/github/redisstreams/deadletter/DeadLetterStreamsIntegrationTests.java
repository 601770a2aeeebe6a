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

package io.github.redisstreams.deadletter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Integration tests for {@link DeadLetterStreams} in an application without Actuator:
 * paging newest first while dead letters are added, counting and redriving by reason,
 * redriving the oldest, purging, and the refusal of bad arguments.
 */
class DeadLetterStreamsIntegrationTests {

	private static final String STREAM = "service";

	private static final String DEAD_LETTERS = "{service}:dlq";

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private final StreamTestClient client = new StreamTestClient(redis);

	private final ApplicationContextRunner runner = StreamsContextRunner.create(redis)
		.withClassLoader(new FilteredClassLoader(Endpoint.class));

	@AfterEach
	void tearDown() {
		this.client.sync().flushall();
		this.client.close();
	}

	@Test
	void isAutoConfiguredWithoutActuator() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DeadLetterStreams.class);
			assertThat(context.getBean(DeadLetterStreams.class).deadLetterStream(STREAM)).isEqualTo(DEAD_LETTERS);
		});
	}

	@Test
	void userDefinedServiceWins() {
		DeadLetterStreams own = new DeadLetterStreams(new LettuceConnectionFactory(), (stream) -> stream + "-dead");
		this.runner.withBean(DeadLetterStreams.class, () -> own)
			.run((context) -> assertThat(context.getBean(DeadLetterStreams.class)).isSameAs(own));
	}

	@Test
	void usesTheDestinationResolver() {
		this.runner.withBean(DeadLetterDestinationResolver.class, () -> (stream) -> "dead:" + stream).run((context) -> {
			addDeadLetters("dead:" + STREAM, "retries-exhausted", 2);
			DeadLetterStreams deadLetterStreams = context.getBean(DeadLetterStreams.class);
			assertThat(deadLetterStreams.size(STREAM)).isEqualTo(2);
			assertThat(deadLetterStreams.page(STREAM, 10, null).deadLetterStream()).isEqualTo("dead:" + STREAM);
		});
	}

	@Test
	void pagesAreNewestFirstAndStableWhileDeadLettersAreAdded() {
		this.runner.run((context) -> {
			DeadLetterStreams deadLetterStreams = context.getBean(DeadLetterStreams.class);
			List<String> ids = addDeadLetters(DEAD_LETTERS, "retries-exhausted", 5);
			DeadLetterStreams.Page first = deadLetterStreams.page(STREAM, 2, null);
			assertThat(first.size()).isEqualTo(5);
			assertThat(first.deadLetters()).extracting((entry) -> entry.getId())
				.containsExactly(ids.get(4), ids.get(3));
			assertThat(first.next()).isEqualTo(ids.get(3));
			// new dead letters arrive between pages
			addDeadLetters(DEAD_LETTERS, "not-retryable", 3);
			DeadLetterStreams.Page second = deadLetterStreams.page(STREAM, 2, first.next());
			assertThat(second.deadLetters()).extracting((entry) -> entry.getId())
				.containsExactly(ids.get(2), ids.get(1));
			DeadLetterStreams.Page last = deadLetterStreams.page(STREAM, 2, second.next());
			assertThat(last.deadLetters()).extracting((entry) -> entry.getId()).containsExactly(ids.get(0));
			assertThat(last.next()).isNull();
		});
	}

	@Test
	void countsAndRedrivesByReason() {
		this.runner.run((context) -> {
			DeadLetterStreams deadLetterStreams = context.getBean(DeadLetterStreams.class);
			addDeadLetters(DEAD_LETTERS, "retries-exhausted", 700);
			List<String> notRetryable = addDeadLetters(DEAD_LETTERS, "not-retryable", 3);
			addDeadLetters(DEAD_LETTERS, "payload-lost", 2);
			assertThat(deadLetterStreams.countByReason(STREAM)).containsExactly(Map.entry("retries-exhausted", 700L),
					Map.entry("not-retryable", 3L), Map.entry("payload-lost", 2L));

			DeadLetterStreams.RedriveResult result = deadLetterStreams.redriveByReason(STREAM, "not-retryable", 2);
			assertThat(result.redriven()).extracting(DeadLetterStreams.Redriven::deadLetterId)
				.containsExactly(notRetryable.get(0), notRetryable.get(1));
			assertThat(this.client.sync().xlen(STREAM)).isEqualTo(2);
			assertThat(deadLetterStreams.countByReason(STREAM)).containsEntry("not-retryable", 1L);

			// a dead letter whose payload was lost is skipped, and stays
			DeadLetterStreams.RedriveResult lost = deadLetterStreams.redriveByReason(STREAM, "payload-lost", 10);
			assertThat(lost.redriven()).isEmpty();
			assertThat(lost.skipped()).extracting(DeadLetterStreams.Skipped::reason)
				.containsExactly("payload-lost", "payload-lost");
			assertThat(deadLetterStreams.size(STREAM)).isEqualTo(703);
		});
	}

	@Test
	void redrivesTheOldestAndPurges() {
		this.runner.run((context) -> {
			DeadLetterStreams deadLetterStreams = context.getBean(DeadLetterStreams.class);
			List<String> ids = addDeadLetters(DEAD_LETTERS, "retries-exhausted", 4);
			DeadLetterStreams.RedriveResult result = deadLetterStreams.redriveOldest(STREAM, 2);
			assertThat(result.redriven()).extracting(DeadLetterStreams.Redriven::deadLetterId)
				.containsExactly(ids.get(0), ids.get(1));
			assertThat(deadLetterStreams.redrive(STREAM, List.of(ids.get(0), ids.get(2))).notFound())
				.containsExactly(ids.get(0));
			assertThat(deadLetterStreams.purge(STREAM, List.of(ids.get(3), "1-0"))).isEqualTo(1);
			addDeadLetters(DEAD_LETTERS, "not-retryable", 3);
			assertThat(deadLetterStreams.purgeAll(STREAM)).isEqualTo(3);
			assertThat(this.client.sync().exists(DEAD_LETTERS)).isZero();
			assertThat(deadLetterStreams.size(STREAM)).isZero();
		});
	}

	@Test
	void badArgumentsAreRefusedNamingThem() {
		this.runner.run((context) -> {
			DeadLetterStreams deadLetterStreams = context.getBean(DeadLetterStreams.class);
			assertThatIllegalArgumentException().isThrownBy(() -> deadLetterStreams.page(STREAM, 0, null))
				.withMessageContaining("Invalid count 0");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> deadLetterStreams.page(STREAM, DeadLetterStreams.MAX_BATCH_SIZE + 1, null))
				.withMessageContaining("between 1 and 1000");
			assertThatIllegalArgumentException().isThrownBy(() -> deadLetterStreams.page(STREAM, 5, "latest"))
				.withMessageContaining("Invalid entry id 'latest'");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> deadLetterStreams.redrive(STREAM, List.of("1-0", "nope")))
				.withMessageContaining("Invalid entry id 'nope'");
			assertThatIllegalArgumentException().isThrownBy(() -> deadLetterStreams.redriveByReason(STREAM, "", 1))
				.withMessageContaining("'reason'");
			assertThatIllegalArgumentException().isThrownBy(() -> deadLetterStreams.size(""))
				.withMessageContaining("'stream'");
		});
	}

	private List<String> addDeadLetters(String key, String reason, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Map<String, String> fields = new LinkedHashMap<>();
			if (!"payload-lost".equals(reason)) {
				fields.put("payload", "{\"n\":" + i + "}");
			}
			fields.put(DeadLetterHeaders.ORIGINAL_STREAM, STREAM);
			fields.put(DeadLetterHeaders.REASON, reason);
			ids.add(this.client.sync().xadd(key, fields));
		}
		return ids;
	}

}
