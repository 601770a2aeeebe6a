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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.util.Assert;

/**
 * The latency runs: messages published at a fixed rate ({@code rate}) to one consumer at
 * a time, first for {@code latency-warmup} (not measured), then for {@code duration}
 * (measured, publish-to-handler). Each round runs the starter with its defaults, with its
 * best settings when they differ, and raw Lettuce with its best settings; raw Lettuce
 * runs last in odd rounds and first in even ones, so that neither is always measured on a
 * machine the other has just warmed or left garbage on.
 */
final class LatencyRuns {

	private final BenchmarkOptions options;

	private final PrintStream out;

	LatencyRuns(BenchmarkOptions options, PrintStream out) {
		this.options = options;
		this.out = out;
	}

	/**
	 * Run every round.
	 * @param redis the Redis to use
	 * @param workload the payloads
	 * @param best the starter's best settings of the throughput runs
	 * @param bestRaw raw Lettuce's best settings of the throughput runs
	 * @return the runs, round by round
	 * @throws InterruptedException if interrupted while waiting for a consumer
	 */
	List<LatencyResult> run(BenchmarkRedis redis, Workload workload, ListenerSettings best, ListenerSettings bestRaw)
			throws InterruptedException {
		// The same publisher and consumer warm up at the measured rate, then the measured
		// messages follow. At 5,000 msg/s a consumer reads a few entries at a time, and
		// on
		// two cores the JIT compiler takes 20 to 30 seconds to settle the listener's
		// per-read
		// path (raw's loop has far fewer methods): with a 1-second warm-up by another
		// application context the listener's p50 was 0.4 to 0.8 ms above raw's, with 10
		// seconds 0.2 to 0.3 ms. A publisher that reconnected between warm-up and
		// measurement deoptimized the event loops' code, hence one publisher for both.
		Duration warmup = this.options.latencyWarmup();
		Duration duration = this.options.duration();
		int rounds = this.options.latencyRepetitions();
		this.out.printf("Latency: %,d msg/s for %,d ms, after an untimed warm-up of %,d ms at that rate, %d round(s)%n",
				this.options.rate(), duration.toMillis(), warmup.toMillis(), rounds);
		List<LatencyResult> results = new ArrayList<>();
		for (int round = 1; round <= rounds; round++) {
			boolean rawFirst = round % 2 == 0;
			if (rawFirst) {
				results.add(rawLettuce(round, redis, workload, bestRaw));
			}
			results.add(starter(round, redis, workload, ListenerSettings.DEFAULT));
			if (!best.isDefault()) {
				results.add(starter(round, redis, workload, best));
			}
			if (!rawFirst) {
				results.add(rawLettuce(round, redis, workload, bestRaw));
			}
		}
		return results;
	}

	private LatencyResult starter(int round, BenchmarkRedis redis, Workload workload, ListenerSettings settings)
			throws InterruptedException {
		String stream = "bench:latency" + round + ":starter-c" + settings.concurrency() + "-b" + settings.batchSize();
		Probe probe = Probe.measuringLatency(warmUpCount(), measuredCount());
		RatePublisher.Published published;
		try (StarterConsumer consumer = new StarterConsumer(redis, stream, settings, false, probe)) {
			consumer.start();
			published = publishWhenConsuming(redis, workload, stream, probe);
		}
		return result(round, redis, stream, BenchmarkRunner.STARTER,
				(settings.isDefault() ? "defaults: " : "") + settings, probe, published);
	}

	private LatencyResult rawLettuce(int round, BenchmarkRedis redis, Workload workload, ListenerSettings settings)
			throws InterruptedException {
		String stream = "bench:latency" + round + ":raw-c" + settings.concurrency() + "-b" + settings.batchSize();
		Probe probe = Probe.measuringLatency(warmUpCount(), measuredCount());
		RatePublisher.Published published;
		try (RawLettuceConsumers consumers = new RawLettuceConsumers(redis, workload, stream, settings.concurrency(),
				settings.batchSize(), probe)) {
			consumers.start();
			published = publishWhenConsuming(redis, workload, stream, probe);
		}
		return result(round, redis, stream, BenchmarkRunner.RAW,
				BenchmarkRunner.rawDescription(settings) + ", BLOCK 100", probe, published);
	}

	private RatePublisher.Published publishWhenConsuming(BenchmarkRedis redis, Workload workload, String stream,
			Probe probe) throws InterruptedException {
		// Let the consumers connect, create the group and block in XREADGROUP, and start
		// with a clean heap.
		System.gc();
		Thread.sleep(500);
		RatePublisher.Published all = new RatePublisher(redis, workload).publish(stream, this.options.rate(),
				this.options.latencyWarmup().plus(this.options.duration()), warmUpCount());
		probe.await(Duration.ofSeconds(30));
		// what the measured part published: the warm-up's messages are not counted; the
		// steal until the consumer caught up (it falls behind when the steal is high)
		return new RatePublisher.Published(all.count() - warmUpCount(), all.maxLag(), all.measuredFrom());
	}

	private long measuredCount() {
		return RatePublisher.count(this.options.rate(), this.options.duration());
	}

	private long warmUpCount() {
		return RatePublisher.count(this.options.rate(), this.options.latencyWarmup().plus(this.options.duration()))
				- measuredCount();
	}

	private LatencyResult result(int round, BenchmarkRedis redis, String stream, String consumer, String settings,
			Probe probe, RatePublisher.Published published) {
		Assert.state(probe.latencies() != null, "The probe does not measure latency");
		LatencyResult result = new LatencyResult(round, consumer, settings, this.options.rate(),
				this.options.duration(), published.count(), probe.processed(), probe.latencies(), published.maxLag(),
				CpuSteal.now().percentSince(published.measuredFrom()));
		redis.delete(stream);
		this.out.println("  " + result.summary());
		return result;
	}

}
