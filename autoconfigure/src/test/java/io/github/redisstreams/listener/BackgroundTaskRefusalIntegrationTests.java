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

import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The container's background tasks ({@link ClaimRefresher}, {@link PendingReclaimer},
 * {@link RetentionTask}) when Redis refuses their commands for a reason it repeats on
 * every run (here {@code WRONGTYPE}: the stream's key holds a string): the refusal is
 * named once, not on every run, and its end once, at INFO.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackgroundTaskRefusalIntegrationTests {

	private static final String STREAM = "orders";

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private final ListenerSettings values = ListenerSettings.builder()
		.group("g")
		.instanceId("test")
		.pollTimeout(Duration.ofMillis(200))
		.minIdleTime(Duration.ofSeconds(1))
		.retentionMaxLength(10)
		.build();

	private LettuceConnectionFactory connectionFactory;

	private ControlConnection control;

	@BeforeEach
	void connect() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(redis.host(), redis.port());
		factory.afterPropertiesSet();
		this.connectionFactory = factory;
		this.control = new ControlConnection(new StreamConnections(factory));
	}

	@AfterEach
	void disconnect() {
		this.control.close();
		this.connectionFactory.destroy();
	}

	@Test
	void aRepeatedRefusalOfTheInFlightRefreshIsNamedOnceAndItsEndOnce(CapturedOutput output) {
		ContainerSettings settings = settings();
		// held since long before half of min-idle-time: refreshed on every run
		ClaimRefresher refresher = new ClaimRefresher(settings, this.control,
				() -> List.of(new HeldEntries("test-0", List.of("1-0"), System.nanoTime() - TIMEOUT.toNanos())),
				TIMEOUT, ReadClaim.off(settings));
		refusedThreeTimesThenWorking(output, refresher, " WARN ")
			.contains("could not refresh the claim of 1 in-flight entr(ies) of consumer 'test-0'", "XCLAIM ... JUSTID");
		assertThat(lines(output, " INFO ")).singleElement()
			.asString()
			.contains("refreshing the claims of in-flight entries works again");
	}

	@Test
	void aRepeatedRefusalOfTheParkedRefreshIsNamedOnceAndItsEndOnce(CapturedOutput output) throws Exception {
		assumeThat(redis.server().hasArgument("XREADGROUP", "CLAIM")).as("the server documents XREADGROUP ... CLAIM")
			.isTrue();
		ContainerSettings settings = settings();
		createGroup();
		ReadClaim readClaim = ReadClaim.forSettings(settings);
		readClaim.prepare(this.control.get(), TIMEOUT);
		assertThat(readClaim.isActive()).isTrue();
		ClaimRefresher refresher = new ClaimRefresher(settings, this.control, List::of, TIMEOUT, readClaim);
		this.client.sync().del(STREAM);
		refusedThreeTimesThenWorking(output, refresher, " WARN ")
			.contains("could not keep the entries waiting for a retry from looking idle", "XCLAIM ... JUSTID");
		assertThat(lines(output, " INFO ")).singleElement()
			.asString()
			.contains("keeping the entries waiting for a retry from looking idle works again");
		assertThat(readClaim.isActive()).isTrue();
	}

	@Test
	void theReclaimerNamesARepeatedRefusalOnceAndWhenItWorksAgain(CapturedOutput output) {
		ContainerSettings settings = settings();
		ClaimRounds.Handoff consumers = new ClaimRounds.Handoff() {

			@Override
			public int room() {
				return 100;
			}

			@Override
			public boolean handOver(String owner, List<StreamEntry> entries, Map<String, Long> deliveryCounts,
					List<String> lost) {
				return true;
			}

		};
		PendingReclaimer reclaimer = new PendingReclaimer(settings, this.control, consumers, List.of(), TIMEOUT,
				ListenerMetrics.NONE, ReadClaim.off(settings));
		refusedThreeTimesThenWorking(output, reclaimer::runNow, " ERROR ")
			.contains("reclaiming idle pending entries failed");
		assertThat(lines(output, " INFO ")).singleElement()
			.asString()
			.contains("reclaiming idle pending entries works again");
	}

	@Test
	void theRetentionTaskNamesARepeatedFailureOnceAndWhenItWorksAgain(CapturedOutput output) {
		RetentionTask retention = new RetentionTask(settings(), this.control, TIMEOUT, ListenerMetrics.NONE);
		refusedThreeTimesThenWorking(output, retention, " WARN ").contains("trimming stream 'orders' failed");
		assertThat(lines(output, " INFO ")).singleElement().asString().contains("trimming stream 'orders' works again");
	}

	/**
	 * Run the task three times while the stream's key holds a string (Redis refuses with
	 * WRONGTYPE every time), then twice after the key is a stream with its group again;
	 * assert that the refusal was logged once at the given level, and return that line.
	 */
	private AbstractStringAssert<?> refusedThreeTimesThenWorking(CapturedOutput output, Runnable task, String level) {
		this.client.sync().set(STREAM, "not a stream");
		for (int i = 0; i < 3; i++) {
			task.run();
		}
		List<String> refused = lines(output, level);
		assertThat(refused).hasSize(1);
		String refusal = refused.get(0);
		this.client.sync().del(STREAM);
		createGroup();
		task.run();
		task.run();
		assertThat(lines(output, level)).containsExactly(refusal);
		return assertThat(refusal).contains("WRONGTYPE");
	}

	private ContainerSettings settings() {
		StreamListenerContainer container = StreamListenerContainer.builder("orders", STREAM, this.values)
			.connectionFactory(this.connectionFactory)
			.handler((entry, context, acknowledgment) -> {
			})
			.deadLetterPublisher((deadLetter) -> {
			})
			.build();
		return new ContainerSettings(container, "orders", STREAM, STREAM, this.values);
	}

	private void createGroup() {
		this.client.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from(STREAM, "$"), "g", XGroupCreateArgs.Builder.mkstream());
	}

	private static List<String> lines(CapturedOutput output, String level) {
		return output.getAll()
			.lines()
			.filter((line) -> line.contains(level) && line.contains("Listener 'orders'"))
			.toList();
	}

}
