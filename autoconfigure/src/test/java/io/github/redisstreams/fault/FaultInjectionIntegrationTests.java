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

package io.github.redisstreams.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KillArgs;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.deadletter.DeadLetterHeaders;
import io.github.redisstreams.support.StreamKeys;
import io.github.redisstreams.test.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault injection: a producer publishes at a steady rate for more than a minute while two
 * consumer JVMs ({@link FaultConsumerApplication}) process the stream, and one fault
 * after another hits them: a consumer JVM is killed with SIGKILL and restarted under the
 * same instance id, Redis is killed and restarted (AOF, {@code appendfsync always}), the
 * consumers' connections are killed with {@code CLIENT KILL}, and a consumer JVM is
 * paused with SIGSTOP for longer than {@code min-idle-time}, then resumed.
 * <p>
 * Afterwards every publish that Redis acknowledged is processed or dead-lettered, nothing
 * is pending or scheduled for a retry, no entry is dead-lettered twice, and exactly the
 * poison messages are dead-lettered, except messages whose processing failed twice
 * because Redis was unreachable (reported). Messages processed more than once (in flight
 * at a fault) are counted and reported, not failed. The result line goes to
 * {@code System.out} and is appended to {@code target/fault-suite-result.txt}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@Tag("fault")
class FaultInjectionIntegrationTests {

	private static final String STREAM = FaultConsumerApplication.STREAM;

	private static final String GROUP = FaultConsumerApplication.GROUP;

	private static final String DEAD_LETTER_STREAM = StreamKeys.deadLetterStream(STREAM);

	private static final String RETRY_SCHEDULE = StreamKeys.retrySchedule(STREAM, GROUP);

	/** Prefix of the names of the test's own connections, which CLIENT KILL spares. */
	private static final String OWN_CONNECTION_PREFIX = "fault-test-";

	/** Messages per second. */
	private static final int RATE = 400;

	private static final double POISON_SHARE = 0.02;

	private static final long SEED = 20261122L;

	private static final Duration PRODUCE_AT_LEAST = Duration.ofSeconds(75);

	/** Simulated work per message in the consumers, so that faults hit work in flight. */
	private static final Duration PROCESSING_TIME = Duration.ofMillis(2);

	private static final Duration MIN_IDLE_TIME = Duration.ofSeconds(3);

	private static final Duration REDIS_DOWN_FOR = Duration.ofSeconds(2);

	private static final Duration STOPPED_FOR = MIN_IDLE_TIME.multipliedBy(2);

	private static final Duration BETWEEN_FAULTS = Duration.ofSeconds(3);

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

	/** Generous bound for anything that should take seconds on a loaded machine. */
	private static final Duration PATIENCE = Duration.ofSeconds(90);

	/** Processed messages that count as "processing progresses". */
	private static final int PROGRESS = 300;

	private static final Path RESULT_FILE = Path.of("target", "fault-suite-result.txt");

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension().withAppendOnly();

	private final List<ConsumerJvm> consumers = List.of(new ConsumerJvm(1), new ConsumerJvm(2));

	private final List<Runnable> closeables = new ArrayList<>();

	private RedisCommands<String, String> checker;

	private Producer producer;

	@AfterEach
	void stopEverything() {
		if (this.producer != null) {
			this.producer.stop();
		}
		for (ConsumerJvm consumer : this.consumers) {
			try {
				consumer.kill();
			}
			catch (RuntimeException ex) {
				// best effort
			}
		}
		for (Runnable closeable : this.closeables) {
			try {
				closeable.run();
			}
			catch (RuntimeException ex) {
				// best effort
			}
		}
	}

	@Test
	void everyAcknowledgedMessageIsProcessedOrDeadLetteredThroughCrashesRedisRestartsKilledConnectionsAndPauses()
			throws Exception {
		long startedAt = System.nanoTime();
		this.checker = connect("checker", Duration.ofSeconds(10)).sync();
		this.checker.flushall();
		ConsumerJvm first = this.consumers.get(0);
		ConsumerJvm second = this.consumers.get(1);
		for (ConsumerJvm consumer : this.consumers) {
			consumer.start(false);
		}
		for (ConsumerJvm consumer : this.consumers) {
			awaitReady(consumer);
		}

		this.producer = new Producer(connect("producer", Producer.TIMEOUT).async());
		Thread producerThread = new Thread(this.producer, "fault-producer");
		producerThread.setDaemon(true);
		producerThread.start();
		awaitProgress("processing starts", PROGRESS);
		letRun(BETWEEN_FAULTS);

		// 1. a consumer JVM is killed with SIGKILL while it holds entries; its pending
		// entries are reclaimed by the other JVM or drained by itself after its restart
		log("SIGKILL " + first);
		assertThat(first.kill()).as(first + " exited after SIGKILL").isTrue();
		awaitProgress("processing goes on without " + first.instanceId, PROGRESS);
		first.start(true);
		awaitReady(first);
		awaitProgress("processing goes on after the restart of " + first.instanceId, PROGRESS);
		letRun(BETWEEN_FAULTS);

		// 2. Redis is killed (AOF, appendfsync always) and started again on the same port
		log("SIGKILL redis-server");
		redis.kill();
		letRunWithoutRedis(REDIS_DOWN_FOR);
		redis.start();
		log("redis-server started again");
		awaitProgress("processing resumes after the restart of Redis", PROGRESS);
		letRun(BETWEEN_FAULTS);

		// 3. every connection of the consumers is killed
		int killed = killConsumerConnections();
		log("CLIENT KILL of " + killed + " consumer connection(s)");
		assertThat(killed).as("consumer connections killed").isPositive();
		awaitProgress("processing resumes after CLIENT KILL", PROGRESS);
		letRun(BETWEEN_FAULTS);

		// 4. a consumer JVM is paused for longer than min-idle-time: the other JVM
		// reclaims what it held; resumed, it may finish its in-flight work as well
		log("SIGSTOP " + second);
		second.signal("STOP");
		long stoppedAt = System.nanoTime();
		await("the entries held by the paused " + second.instanceId + " are reclaimed by " + first.instanceId)
			.atMost(PATIENCE)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> {
				assertConsumersAlive();
				return System.nanoTime() - stoppedAt >= STOPPED_FOR.toNanos()
						&& pendingOwnedBy(second.instanceId + "-") == 0;
			});
		second.signal("CONT");
		log("SIGCONT " + second);
		awaitProgress("processing goes on after SIGCONT", PROGRESS);

		// publish for a while longer, then stop and let everything drain
		await("the producer has published for " + PRODUCE_AT_LEAST.toSeconds() + " s").atMost(PATIENCE)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				assertConsumersAlive();
				return this.producer.runningFor().compareTo(PRODUCE_AT_LEAST) >= 0;
			});
		this.producer.stop();
		assertThat(this.producer.awaitFinished(PATIENCE)).as("producer finished").isTrue();
		assertThat(this.producer.failure).as("producer failure").isNull();
		log("producer stopped after " + this.producer.runningFor().toSeconds() + " s; draining");
		try {
			await("every acknowledged message processed or dead-lettered, nothing pending").atMost(DRAIN_TIMEOUT)
				.pollInterval(Duration.ofSeconds(1))
				.ignoreExceptionsInstanceOf(RedisException.class)
				.until(() -> {
					assertConsumersAlive();
					return outcome().isDrained();
				});
		}
		catch (ConditionTimeoutException ex) {
			log("not drained within " + DRAIN_TIMEOUT.toSeconds() + " s: " + ex.getMessage());
		}

		Outcome outcome = outcome();
		Duration runtime = Duration.ofNanos(System.nanoTime() - startedAt);
		String result = outcome.resultLine(runtime);
		System.out.println(result);
		Files.writeString(RESULT_FILE, Instant.now() + " " + result + System.lineSeparator(), StandardCharsets.UTF_8,
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);

		assertThat(first.isAlive()).as(first + " is alive (see " + first.log + ")").isTrue();
		assertThat(second.isAlive()).as(second + " is alive (see " + second.log + ")").isTrue();
		assertThat(outcome.lost)
			.as("acknowledged messages neither processed nor dead-lettered: %s", lostEvidence(outcome.lost))
			.isEmpty();
		assertThat(outcome.pending).as("entries pending in group %s: %s", GROUP, pendingOwners()).isZero();
		assertThat(outcome.scheduled).as("entries scheduled for a retry in %s", RETRY_SCHEDULE).isZero();
		assertThat(outcome.deadLetteredEntryIds).as("no entry is dead-lettered twice").doesNotHaveDuplicates();
		assertThat(outcome.deadLetteredMoreThanOnce)
			.as("messages dead-lettered more than once (allowed only when published twice)")
			.isSubsetOf(this.producer.republished);
		assertThat(outcome.deadLetteredIds).as("every acknowledged poison message is dead-lettered")
			.containsAll(outcome.poisonAcknowledged);
		assertThat(outcome.processedPoison).as("poison messages that were processed").isEmpty();
		assertThat(outcome.deadLetteredByFaults)
			.as("messages that are not poison may be dead-lettered only when processing them failed because Redis "
					+ "could not be reached (exception class of each)")
			.allSatisfy((id, exceptionClass) -> assertThat(exceptionClass).matches(
					"(org\\.springframework\\.dao|org\\.springframework\\.data\\.redis|io\\.lettuce\\.core)\\..+"));
	}

	private Outcome outcome() {
		Map<String, String> processed = this.checker.hgetall(FaultConsumerApplication.PROCESSED);
		List<StreamMessage<String, String>> deadLetters = this.checker.xrange(DEAD_LETTER_STREAM,
				Range.create("-", "+"));
		long pending = this.checker.xpending(STREAM, GROUP).getCount();
		long scheduled = this.checker.zcard(RETRY_SCHEDULE);
		return new Outcome(this.producer, processed, deadLetters, pending, scheduled, redis.server().version(),
				redis.server().kind().toString());
	}

	private void awaitReady(ConsumerJvm consumer) {
		await(consumer + " is ready").atMost(PATIENCE)
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptionsInstanceOf(RedisException.class)
			.until(() -> {
				assertConsumersAlive();
				return Long.toString(consumer.pid())
					.equals(this.checker.hget(FaultConsumerApplication.READY, consumer.instanceId));
			});
		log(consumer + " is ready");
	}

	private void awaitProgress(String description, long messages) {
		AtomicLong before = new AtomicLong(-1);
		await("count of processed messages is readable").atMost(PATIENCE)
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptionsInstanceOf(RedisException.class)
			.until(() -> {
				before.set(processedCount());
				return true;
			});
		await(description).atMost(PATIENCE)
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptionsInstanceOf(RedisException.class)
			.until(() -> {
				assertConsumersAlive();
				return processedCount() >= before.get() + messages;
			});
	}

	/**
	 * Fail at once when a consumer JVM that the test did not kill has died.
	 */
	private void assertConsumersAlive() {
		for (ConsumerJvm consumer : this.consumers) {
			if (consumer.expectedAlive && !consumer.isAlive()) {
				throw new IllegalStateException(consumer + " died unexpectedly; see " + consumer.log);
			}
		}
	}

	private long processedCount() {
		return this.checker.hlen(FaultConsumerApplication.PROCESSED);
	}

	/**
	 * Let the system run for a while, making sure that both consumer JVMs stay alive.
	 */
	private void letRun(Duration duration) {
		await("both consumer JVMs stay alive").during(duration).atMost(duration.plus(PATIENCE)).until(() -> {
			assertConsumersAlive();
			return true;
		});
	}

	private void letRunWithoutRedis(Duration duration) {
		await("Redis stays down").during(duration)
			.atMost(duration.plus(PATIENCE))
			.until(() -> !redis.server().isRunning());
	}

	private int killConsumerConnections() {
		Pattern idPattern = Pattern.compile("(?:^|\\s)id=(\\d+)");
		Pattern namePattern = Pattern.compile("\\sname=(\\S*)");
		int killed = 0;
		for (String line : this.checker.clientList().split("\n")) {
			Matcher id = idPattern.matcher(line);
			if (!id.find()) {
				continue;
			}
			Matcher name = namePattern.matcher(line);
			if (name.find() && name.group(1).startsWith(OWN_CONNECTION_PREFIX)) {
				continue;
			}
			try {
				killed += this.checker.clientKill(KillArgs.Builder.id(Long.parseLong(id.group(1)))).intValue();
			}
			catch (RuntimeException ex) {
				// gone already
			}
		}
		return killed;
	}

	private long pendingOwnedBy(String consumerPrefix) {
		return pendingOwners().entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith(consumerPrefix))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	private Map<String, Long> pendingOwners() {
		Map<String, Long> owners = new TreeMap<>();
		this.checker.xpending(STREAM, GROUP).getConsumerMessageCount().forEach(owners::put);
		return owners;
	}

	private String lostEvidence(List<String> lost) {
		if (lost.isEmpty()) {
			return "none";
		}
		StringBuilder evidence = new StringBuilder();
		for (String id : lost.subList(0, Math.min(lost.size(), 20))) {
			evidence.append(System.lineSeparator()).append(id).append(':');
			for (String entryId : this.producer.acknowledged.getOrDefault(id, List.of())) {
				boolean inStream = !this.checker.xrange(STREAM, Range.create(entryId, entryId)).isEmpty();
				List<PendingMessage> pending = this.checker.xpending(STREAM, GROUP, Range.create(entryId, entryId),
						Limit.from(1));
				Double due = this.checker.zscore(RETRY_SCHEDULE, entryId);
				evidence.append(" entry ")
					.append(entryId)
					.append(inStream ? " in stream" : " NOT in stream")
					.append(pending.isEmpty() ? ", not pending"
							: ", pending at " + pending.get(0).getConsumer() + " (idle "
									+ pending.get(0).getMsSinceLastDelivery() + " ms, delivered "
									+ pending.get(0).getRedeliveryCount() + " time(s))")
					.append((due != null) ? ", retry due at " + due.longValue() : "");
			}
		}
		if (lost.size() > 20) {
			evidence.append(System.lineSeparator()).append("... and ").append(lost.size() - 20).append(" more");
		}
		return evidence.toString();
	}

	private StatefulRedisConnection<String, String> connect(String name, Duration timeout) {
		ClientResources resources = ClientResources.builder()
			.reconnectDelay(Delay.constant(Duration.ofMillis(100)))
			.build();
		RedisURI uri = RedisURI.create(redis.host(), redis.port());
		uri.setTimeout(timeout);
		uri.setClientName(OWN_CONNECTION_PREFIX + name);
		RedisClient client = RedisClient.create(resources, uri);
		client.setOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled(timeout)).build());
		StatefulRedisConnection<String, String> connection = client.connect();
		this.closeables.add(() -> {
			connection.close();
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			resources.shutdown(0, 2, TimeUnit.SECONDS);
		});
		return connection;
	}

	private static void log(String message) {
		System.out.println("[fault-suite] " + message);
	}

	/**
	 * A consumer application in its own JVM, under an instance id that stays the same
	 * across restarts.
	 */
	private static final class ConsumerJvm {

		final String instanceId;

		final Path log;

		private volatile Process process;

		/** Whether the JVM is meant to be running: started and not killed by the test. */
		volatile boolean expectedAlive;

		ConsumerJvm(int number) {
			this.instanceId = "fault-" + number;
			this.log = Path.of("target", "fault-consumer-" + number + ".log");
		}

		void start(boolean restart) throws IOException {
			String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
					classpath, FaultConsumerApplication.class.getName(), "--spring.main.banner-mode=off",
					"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
					"--spring.data.redis.timeout=5s", "--spring.data.redis.connect-timeout=2s",
					"--" + FaultConsumerApplication.INSTANCE_ID_PROPERTY + "=" + this.instanceId,
					"--redis.streams.listener.concurrency=2", "--redis.streams.listener.batch-size=50",
					"--redis.streams.listener.poll-timeout=200ms", "--redis.streams.listener.recovery.max-delay=2s",
					"--redis.streams.reclaim.min-idle-time=" + MIN_IDLE_TIME.toMillis() + "ms",
					"--redis.streams.reclaim.interval=500ms", "--redis.streams.retry.max-retries=1",
					"--redis.streams.retry.delay=100ms", "--redis.streams.retry.multiplier=1",
					"--redis.streams.dead-letter.max-stack-trace-length=1000",
					"--fault.processing-time=" + PROCESSING_TIME.toMillis() + "ms");
			if (restart) {
				Files.writeString(this.log,
						System.lineSeparator() + "===== restarted by the test =====" + System.lineSeparator(),
						StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(restart ? ProcessBuilder.Redirect.appendTo(this.log.toFile())
						: ProcessBuilder.Redirect.to(this.log.toFile()))
				.start();
			this.expectedAlive = true;
		}

		long pid() {
			return this.process.pid();
		}

		boolean isAlive() {
			Process process = this.process;
			return process != null && process.isAlive();
		}

		/**
		 * Kill the JVM with SIGKILL (which also ends a JVM paused with SIGSTOP).
		 * @return whether it is gone
		 */
		boolean kill() {
			this.expectedAlive = false;
			Process process = this.process;
			if (process == null) {
				return true;
			}
			process.destroyForcibly();
			try {
				return process.waitFor(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return !process.isAlive();
			}
		}

		void signal(String signal) throws IOException, InterruptedException {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).redirectErrorStream(true)
				.start();
			assertThat(kill.waitFor(30, TimeUnit.SECONDS)).as("kill -" + signal + " finished").isTrue();
			assertThat(kill.exitValue()).as("exit code of kill -" + signal + " " + pid()).isZero();
		}

		@Override
		public String toString() {
			Process process = this.process;
			return "consumer JVM " + this.instanceId + ((process != null) ? " (pid " + process.pid() + ")" : "");
		}

	}

	/**
	 * Publishes messages with unique ids at a steady rate on its own connection. A
	 * message counts as acknowledged once {@code XADD} returned an entry id; a failed
	 * publish is tried again a few times, then given up (not acknowledged).
	 */
	private static final class Producer implements Runnable {

		static final Duration TIMEOUT = Duration.ofSeconds(2);

		private static final int MAX_BATCH = 50;

		private static final int MAX_ATTEMPTS = 4;

		private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

		private final RedisAsyncCommands<String, String> commands;

		private final Random random = new Random(SEED);

		/** Acknowledged message ids and the entry ids {@code XADD} returned for them. */
		final Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();

		final Set<String> poison = ConcurrentHashMap.newKeySet();

		final Set<String> notAcknowledged = ConcurrentHashMap.newKeySet();

		/** Messages sent again after a failed attempt, which may have been written. */
		final Set<String> republished = ConcurrentHashMap.newKeySet();

		private final CountDownLatch finished = new CountDownLatch(1);

		private volatile boolean stopped;

		private volatile long startedAt = -1;

		private volatile long stoppedAt = -1;

		volatile Throwable failure;

		volatile long failedAttempts;

		Producer(RedisAsyncCommands<String, String> commands) {
			this.commands = commands;
		}

		@Override
		public void run() {
			this.startedAt = System.nanoTime();
			try {
				long next = 0;
				while (!this.stopped) {
					long due = (System.nanoTime() - this.startedAt) * RATE / TimeUnit.SECONDS.toNanos(1);
					if (due <= next) {
						LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
						continue;
					}
					int count = (int) Math.min(due - next, MAX_BATCH);
					publish(next, count);
					next += count;
				}
			}
			catch (Throwable ex) {
				this.failure = ex;
			}
			finally {
				this.stoppedAt = System.nanoTime();
				this.finished.countDown();
			}
		}

		private void publish(long first, int count) throws InterruptedException {
			List<String> batch = new ArrayList<>(count);
			for (long n = first; n < first + count; n++) {
				String id = String.format("m-%06d", n);
				if (this.random.nextDouble() < POISON_SHARE) {
					this.poison.add(id);
				}
				batch.add(id);
			}
			for (int attempt = 1; attempt <= MAX_ATTEMPTS && !batch.isEmpty(); attempt++) {
				if (attempt > 1) {
					LockSupport.parkNanos(RETRY_PAUSE_NANOS);
					this.republished.addAll(batch);
				}
				List<RedisFuture<String>> futures = new ArrayList<>(batch.size());
				for (String id : batch) {
					Map<String, String> fields = new LinkedHashMap<>();
					fields.put("id", id);
					fields.put("payload", "{\"id\":\"" + id + "\",\"poison\":" + this.poison.contains(id) + "}");
					futures.add(this.commands.xadd(STREAM, fields));
				}
				List<String> failed = new ArrayList<>();
				for (int i = 0; i < batch.size(); i++) {
					RedisFuture<String> future = futures.get(i);
					try {
						String entryId = future.get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
						this.acknowledged.computeIfAbsent(batch.get(i), (id) -> new CopyOnWriteArrayList<>())
							.add(entryId);
					}
					catch (ExecutionException | TimeoutException ex) {
						future.cancel(true);
						failed.add(batch.get(i));
						this.failedAttempts++;
					}
				}
				batch = failed;
			}
			this.notAcknowledged.addAll(batch);
		}

		void stop() {
			this.stopped = true;
		}

		boolean awaitFinished(Duration timeout) throws InterruptedException {
			return this.finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		Duration runningFor() {
			long started = this.startedAt;
			if (started < 0) {
				return Duration.ZERO;
			}
			long end = (this.stoppedAt >= 0) ? this.stoppedAt : System.nanoTime();
			return Duration.ofNanos(end - started);
		}

	}

	/**
	 * What Redis holds at the end, checked against what the producer got acknowledged.
	 */
	private static final class Outcome {

		final String redisVersion;

		final String redisKind;

		final Producer producer;

		final int acknowledged;

		final Set<String> poisonAcknowledged = new TreeSet<>();

		final long processed;

		final long processedUnacknowledged;

		final long duplicates;

		/** Entries in the dead-letter stream. */
		final long deadLetters;

		final long deadLetteredPoison;

		final List<String> deadLetteredEntryIds = new ArrayList<>();

		final Set<String> deadLetteredIds = new HashSet<>();

		final Set<String> deadLetteredMoreThanOnce = new TreeSet<>();

		/** Non-poison messages that were dead-lettered, with the exception class. */
		final Map<String, String> deadLetteredByFaults = new TreeMap<>();

		final List<String> processedPoison = new ArrayList<>();

		final List<String> lost = new ArrayList<>();

		final long pending;

		final long scheduled;

		Outcome(Producer producer, Map<String, String> processedCounts, List<StreamMessage<String, String>> deadLetters,
				long pending, long scheduled, String redisVersion, String redisKind) {
			this.producer = producer;
			this.redisVersion = redisVersion;
			this.redisKind = redisKind;
			this.pending = pending;
			this.scheduled = scheduled;
			this.deadLetters = deadLetters.size();
			Map<String, String> messageIdsByEntryId = new HashMap<>();
			producer.acknowledged
				.forEach((id, entryIds) -> entryIds.forEach((entryId) -> messageIdsByEntryId.put(entryId, id)));
			Map<String, Integer> deadLettersPerId = new HashMap<>();
			for (StreamMessage<String, String> deadLetter : deadLetters) {
				Map<String, String> fields = deadLetter.getBody();
				String entryId = fields.get(DeadLetterHeaders.ORIGINAL_ID);
				this.deadLetteredEntryIds.add(entryId);
				String id = fields.getOrDefault("id", messageIdsByEntryId.get(entryId));
				if (id == null) {
					continue;
				}
				this.deadLetteredIds.add(id);
				if (deadLettersPerId.merge(id, 1, Integer::sum) > 1) {
					this.deadLetteredMoreThanOnce.add(id);
				}
				if (!producer.poison.contains(id)) {
					this.deadLetteredByFaults.put(id, fields.get(DeadLetterHeaders.EXCEPTION_CLASS));
				}
			}
			this.acknowledged = producer.acknowledged.size();
			long processed = 0;
			for (String id : producer.acknowledged.keySet()) {
				boolean isProcessed = parseCount(processedCounts.get(id)) > 0;
				if (producer.poison.contains(id)) {
					this.poisonAcknowledged.add(id);
					if (isProcessed) {
						this.processedPoison.add(id);
					}
				}
				if (isProcessed) {
					processed++;
				}
				else if (!this.deadLetteredIds.contains(id)) {
					this.lost.add(id);
				}
			}
			this.lost.sort(null);
			this.deadLetteredPoison = this.deadLetteredIds.stream().filter(producer.poison::contains).count();
			this.processed = processed;
			this.processedUnacknowledged = processedCounts.keySet()
				.stream()
				.filter((id) -> !producer.acknowledged.containsKey(id))
				.count();
			this.duplicates = processedCounts.values().stream().filter((count) -> parseCount(count) > 1).count();
		}

		private static long parseCount(String count) {
			return (count != null) ? Long.parseLong(count) : 0;
		}

		boolean isDrained() {
			return this.lost.isEmpty() && this.pending == 0 && this.scheduled == 0;
		}

		String resultLine(Duration runtime) {
			return String
				.format("Fault suite on Redis %s (%s): published %d (acknowledged; %d not acknowledged after %d attempts, "
						+ "%d failed attempts) in %d s at %d/s, processed %d, dead-lettered %d (%d entries; %d "
						+ "poison, %d failed by faults), lost %d, duplicates %d (processed more than once), pending %d, "
						+ "scheduled %d, processed but not acknowledged %d; faults: SIGKILL+restart of a consumer "
						+ "JVM, SIGKILL+restart of Redis (AOF always), CLIENT KILL, SIGSTOP %d s+SIGCONT; "
						+ "runtime %d s", this.redisVersion, this.redisKind, this.acknowledged,
						this.producer.notAcknowledged.size(), Producer.MAX_ATTEMPTS, this.producer.failedAttempts,
						this.producer.runningFor().toSeconds(), RATE, this.processed, this.deadLetteredIds.size(),
						this.deadLetters, this.deadLetteredPoison, this.deadLetteredByFaults.size(), this.lost.size(),
						this.duplicates, this.pending, this.scheduled, this.processedUnacknowledged,
						STOPPED_FOR.toSeconds(), runtime.toSeconds());
		}

	}

}
