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

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.management.OperatingSystemMXBean;

/**
 * One measured throughput run of each consumer: the stream is filled first (the same
 * entries for every run of a size), then the consumer starts and the clock runs until its
 * handler saw every message; what the JVM and Redis used meanwhile is recorded.
 */
final class ThroughputRuns {

	private final BenchmarkRedis redis;

	private final Workload workload;

	private final BenchmarkOptions options;

	private final PrintStream out;

	private final Map<Integer, List<Map<String, byte[]>>> entries = new HashMap<>();

	ThroughputRuns(BenchmarkRedis redis, Workload workload, BenchmarkOptions options, PrintStream out) {
		this.redis = redis;
		this.workload = workload;
		this.options = options;
		this.out = out;
	}

	private static Duration timeout(long messages) {
		return Duration.ofSeconds(60).plusMillis(messages);
	}

	ThroughputResult.Run raw(String stream, int messages, ListenerSettings settings) throws InterruptedException {
		this.redis.fill(stream, this.entries.computeIfAbsent(messages, this.workload::entries));
		Probe probe = Probe.counting(messages);
		Usage used;
		try (RawLettuceConsumers consumers = new RawLettuceConsumers(this.redis, this.workload, stream,
				settings.concurrency(), settings.batchSize(), probe)) {
			Usage usage = Usage.start(this.redis);
			consumers.start();
			probe.await(timeout(messages));
			used = usage.stop();
		}
		return finish(stream, probe, used);
	}

	ThroughputResult.Run springDataRedis(String stream, int messages) throws InterruptedException {
		this.redis.fill(stream, this.entries.computeIfAbsent(messages, this.workload::entries));
		Probe probe = Probe.counting(messages);
		Usage used;
		try (SpringDataRedisConsumer consumer = new SpringDataRedisConsumer(this.redis, this.workload.jsonMapper(),
				stream, this.options.sdrBatchSize(), probe)) {
			Usage usage = Usage.start(this.redis);
			consumer.start();
			probe.await(timeout(messages));
			used = usage.stop();
		}
		return finish(stream, probe, used);
	}

	ThroughputResult.Run starter(String stream, int messages, ListenerSettings settings, boolean retryPath)
			throws InterruptedException {
		this.redis.fill(stream, this.entries.computeIfAbsent(messages, this.workload::entries));
		Probe probe = Probe.counting(messages);
		Usage used;
		Map<String, long[]> commandsBefore = this.redis.commandStats();
		try (StarterConsumer consumer = new StarterConsumer(this.redis, stream, settings, retryPath, probe)) {
			Usage usage = Usage.start(this.redis);
			consumer.start();
			probe.await(timeout(messages));
			used = usage.stop();
		}
		if (retryPath) {
			printCommands(commandsBefore, this.redis.commandStats(), messages);
		}
		return finish(stream, probe, used);
	}

	/**
	 * Print where Redis spent its time during a run: calls and microseconds per message
	 * of each command (a script's time includes the commands it calls, which are also
	 * listed on their own).
	 */
	private void printCommands(Map<String, long[]> before, Map<String, long[]> after, int messages) {
		StringBuilder line = new StringBuilder("    Redis commands per message:");
		after.forEach((name, stats) -> {
			long[] earlier = before.getOrDefault(name, new long[2]);
			long calls = stats[0] - earlier[0];
			long usec = stats[1] - earlier[1];
			if (calls > 0 && !name.equals("info")) {
				line.append(String.format(" %s %.2f calls %.2f us;", name, (double) calls / messages,
						(double) usec / messages));
			}
		});
		this.out.println(line);
	}

	private ThroughputResult.Run finish(String stream, Probe probe, Usage usage) {
		ThroughputResult.Run run = new ThroughputResult.Run(probe.processed(), probe.failures(), probe.elapsed(),
				this.redis.pending(stream), this.redis.deadLetters(stream), probe.allocated(), usage.jvmCpu(),
				usage.redisCpu(), usage.connections(), usage.stealPercent());
		this.redis.delete(stream);
		return run;
	}

	/**
	 * CPU time used by the JVM and by Redis during a run.
	 */
	private record Usage(BenchmarkRedis redis, long jvmCpuAtStart, long redisCpuAtStart, long connectionsAtStart,
			CpuSteal stealAtStart, Duration jvmCpu, Duration redisCpu, long connections, double stealPercent) {

		static Usage start(BenchmarkRedis redis) {
			return new Usage(redis, jvmCpuNanos(), redis.serverCpuMicros(), redis.connectionsReceived(), CpuSteal.now(),
					Duration.ZERO, Duration.ZERO, 0, Double.NaN);
		}

		Usage stop() {
			long jvm = jvmCpuNanos();
			long server = this.redis.serverCpuMicros();
			long connections = this.redis.connectionsReceived();
			return new Usage(this.redis, this.jvmCpuAtStart, this.redisCpuAtStart, this.connectionsAtStart,
					this.stealAtStart,
					Duration.ofNanos((jvm >= 0 && this.jvmCpuAtStart >= 0) ? jvm - this.jvmCpuAtStart : -1),
					Duration.ofNanos((server - this.redisCpuAtStart) * 1000), connections - this.connectionsAtStart,
					CpuSteal.now().percentSince(this.stealAtStart));
		}

		private static long jvmCpuNanos() {
			if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
				return os.getProcessCpuTime();
			}
			return -1;
		}

	}

}
