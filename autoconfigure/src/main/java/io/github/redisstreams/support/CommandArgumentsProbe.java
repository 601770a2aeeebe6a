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

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;

/**
 * The part of the {@link RedisServerProbe} that finds which arguments newer than their
 * command the server accepts ({@code CLAIM} of {@code XREADGROUP}, {@code IDMP} of
 * {@code XADD}), in the {@code COMMAND DOCS} the server gives of itself (Redis 7.0+),
 * never from its version. Remembers Redis's words when the last probe was refused
 * {@code COMMAND DOCS} by ACL, for the probe's log. Thread-safe.
 */
final class CommandArgumentsProbe {

	// every line of the probe comes from one logger, the server probe's
	private static final Log logger = LogFactory.getLog(RedisServerProbe.class);

	/** Redis's words when the last probe was refused {@code COMMAND DOCS} by ACL. */
	private volatile @Nullable String refusal;

	/**
	 * Ask {@code COMMAND DOCS}; a refusal by ACL ({@code NOPERM}) is remembered, to be
	 * named when the probe is logged: without {@code +command|docs} the newer command
	 * paths are never used, even where the server has them.
	 * @param connection a connection to the server
	 * @return the newer arguments found, for example
	 * {@value RedisServerInfo#XREADGROUP_CLAIM}, or {@code null} if the server refused
	 * {@code COMMAND DOCS}
	 * @throws DataAccessException if Redis cannot be reached
	 */
	@Nullable Set<String> probeOrNull(RedisConnection connection) {
		try {
			Set<String> arguments = probe(connection);
			this.refusal = null;
			return arguments;
		}
		catch (DataAccessResourceFailureException | TransientDataAccessException ex) {
			throw ex;
		}
		catch (DataAccessException ex) {
			this.refusal = (RedisRefusal.of(ex) == RedisRefusal.NO_PERMISSION) ? RedisRefusal.mostSpecificMessage(ex)
					: null;
			if (logger.isDebugEnabled()) {
				logger.debug("Redis refused a command of the server probe: " + ex.getMessage(), ex);
			}
			return null;
		}
	}

	/**
	 * Log, at INFO, what is lost if the last probe was refused {@code COMMAND DOCS} by
	 * ACL.
	 * @param info what the probe found
	 */
	void logRefusal(RedisServerInfo info) {
		String refusal = this.refusal;
		if (refusal != null) {
			logger.info("Redis Streams: the Redis user may not run COMMAND DOCS (" + refusal + "): the "
					+ "newer command paths are not used even where " + info.getDescription()
					+ " has them (Redis 8.2+: XREADGROUP ... CLAIM takes over idle entries in the reads, "
					+ "XDELEX ... ACKED trims acknowledged entries, XADD ... IDMP deduplicates on the server). "
					+ "Grant +command|docs to use them (see 'Running with least privilege' in the README)");
		}
	}

	/**
	 * Find the newer arguments of {@code XREADGROUP} and {@code XADD} in their
	 * {@code COMMAND DOCS} (Redis 7.0+): the documentation the server gives of itself,
	 * not its version, decides.
	 */
	private static Set<String> probe(RedisConnection connection) {
		Object reply = command(connection, "DOCS", "XREADGROUP", "XADD");
		Set<String> found = new LinkedHashSet<>();
		if (documentsArgument(reply, "XREADGROUP", "CLAIM")) {
			found.add(RedisServerInfo.XREADGROUP_CLAIM);
		}
		if (documentsArgument(reply, "XADD", "IDMP")) {
			found.add(RedisServerInfo.XADD_IDMP);
		}
		return found;
	}

	/**
	 * Run {@code COMMAND} with the given arguments, its reply read as an array.
	 * @param connection a connection to the server
	 * @param args the arguments, for example {@code INFO XAUTOCLAIM}
	 * @return the reply
	 */
	static @Nullable Object command(RedisConnection connection, String... args) {
		byte[][] bytes = new byte[args.length][];
		for (int i = 0; i < args.length; i++) {
			bytes[i] = args[i].getBytes(StandardCharsets.US_ASCII);
		}
		// the plain execute(String, byte[]...) of Lettuce parses unknown commands'
		// replies as a single bulk string: ask for an array
		return (connection instanceof LettuceConnection lettuce)
				? lettuce.execute("COMMAND", new ArrayOutput<>(ByteArrayCodec.INSTANCE), bytes)
				: connection.execute("COMMAND", bytes);
	}

	/**
	 * Return whether a {@code COMMAND DOCS} reply documents an argument of a command with
	 * the given token.
	 * @see RedisServerProbe#documentsArgument(Object, String, String)
	 */
	static boolean documentsArgument(@Nullable Object commandDocsReply, String command, String token) {
		if (!(commandDocsReply instanceof List<?> reply)) {
			return false;
		}
		for (int i = 0; i + 1 < reply.size(); i += 2) {
			if (command.equalsIgnoreCase(text(reply.get(i))) && hasToken(reply.get(i + 1), token)) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasToken(@Nullable Object docs, String token) {
		if (!(docs instanceof List<?> list)) {
			return false;
		}
		for (int i = 0; i < list.size(); i++) {
			Object element = list.get(i);
			if (element instanceof List<?>) {
				if (hasToken(element, token)) {
					return true;
				}
			}
			else if (i + 1 < list.size() && "token".equals(text(element))
					&& token.equalsIgnoreCase(text(list.get(i + 1)))) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable String text(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (value instanceof String string) ? string : null;
	}

}
