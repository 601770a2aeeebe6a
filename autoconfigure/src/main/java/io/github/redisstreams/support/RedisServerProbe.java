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

package io.github.redisstreams.support;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * Finds out which Redis server the application talks to and whether it is fit for
 * at-least-once messaging: the server and its version ({@code INFO server}, reading
 * {@code server_name} and {@code valkey_version} because Valkey reports
 * {@code redis_version:7.2.4} forever), the stream commands it offers (probed with
 * {@code COMMAND INFO}, never guessed from the version), its {@code maxmemory-policy}
 * ({@code CONFIG GET}, or {@code INFO memory} where {@code CONFIG} is forbidden, as on
 * many managed services) and whether append-only persistence is on ({@code INFO
 * persistence}).
 * <p>
 * {@link #getServerInfo()} probes once and caches the result; it logs one line that
 * describes the server and one warning per problem found. A server that cannot be reached
 * is probed again on the next call. Thread-safe: concurrent first calls probe once.
 *
 * @since 0.1.0
 */
public class RedisServerProbe {

	private static final Log logger = LogFactory.getLog(RedisServerProbe.class);

	private static final List<String> PROBED_COMMANDS = List.of(RedisServerInfo.XAUTOCLAIM, RedisServerInfo.XACKDEL,
			RedisServerInfo.XREADGROUP, RedisServerInfo.XDELEX);

	private final RedisConnectionFactory connectionFactory;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile @Nullable RedisServerInfo serverInfo;

	private final CommandArgumentsProbe argumentsProbe = new CommandArgumentsProbe();

	/**
	 * Create a probe.
	 * @param connectionFactory the application's connection factory
	 * @throws IllegalArgumentException if {@code connectionFactory} is {@code null}
	 */
	public RedisServerProbe(RedisConnectionFactory connectionFactory) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Return the description of the server, probing it on the first call (and on every
	 * call until a probe succeeded). The first successful probe is logged: one line that
	 * describes the server, one warning per {@link RedisServerInfo#warnings() problem},
	 * and an error if the server is not {@link RedisServerInfo#isSupported() supported}.
	 * @return the description of the server
	 * @throws DataAccessException if Redis cannot be reached
	 */
	public RedisServerInfo getServerInfo() {
		RedisServerInfo info = this.serverInfo;
		if (info != null) {
			return info;
		}
		this.lock.lock();
		try {
			info = this.serverInfo;
			if (info == null) {
				info = probe();
				log(info);
				this.serverInfo = info;
			}
			return info;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the description of the server if a probe succeeded already.
	 * @return the cached description, or {@code null}
	 */
	public @Nullable RedisServerInfo getServerInfoIfProbed() {
		return this.serverInfo;
	}

	/**
	 * Probe the server now, without caching or logging.
	 * @return the description of the server
	 * @throws DataAccessException if Redis cannot be reached
	 */
	public RedisServerInfo probe() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Properties info = orNull(connection, (con) -> con.serverCommands().info());
			if (info == null) {
				info = new Properties();
			}
			Set<String> capabilities = orNull(connection, RedisServerProbe::probeCommands);
			// asked even where COMMAND INFO is refused: a user granted only
			// +command|docs gets the newer arguments
			Set<String> arguments = this.argumentsProbe.probeOrNull(connection);
			String maxmemoryPolicy = orNull(connection,
					(con) -> field(con.serverCommands().getConfig("maxmemory-policy"), "maxmemory-policy"));
			if (maxmemoryPolicy == null) {
				// CONFIG is forbidden on many managed services; INFO has it since Redis 5
				maxmemoryPolicy = field(info, "maxmemory_policy");
			}
			String aof = field(info, "aof_enabled");
			Boolean appendOnly = (aof != null) ? "1".equals(aof.trim()) : null;
			RedisServerInfo probed = RedisServerInfo.of(field(info, "server_name"), field(info, "redis_version"),
					field(info, "valkey_version"), capabilities, maxmemoryPolicy, appendOnly);
			return (arguments != null && !arguments.isEmpty()) ? probed.withCapabilities(arguments) : probed;
		}
	}

	/**
	 * Check that the server answers ({@code PING}).
	 * @throws DataAccessException if Redis cannot be reached
	 */
	public void ping() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.ping();
		}
	}

	private static Set<String> probeCommands(RedisConnection connection) {
		String[] args = new String[PROBED_COMMANDS.size() + 1];
		args[0] = "INFO";
		for (int i = 0; i < PROBED_COMMANDS.size(); i++) {
			args[i + 1] = PROBED_COMMANDS.get(i);
		}
		Object reply = CommandArgumentsProbe.command(connection, args);
		Set<String> found = new LinkedHashSet<>();
		if (reply instanceof List<?> entries) {
			for (int i = 0; i < Math.min(entries.size(), PROBED_COMMANDS.size()); i++) {
				// an unknown command is a nil entry
				if (entries.get(i) instanceof List<?> entry && !entry.isEmpty()) {
					found.add(PROBED_COMMANDS.get(i));
				}
			}
		}
		return found;
	}

	/**
	 * Return whether a {@code COMMAND DOCS} reply documents an argument of a command with
	 * the given token, for example {@code CLAIM} of {@code XREADGROUP}. The reply is the
	 * nested list a client returns for it (RESP2 or RESP3, bulk strings as {@code byte[]}
	 * or {@code String}).
	 * @param commandDocsReply the reply of {@code COMMAND DOCS command...}, or
	 * {@code null}
	 * @param command the command, in any case
	 * @param token the argument's token, in any case
	 * @return whether the token is documented for the command; {@code false} for an
	 * unrecognizable reply
	 */
	public static boolean documentsArgument(@Nullable Object commandDocsReply, String command, String token) {
		return CommandArgumentsProbe.documentsArgument(commandDocsReply, command, token);
	}

	/**
	 * Run a command whose failure is tolerated: a server that refuses it (unknown
	 * command, renamed, forbidden by ACL) gives {@code null}. A server that cannot be
	 * reached or does not answer in time is not tolerated.
	 */
	private static <T> @Nullable T orNull(RedisConnection connection, Function<RedisConnection, @Nullable T> command) {
		try {
			return command.apply(connection);
		}
		catch (DataAccessResourceFailureException | TransientDataAccessException ex) {
			throw ex;
		}
		catch (DataAccessException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Redis refused a command of the server probe: " + ex.getMessage(), ex);
			}
			return null;
		}
	}

	/**
	 * Return a field of an {@code INFO} or {@code CONFIG GET} reply. In a cluster, Spring
	 * Data Redis prefixes each node's fields with {@code host:port.}; the first node's
	 * value is taken.
	 */
	private static @Nullable String field(@Nullable Properties properties, String name) {
		if (properties == null) {
			return null;
		}
		String value = properties.getProperty(name);
		if (value != null) {
			return value;
		}
		String suffix = "." + name;
		for (String key : properties.stringPropertyNames()) {
			if (key.endsWith(suffix)) {
				return properties.getProperty(key);
			}
		}
		return null;
	}

	private void log(RedisServerInfo info) {
		if (logger.isInfoEnabled()) {
			logger.info("Redis Streams: connected to " + info.getDescription() + ", commands " + info.capabilities()
					+ ", maxmemory-policy " + ((info.maxmemoryPolicy() != null) ? info.maxmemoryPolicy() : "unknown")
					+ ", append-only "
					+ ((info.appendOnly() != null) ? (info.appendOnly() ? "on" : "off") : "unknown"));
			this.argumentsProbe.logRefusal(info);
		}
		for (String warning : info.warnings()) {
			logger.warn("Redis Streams: " + info.getDescription() + ": " + warning);
		}
		if (!info.isSupported()) {
			logger.error(info.getUnsupportedMessage());
		}
	}

}
