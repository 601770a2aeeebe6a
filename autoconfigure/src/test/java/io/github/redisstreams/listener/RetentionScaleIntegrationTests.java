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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention at scale, and the warning for a stream that someone else trims ahead of its
 * consumers.
 */
@ExtendWith(OutputCaptureExtension.class)
class RetentionScaleIntegrationTests {

	static final Set<String> slow = ConcurrentHashMap.newKeySet();

	static final Set<String> retried = ConcurrentHashMap.newKeySet();

	static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private ApplicationContextRunner runner(String... properties) {
		return StreamsContextRunner.create(redis).withPropertyValues(properties);
	}

	@Test
	void tenThousandEntriesWithAMaxLengthOfAThousandLoseNoPayloadToASlowGroupOrToRetries() {
		slow.clear();
		retried.clear();
		failedOnce.clear();
		runner("redis.streams.retention.max-length=1000", "redis.streams.retention.interval=100ms",
				"redis.streams.retry.delay=2s", "redis.streams.listeners.slow.rate-limit.rate=2500/s")
			.withUserConfiguration(LedgerConfiguration.class)
			.run((context) -> {
				List<Map<String, String>> entries = new ArrayList<>();
				for (int i = 0; i < 10_000; i++) {
					entries.add(Map.of("payload", "{\"n\":" + i + "}", "n", Integer.toString(i)));
				}
				this.client.addAll("ledger", entries);
				await().atMost(Duration.ofSeconds(120)).until(() -> slow.size() == 10_000 && retried.size() == 10_000);
				assertThat(failedOnce).hasSize(1_000);
				// no group ever met a trimmed payload
				assertThat(this.client.sync().exists("{ledger}:dlq")).isZero();
				// and once both are done, the stream shrinks to its bound
				await().atMost(Duration.ofSeconds(30)).until(() -> this.client.sync().xlen("ledger") <= 1_000);
			});
	}

	@Test
	void aStreamTrimmedAheadOfItsGroupIsNamedAtStartup(CapturedOutput output) {
		assumeThat(redis.server().version()).as("XINFO STREAM entries-added needs Redis 7.0+")
			.isGreaterThanOrEqualTo("7");
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("trimmed", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		for (int i = 0; i < 10; i++) {
			this.client.sync().xadd("trimmed", Map.of("payload", "{}"));
		}
		// the group has read two entries; then a publisher trims to the last three
		List<StreamMessage<String, String>> read = this.client.sync()
			.xreadgroup(Consumer.from("it-app", "old"), XReadArgs.Builder.count(2),
					XReadArgs.StreamOffset.lastConsumed("trimmed"));
		this.client.sync().xack("trimmed", "it-app", read.get(0).getId(), read.get(1).getId());
		this.client.sync().xtrim("trimmed", XTrimArgs.Builder.maxlen(3));
		runner().withUserConfiguration(TrimmedConfiguration.class).run((context) -> {
			assertThat(output)
				.contains("Listener 'trimmed': stream 'trimmed' has had entries deleted that group 'it-app' had not "
						+ "read yet (5 entries after " + read.get(1).getId() + ", the last one it read)")
				.contains("redis.streams.listeners.trimmed.retention.max-length");
			// the trimmed entries now count as read: once the listener read the three
			// left, Redis reports no lag (it said 2 without the reset)
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.client.sync().xinfoGroups("trimmed").toString().contains("lag, 0"));
		});
	}

	@Test
	void aStreamTrimmedOnlyOfWhatItsGroupHadReadIsNotWarnedAbout(CapturedOutput output) {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from("trimmed", "0"), "it-app",
					XGroupCreateArgs.Builder.mkstream(true));
		for (int i = 0; i < 10; i++) {
			this.client.sync().xadd("trimmed", Map.of("payload", "{}"));
		}
		this.client.sync()
			.xreadgroup(Consumer.from("it-app", "old"), XReadArgs.Builder.count(5),
					XReadArgs.StreamOffset.lastConsumed("trimmed"));
		// the first entry left is past what the group read, but nothing unread went
		this.client.sync().xtrim("trimmed", XTrimArgs.Builder.maxlen(5));
		runner().withUserConfiguration(TrimmedConfiguration.class).run((context) -> {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.client.sync().xrange("trimmed", Range.create("-", "+")).size() == 5);
			assertThat(output).doesNotContain("has had entries deleted");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class LedgerConfiguration {

		@Bean
		LedgerListeners ledgerListeners() {
			return new LedgerListeners();
		}

	}

	static class LedgerListeners {

		@RedisListener(id = "slow", stream = "ledger", group = "slow")
		void slowly(Map<String, String> fields) {
			slow.add(fields.get("n"));
		}

		@RedisListener(id = "retrying", stream = "ledger", group = "retrying")
		void withRetries(Map<String, String> fields) {
			String n = fields.get("n");
			if (Integer.parseInt(n) % 10 == 0 && failedOnce.add(n)) {
				throw new IllegalStateException("not yet");
			}
			retried.add(n);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TrimmedConfiguration {

		@Bean
		TrimmedListener trimmedListener() {
			return new TrimmedListener();
		}

	}

	static class TrimmedListener {

		@RedisListener(id = "trimmed", stream = "trimmed")
		void on(Map<String, String> fields) {
		}

	}

}
