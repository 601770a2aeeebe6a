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

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.Assert;

/**
 * A Lua script of the starter, read once from a {@code .lua} resource, and run with
 * {@code EVALSHA}, falling back to {@code EVAL} when the server does not have it yet
 * ({@code NOSCRIPT}, after a restart or a failover, or on a new node). Every script the
 * starter runs is one of these: the listeners' through a dedicated Lettuce connection,
 * the dead-letter operations' through Spring Data Redis.
 * <p>
 * Not part of the public API: it is public only to be shared between the starter's
 * packages. Immutable and thread-safe.
 *
 * @since 0.2.0
 */
public final class LuaScript {

	private static final Map<String, LuaScript> BY_SHA = new ConcurrentHashMap<>();

	private static final Pattern CALL = Pattern.compile("redis\\.p?call\\('([A-Za-z]+)'");

	private static final Pattern SHA_IN_ERROR = Pattern.compile("(?:f_|script: )([0-9a-f]{40})");

	private final String name;

	private final String text;

	private final String sha;

	private LuaScript(String name, String text) {
		this.name = name;
		this.text = text;
		try {
			this.sha = HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		BY_SHA.put(this.sha, this);
	}

	/**
	 * Describe the starter's script that a Redis error names by its digest (Redis 6.2:
	 * {@code call to f_<sha>}, 7.x: {@code script: <sha>}): its resource name and the
	 * commands it calls, since Redis does not say which of them it refused.
	 * @param message the error message
	 * @return for example
	 * {@code "in script claim-due.lua, which calls ZRANGEBYSCORE, ZREM,
	 * XPENDING, XCLAIM, ZRANGE"}, or {@code null} if the message names no script of the
	 * starter
	 * @since 0.3.0
	 */
	public static @Nullable String describeScriptIn(String message) {
		Matcher matcher = SHA_IN_ERROR.matcher(message);
		while (matcher.find()) {
			LuaScript script = BY_SHA.get(matcher.group(1));
			if (script != null) {
				Set<String> commands = new LinkedHashSet<>();
				Matcher call = CALL.matcher(script.text);
				while (call.find()) {
					commands.add(call.group(1).toUpperCase(Locale.ROOT));
				}
				return "in script " + script.name + ", which calls " + String.join(", ", commands);
			}
		}
		return null;
	}

	/**
	 * Read a script from a resource beside a class.
	 * @param anchor the class whose package holds the resource
	 * @param resource the resource name, for example {@code publish.lua}
	 * @return the script
	 * @throws IllegalStateException if the resource is missing or cannot be read
	 */
	public static LuaScript load(Class<?> anchor, String resource) {
		try (InputStream in = anchor.getResourceAsStream(resource)) {
			Assert.state(in != null, () -> "Missing script resource " + resource + " beside " + anchor.getName());
			return new LuaScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read script resource " + resource, ex);
		}
	}

	/**
	 * Return the Lua source.
	 * @return the text
	 */
	public String text() {
		return this.text;
	}

	/**
	 * Return the hex SHA-1 digest of the source, as {@code EVALSHA} takes it.
	 * @return the digest
	 */
	public String sha() {
		return this.sha;
	}

	/**
	 * Run the script through Spring Data Redis.
	 * @param connection the connection
	 * @param returnType how to read the reply
	 * @param numKeys how many of the arguments are keys
	 * @param keysAndArgs the keys, then the arguments
	 * @return the reply
	 * @throws org.springframework.dao.DataAccessException if Redis refused it
	 */
	public @Nullable Object run(RedisConnection connection, ReturnType returnType, int numKeys, byte[]... keysAndArgs) {
		try {
			return connection.scriptingCommands()
				.evalSha(this.sha.getBytes(StandardCharsets.US_ASCII), returnType, numKeys, keysAndArgs);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands()
				.eval(this.text.getBytes(StandardCharsets.UTF_8), returnType, numKeys, keysAndArgs);
		}
	}

	/**
	 * Run the script through a Lettuce connection and wait for its reply.
	 * @param scripting the connection's scripting commands
	 * @param timeout how long to wait
	 * @param keys the keys
	 * @param args the arguments
	 * @return the reply (lists of {@code byte[]}, {@code Long} and lists)
	 * @throws Exception if the command failed or timed out
	 */
	public @Nullable Object run(RedisScriptingAsyncCommands<String, byte[]> scripting, Duration timeout, String[] keys,
			byte[]... args) throws Exception {
		try {
			return scripting.evalsha(this.sha, ScriptOutputType.MULTI, keys, args)
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof RedisNoScriptException)) {
				throw ex;
			}
			return scripting.eval(this.text, ScriptOutputType.MULTI, keys, args)
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Send the script's text ({@code EVAL}) without waiting, so that it is pipelined with
	 * what follows on the connection and no {@code NOSCRIPT} can come back.
	 * @param scripting the connection's scripting commands
	 * @param keys the keys
	 * @param args the arguments
	 * @param <T> the reply type
	 * @return the reply to come
	 */
	public <T> RedisFuture<T> send(RedisScriptingAsyncCommands<String, byte[]> scripting, String[] keys,
			byte[]... args) {
		return scripting.eval(this.text, ScriptOutputType.MULTI, keys, args);
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current.getMessage() != null && current.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
