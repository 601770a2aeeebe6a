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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * Asks the Redis server whether the application's user may run the commands the starter
 * will send, without running any of them.
 * <ul>
 * <li>Redis 7.0 and later, Valkey: one {@code EVAL} that asks the server's own ACL
 * ({@code redis.acl_check_cmd}) about every command. It needs only {@code +eval}, which
 * the starter needs anyway; {@code ACL DRYRUN} would need an administrator's
 * {@code +acl|dryrun}. The server answers allowed or denied; which rule is missing, the
 * command or the key pattern, is told apart by the other commands on the same key and the
 * same command on other keys.</li>
 * <li>Redis 6.2: the commands are queued inside {@code MULTI} and thrown away with
 * {@code DISCARD}: Redis checks the ACL when it queues a command and names the command or
 * the keys it refuses. It needs {@code +multi +discard}; without them nothing is
 * checked.</li>
 * </ul>
 * <p>
 * Not part of the public API: it is public only to be shared between the starter's
 * packages. Thread-safe.
 *
 * @since 0.3.0
 */
public final class RedisPermissionCheck {

	private static final LuaScript ACL_CHECK = LuaScript.load(RedisPermissionCheck.class, "acl-check.lua");

	private static final long TIMEOUT_SECONDS = 10;

	private static final Set<String> TRANSACTION_COMMANDS = Set.of("MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH");

	private final RedisConnectionFactory connectionFactory;

	/**
	 * Create a check.
	 * @param connectionFactory the application's connection factory
	 */
	public RedisPermissionCheck(RedisConnectionFactory connectionFactory) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Check permissions.
	 * @param permissions what to check
	 * @return what the server refuses, and whether it could tell
	 * @throws org.springframework.dao.DataAccessException if Redis cannot be reached
	 */
	public RedisPermissionReport check(List<RedisPermission> permissions) {
		String user;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			user = whoAmI(connection);
			if (permissions.isEmpty()) {
				return new RedisPermissionReport(user, List.of(), null);
			}
			List<Long> answers;
			try {
				answers = ask(connection, permissions.stream().map(RedisPermission::words).toList());
			}
			catch (RuntimeException ex) {
				RedisRefusal refusal = RedisRefusal.of(ex);
				if (refusal == RedisRefusal.NO_PERMISSION) {
					return new RedisPermissionReport(user, evalDenied(permissions, "+eval"),
							"the user may not run EVAL, so nothing else could be checked");
				}
				if (refusal == RedisRefusal.UNKNOWN_COMMAND) {
					return new RedisPermissionReport(user,
							evalDenied(permissions,
									"command EVAL is unknown to the server (scripting disabled, or EVAL renamed?)"),
							"the server has no EVAL, so nothing else could be checked");
				}
				throw ex;
			}
			if (answers != null) {
				return new RedisPermissionReport(user, RedisPermissionReport.denied(permissions, answers,
						(probes) -> Objects.requireNonNullElse(ask(connection, probes), List.of())), null);
			}
		}
		return queueInTransaction(user, permissions);
	}

	// ACL WHOAMI, else the configured user name, else the default user
	private @Nullable String whoAmI(RedisConnection connection) {
		try {
			Object reply = connection.execute("ACL", bytes("WHOAMI"));
			if (reply instanceof byte[] name) {
				return new String(name, StandardCharsets.UTF_8);
			}
		}
		catch (RuntimeException ex) {
			// not granted +acl|whoami
		}
		if (this.connectionFactory instanceof LettuceConnectionFactory lettuce) {
			RedisConfiguration configuration = (lettuce.getSentinelConfiguration() != null)
					? lettuce.getSentinelConfiguration() : (lettuce.getClusterConfiguration() != null)
							? lettuce.getClusterConfiguration() : lettuce.getStandaloneConfiguration();
			if (configuration instanceof RedisConfiguration.WithAuthentication authentication) {
				String name = authentication.getUsername();
				return (name != null && !name.isEmpty()) ? name : "default";
			}
		}
		return null;
	}

	private static @Nullable List<Long> ask(RedisConnection connection, List<List<String>> commands) {
		List<byte[]> args = new ArrayList<>();
		for (List<String> words : commands) {
			args.add(bytes(Integer.toString(words.size())));
			for (String word : words) {
				args.add(bytes(word));
			}
		}
		Object reply = ACL_CHECK.run(connection, ReturnType.MULTI, 0, args.toArray(new byte[0][]));
		if (!(reply instanceof List<?> list) || list.size() != commands.size()) {
			return null;
		}
		List<Long> answers = new ArrayList<>(list.size());
		for (Object answer : list) {
			answers.add((answer instanceof Long number) ? number : -1L);
		}
		return answers;
	}

	private static List<RedisPermissionReport.Denied> evalDenied(List<RedisPermission> permissions, String rule) {
		List<RedisPermissionReport.Denied> denied = new ArrayList<>();
		Set<String> seen = new LinkedHashSet<>();
		for (RedisPermission permission : permissions) {
			String command = permission.commandRule();
			if ((command.equals("+eval") || command.equals("+evalsha")) && seen.add(permission.use())) {
				denied.add(new RedisPermissionReport.Denied(permission, rule));
			}
		}
		return denied;
	}

	private RedisPermissionReport queueInTransaction(@Nullable String user, List<RedisPermission> permissions) {
		AbstractRedisClient client = (this.connectionFactory instanceof LettuceConnectionFactory lettuce)
				? lettuce.getNativeClient() : null;
		if (!(client instanceof RedisClient redisClient)) {
			return new RedisPermissionReport(user, List.of(),
					"the server has no redis.acl_check_cmd (Redis 6.2) and the connection is not a standalone "
							+ "Lettuce connection");
		}
		try (StatefulRedisConnection<byte[], byte[]> connection = redisClient.connect(ByteArrayCodec.INSTANCE)) {
			String begun = send(connection, List.of("MULTI"));
			if (!"OK".equals(begun)) {
				return new RedisPermissionReport(user, List.of(), "the server has no redis.acl_check_cmd (Redis 6.2) "
						+ "and refused MULTI (" + begun + "); grant +multi +discard to check permissions at startup");
			}
			List<String> replies = new ArrayList<>(permissions.size());
			for (RedisPermission permission : permissions) {
				// these are not queued but run: EXEC would run what was queued
				boolean transactional = TRANSACTION_COMMANDS
					.contains(permission.words().get(0).toUpperCase(Locale.ROOT));
				replies.add(transactional ? "NOT CHECKED" : send(connection, permission.words()));
			}
			send(connection, List.of("DISCARD"));
			return new RedisPermissionReport(user, RedisPermissionReport.deniedByReplies(permissions, replies), null);
		}
	}

	// sent as plain commands: Lettuce's own MULTI would hold every reply until EXEC
	private static String send(StatefulRedisConnection<byte[], byte[]> connection, List<String> words) {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
		for (int i = 1; i < words.size(); i++) {
			args.add(bytes(words.get(i)));
		}
		try {
			String reply = connection.async()
				.dispatch(new Keyword(words.get(0)), new StatusOutput<>(ByteArrayCodec.INSTANCE), args)
				.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			return (reply != null) ? reply : "";
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return String.valueOf(cause.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while checking Redis permissions", ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Redis did not answer within " + TIMEOUT_SECONDS + " s", ex);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A command name Lettuce does not recognise as its own {@code MULTI} or
	 * {@code DISCARD}: the name differs in case from Lettuce's, the bytes sent do not.
	 */
	private record Keyword(String word) implements ProtocolKeyword {

		@Override
		public byte[] getBytes() {
			return this.word.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
		}

		@Override
		public String name() {
			return this.word.toLowerCase(Locale.ROOT);
		}

	}

}
