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

import java.util.List;

import io.github.redisstreams.test.RedisServer;

/**
 * Runs the benchmark: starts a throwaway {@code redis-server} (no persistence), runs
 * every scenario against it in this JVM, and prints Markdown tables. Options are
 * {@code bench.*} system properties or {@code --name=value} arguments, see
 * {@link BenchmarkOptions}.
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	/**
	 * Run the benchmark.
	 * @param args options as {@code --name=value}
	 * @throws Exception if the benchmark failed
	 */
	public static void main(String[] args) throws Exception {
		BenchmarkOptions options = BenchmarkOptions.from(System.getProperties(), args);
		BenchmarkReport report;
		try (RedisServer redis = RedisServer.createLocal(List.of("--save", "", "--appendonly", "no"))) {
			report = new BenchmarkRunner(redis.host(), redis.port(), options, System.out).run();
		}
		System.out.println();
		System.out.println(report.toMarkdown());
		if (!report.isComplete()) {
			throw new IllegalStateException("A run did not process every message exactly once; see INCOMPLETE above");
		}
	}

}
