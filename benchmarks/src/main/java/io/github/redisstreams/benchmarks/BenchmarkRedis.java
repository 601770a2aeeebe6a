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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import io.github.redisstreams.support.StreamKeys;

/**
 * The benchmark's own Lettuce client: fills streams with pipelined {@code XADD}, creates
 * groups, checks what is left pending and cleans up. Also the client of the raw Lettuce
 * scenario and of the latency publisher.
 */
final class BenchmarkRedis implements AutoCloseable {

	static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private static final int PIPELINE_CHUNK = 1000;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final String host;

	private final int port;

	private final RedisClient client;

	private final StatefulRedisConnection<String, byte[]> admin;

	BenchmarkRedis(String host, int port) {
		this.host = host;
		this.port = port;
		this.client = RedisClient.create(RedisURI.create(host, port));
		this.admin = this.client.connect(CODEC);
	}

	String host() {
		return this.host;
	}

	int port() {
		return this.port;
	}

	RedisClient client() {
		return this.client;
	}

	StatefulRedisConnection<String, byte[]> connect() {
		return this.client.connect(CODEC);
	}

	private RedisCommands<String, byte[]> sync() {
		return this.admin.sync();
	}

	/**
	 * Return the server's version.
	 * @return the version, such as {@code 7.0.15}
	 */
	String serverVersion() {
		for (String line : sync().info("server").split("\\r?\\n")) {
			if (line.startsWith("redis_version:")) {
				return line.substring("redis_version:".length()).trim();
			}
		}
		return "unknown";
	}

	/**
	 * Return the CPU time the Redis server used so far (user plus system), from
	 * {@code INFO cpu}.
	 * @return the CPU time in microseconds
	 */
	long serverCpuMicros() {
		double seconds = 0;
		for (String line : sync().info("cpu").split("\\r?\\n")) {
			if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
				seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return (long) (seconds * 1_000_000);
	}

	/**
	 * Return the server's per-command statistics ({@code INFO commandstats}): for each
	 * command, its calls and the microseconds spent in it.
	 * @return calls and microseconds by command name
	 */
	Map<String, long[]> commandStats() {
		Map<String, long[]> stats = new TreeMap<>();
		for (String line : sync().info("commandstats").split("\\r?\\n")) {
			if (!line.startsWith("cmdstat_")) {
				continue;
			}
			String name = line.substring("cmdstat_".length(), line.indexOf(':'));
			long calls = 0;
			long usec = 0;
			for (String pair : line.substring(line.indexOf(':') + 1).split(",")) {
				if (pair.startsWith("calls=")) {
					calls = Long.parseLong(pair.substring("calls=".length()));
				}
				else if (pair.startsWith("usec=")) {
					usec = Long.parseLong(pair.substring("usec=".length()));
				}
			}
			stats.put(name, new long[] { calls, usec });
		}
		return stats;
	}

	/**
	 * Add entries with pipelined {@code XADD}, flushed in chunks, on a connection of its
	 * own.
	 * @param stream the stream
	 * @param entries the entries' fields
	 */
	void fill(String stream, List<Map<String, byte[]>> entries) {
		try (StatefulRedisConnection<String, byte[]> connection = connect()) {
			connection.setAutoFlushCommands(false);
			RedisAsyncCommands<String, byte[]> async = connection.async();
			List<RedisFuture<String>> added = new ArrayList<>(entries.size());
			for (int i = 0; i < entries.size(); i++) {
				added.add(async.xadd(stream, entries.get(i)));
				if ((i + 1) % PIPELINE_CHUNK == 0) {
					connection.flushCommands();
				}
			}
			connection.flushCommands();
			added.forEach(BenchmarkRedis::await);
		}
	}

	/**
	 * Return how many connections the server accepted so far, from {@code INFO stats}.
	 * @return the number of connections received
	 */
	long connectionsReceived() {
		for (String line : sync().info("stats").split("\\r?\\n")) {
			if (line.startsWith("total_connections_received:")) {
				return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return 0;
	}

	/**
	 * Create the benchmark's group on a stream, at its beginning.
	 * @param stream the stream
	 */
	void createGroup(String stream) {
		try {
			sync().xgroupCreate(StreamOffset.from(stream, "0"), Workload.GROUP,
					XGroupCreateArgs.Builder.mkstream(true));
		}
		catch (RedisCommandExecutionException ex) {
			if (ex.getMessage() == null || !ex.getMessage().startsWith("BUSYGROUP")) {
				throw ex;
			}
		}
	}

	/**
	 * Return how many entries of the benchmark's group are pending on a stream.
	 * @param stream the stream
	 * @return the number of pending entries, 0 when there is no such group
	 */
	long pending(String stream) {
		try {
			return sync().xpending(stream, Workload.GROUP).getCount();
		}
		catch (RedisCommandExecutionException ex) {
			return 0;
		}
	}

	/**
	 * Return how many entries the dead-letter stream of a stream holds.
	 * @param stream the stream
	 * @return the number of dead letters
	 */
	long deadLetters(String stream) {
		return sync().xlen(StreamKeys.deadLetterStream(stream));
	}

	/**
	 * Return how many retries are scheduled for a stream.
	 * @param stream the stream
	 * @return the number of scheduled retries
	 */
	/**
	 * Return a stream's length ({@code XLEN}).
	 * @param stream the stream
	 * @return the number of entries
	 */
	long length(String stream) {
		return sync().xlen(stream);
	}

	long scheduledRetries(String stream) {
		return sync().zcard(StreamKeys.retrySchedule(stream, Workload.GROUP));
	}

	/**
	 * Delete a stream and the starter's keys that belong to it.
	 * @param stream the stream
	 */
	void delete(String stream) {
		sync().unlink(stream, StreamKeys.deadLetterStream(stream), StreamKeys.retrySchedule(stream, Workload.GROUP));
	}

	static <T> T await(RedisFuture<T> future) {
		try {
			return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Redis", ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Redis command failed: " + ex, ex);
		}
	}

	@Override
	public void close() {
		this.admin.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

}
