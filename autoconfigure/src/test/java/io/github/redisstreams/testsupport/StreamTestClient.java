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

package io.github.redisstreams.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.github.redisstreams.test.RedisServerExtension;

/**
 * A plain Lettuce client that tests use to write entries and inspect Redis state,
 * independently of the code under test. Registered as an extension
 * ({@code @RegisterExtension final StreamTestClient client = new StreamTestClient(redis)})
 * it empties Redis before each test and closes after it.
 */
public final class StreamTestClient implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

	private final RedisServerExtension redis;

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	public StreamTestClient(RedisServerExtension redis) {
		this.redis = redis;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		sync().flushall();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		close();
	}

	public synchronized RedisCommands<String, String> sync() {
		if (this.connection == null) {
			RedisURI uri = RedisURI.create(this.redis.host(), this.redis.port());
			uri.setTimeout(Duration.ofSeconds(10));
			this.client = RedisClient.create(uri);
			this.connection = this.client.connect();
		}
		return this.connection.sync();
	}

	/**
	 * Add many flat entries, pipelined.
	 * @param stream the stream
	 * @param entries the field maps
	 * @return the ids
	 */
	public List<String> addAll(String stream, List<Map<String, String>> entries) {
		List<RedisFuture<String>> futures = new ArrayList<>();
		for (Map<String, String> fields : entries) {
			futures.add(connectionAsync().xadd(stream, fields));
		}
		List<String> ids = new ArrayList<>();
		for (RedisFuture<String> future : futures) {
			try {
				ids.add(future.get());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		return ids;
	}

	/**
	 * Return how many entries a group's pending entries list holds ({@code XPENDING}).
	 * @param stream the stream
	 * @param group the group
	 * @return the count, or -1 while the stream or the group does not exist (a listener's
	 * consumer creates its group on its first read, after the application started)
	 */
	public long pendingCount(String stream, String group) {
		try {
			PendingMessages pending = sync().xpending(stream, group);
			return pending.getCount();
		}
		catch (RedisCommandExecutionException ex) {
			if (ex.getMessage() != null && ex.getMessage().startsWith("NOGROUP")) {
				return -1;
			}
			throw ex;
		}
	}

	/**
	 * Return the names of a group's consumers ({@code XINFO CONSUMERS}).
	 * @param stream the stream
	 * @param group the group
	 * @return the names
	 */
	public List<String> consumerNames(String stream, String group) {
		List<String> names = new ArrayList<>();
		for (Object entry : sync().xinfoConsumers(stream, group)) {
			List<?> fields = (List<?>) entry;
			names.add(String.valueOf(fields.get(fields.indexOf("name") + 1)));
		}
		return names;
	}

	/**
	 * Return whether the server reports a consumer group's lag in {@code XINFO GROUPS}
	 * (Redis 7.0+ and Valkey; not 6.2): a capability, not a version.
	 * @param stream the stream
	 * @param group the group
	 * @return {@code true} if the group's entry has a {@code lag} field
	 */
	public boolean reportsLag(String stream, String group) {
		for (Object entry : sync().xinfoGroups(stream)) {
			if (entry instanceof List<?> fields && fields.contains(group)) {
				return fields.contains("lag");
			}
		}
		throw new IllegalStateException("XINFO GROUPS " + stream + " does not list group " + group);
	}

	/**
	 * Change an ACL user: {@code ACL SETUSER name rules...}.
	 * @param name the user
	 * @param rules the rules, separated by spaces, for example
	 * {@code "reset on >pw ~* +@all"}
	 */
	public void setUser(String name, String rules) {
		CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(name);
		for (String rule : rules.split(" ")) {
			args.add(rule);
		}
		sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
	}

	public String clientList() {
		return sync().clientList();
	}

	/**
	 * Return the lines of {@code CLIENT LIST} for connections blocked in
	 * {@code XREADGROUP}.
	 * @return the lines
	 */
	public List<String> blockedReaders() {
		return clientList().lines().filter((line) -> line.contains("cmd=xreadgroup")).filter((line) -> {
			String flags = line.replaceAll(".*\\sflags=(\\S*).*", "$1");
			return flags.contains("b");
		}).toList();
	}

	private RedisAsyncCommands<String, String> connectionAsync() {
		sync();
		return this.connection.async();
	}

	@Override
	public synchronized void close() {
		if (this.connection != null) {
			this.connection.close();
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			this.connection = null;
			this.client = null;
		}
	}

}
