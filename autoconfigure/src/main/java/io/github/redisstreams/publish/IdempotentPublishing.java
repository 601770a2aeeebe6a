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

package io.github.redisstreams.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.LuaScript;
import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamKeys;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Publishes at most once per idempotency key and application within a window: with
 * {@code XADD ... IDMP <application> <key>} where the server offers it (Redis 8.6+;
 * {@code publish-idmp.lua}), else with a marker key written in the same script as the
 * entry ({@code publish-once.lua}, key
 * {@code {stream}:published:<n>:<application>:<key>}, expiring after the window). The
 * {@code IDMP} script also honours a marker key, so a key published by the marker path
 * (before an upgrade, or by an instance that fell back) is not published again. It
 * configures a stream's window only while no producer's keys are remembered there
 * ({@code XCFGSET} forgets them all); a stream configured otherwise keeps its window,
 * with one warning. A server that refuses the {@code IDMP} script (a node of an older
 * version) switches this publisher to the marker script for good, with one warning; so
 * does a user not granted its commands ({@code NOPERM}), once the marker script
 * succeeded, with one warning naming the rules to grant. Thread-safe.
 */
final class IdempotentPublishing {

	private static final Log logger = LogFactory.getLog(RedisStreamPublisher.class);

	/** The largest {@code IDMP-DURATION} Redis accepts, in seconds. */
	static final long MAX_SERVER_WINDOW_SECONDS = 86_400;

	/** The largest {@code IDMP-MAXSIZE} Redis accepts: ids remembered per producer. */
	static final int MAX_SERVER_KEYS = 10_000;

	private static final LuaScript ONCE = LuaScript.load(IdempotentPublishing.class, "publish-once.lua");

	private static final LuaScript IDMP = LuaScript.load(IdempotentPublishing.class, "publish-idmp.lua");

	/**
	 * The rules {@code publish-idmp.lua} needs beyond those of the marker path
	 * ({@code +command|docs} for the probe to find {@code IDMP} at all).
	 */
	static final String IDMP_RULES = "+xinfo|stream +xcfgset (and +xgroup|create +xgroup|destroy, with which it "
			+ "creates a stream that does not exist yet)";

	private final @Nullable String producerId;

	private final Duration window;

	private final BooleanSupplier serverIdempotency;

	/** Most fields ({@code name value} pairs) a script takes: Lua's unpack limit. */
	static final int MAX_FIELDS = 3_500;

	private volatile boolean serverRefused;

	private final AtomicBoolean aclRefusalLogged = new AtomicBoolean();

	private final Set<String> warnedStreams = ConcurrentHashMap.newKeySet();

	IdempotentPublishing(@Nullable String producerId, Duration window, BooleanSupplier serverIdempotency) {
		this.producerId = producerId;
		this.window = window;
		this.serverIdempotency = serverIdempotency;
	}

	Duration window() {
		return this.window;
	}

	/**
	 * Publish the fields unless the key was published within the window.
	 * @return the entry id, and whether it is a duplicate
	 */
	PublishResult publish(StringRedisTemplate template, String stream, String key, Map<String, String> fields) {
		String producer = producer();
		Assert.isTrue(fields.size() <= MAX_FIELDS, () -> "A publish with an idempotency key takes at most " + MAX_FIELDS
				+ " fields (payload and headers), was " + fields.size());
		String marker = StreamKeys.published(stream, producer, key);
		if (!this.serverRefused && this.serverIdempotency.getAsBoolean()) {
			try {
				List<?> reply = run(template, IDMP, List.of(stream, marker),
						List.of(producer, key, Long.toString(serverWindowSeconds()), Integer.toString(MAX_SERVER_KEYS)),
						fields);
				warnIfWindowDiffers(stream, ((Number) reply.get(2)).longValue(), ((Number) reply.get(3)).longValue());
				return result(stream, reply);
			}
			catch (DataAccessException ex) {
				if (isRefusedByAcl(ex)) {
					// switched only if the marker path is allowed: else its own refusal
					// is
					// the one to fix
					PublishResult result = publishOnce(template, stream, marker, fields);
					this.serverRefused = true;
					if (this.aclRefusalLogged.compareAndSet(false, true)) {
						logger.warn("Redis refused the server's idempotent publishing on stream '" + stream + "' ("
								+ RedisRefusal.withScript(ex) + "); idempotent publishing uses marker keys from now "
								+ "on. To use XADD ... IDMP, grant the Redis user " + IDMP_RULES
								+ " (see 'Running with least privilege' in the README), or set "
								+ "redis.streams.publish.server-idempotency=false");
					}
					return result;
				}
				if (!isRefusedByOlderServer(ex)) {
					throw ex;
				}
				this.serverRefused = true;
				logger.warn("Redis refused XADD ... IDMP (" + ex.getMostSpecificCause().getMessage()
						+ "); idempotent publishing uses marker keys from now on");
			}
		}
		return publishOnce(template, stream, marker, fields);
	}

	private PublishResult publishOnce(StringRedisTemplate template, String stream, String marker,
			Map<String, String> fields) {
		return result(stream,
				run(template, ONCE, List.of(stream, marker), List.of(Long.toString(this.window.toMillis())), fields));
	}

	/**
	 * Return the marker key of an idempotency key: what a delayed message with that key
	 * writes when it is scheduled (the server's {@code IDMP} applies to {@code XADD}
	 * only).
	 * @throws IllegalStateException if no producer id is set
	 */
	String marker(String stream, String key) {
		return StreamKeys.published(stream, producer(), key);
	}

	private String producer() {
		String producer = this.producerId;
		Assert.state(producer != null && !producer.isEmpty(),
				() -> "Publishing with an idempotency key needs the application's name, which makes the key unique "
						+ "per application: set spring.application.name (or call "
						+ "RedisStreamPublisher.setIdempotency)");
		return producer;
	}

	/**
	 * The window on the server: whole seconds, from 1 to Redis's 24 hours.
	 */
	long serverWindowSeconds() {
		long seconds = (this.window.toMillis() + 999) / 1000;
		return Math.max(1, Math.min(MAX_SERVER_WINDOW_SECONDS, seconds));
	}

	private void warnIfWindowDiffers(String stream, long seconds, long keys) {
		if (seconds < 0 || (seconds == serverWindowSeconds() && keys == MAX_SERVER_KEYS)) {
			return;
		}
		if (this.warnedStreams.add(stream)) {
			logger.warn("Stream '" + stream + "' remembers idempotency keys for " + seconds + " s and at most " + keys
					+ " keys per producer (set by another publisher), not the " + serverWindowSeconds()
					+ " s of redis.streams.publish.idempotency-window: it is left as it is, since changing it would "
					+ "forget every producer's keys. Give all publishers of the stream the same window, or set "
					+ "redis.streams.publish.server-idempotency=false");
		}
	}

	/**
	 * A user not granted every command of {@code publish-idmp.lua} ({@code NOPERM}, or
	 * "ACL failure in script"): Redis repeats it until the rule is granted.
	 */
	static boolean isRefusedByAcl(DataAccessException ex) {
		return RedisRefusal.of(ex) == RedisRefusal.NO_PERMISSION;
	}

	/**
	 * An older server refuses {@code XADD ... IDMP} ({@code ERR syntax error}) or
	 * {@code XCFGSET} ({@code ERR Unknown Redis command called from script}, or
	 * {@code unknown command} outside scripts).
	 */
	static boolean isRefusedByOlderServer(DataAccessException ex) {
		String message = String.valueOf(ex.getMostSpecificCause().getMessage()).toLowerCase(Locale.ROOT);
		return message.contains("syntax error") || (message.contains("unknown") && message.contains("command"));
	}

	private static List<?> run(StringRedisTemplate template, LuaScript script, List<String> keys, List<String> args,
			Map<String, String> fields) {
		List<byte[]> arguments = new ArrayList<>();
		keys.forEach((key) -> arguments.add(bytes(key)));
		args.forEach((arg) -> arguments.add(bytes(arg)));
		fields.forEach((name, value) -> {
			arguments.add(bytes(name));
			arguments.add(bytes(value));
		});
		Object reply = template.execute((RedisCallback<Object>) (connection) -> {
			Object result = script.run(connection, ReturnType.MULTI, keys.size(), arguments.toArray(byte[][]::new));
			return (result != null) ? result : List.of();
		});
		Assert.state(reply instanceof List<?> list && list.size() >= 2,
				"The idempotent publish script returned no id (was it sent inside a pipeline or transaction?)");
		return (List<?>) reply;
	}

	private static PublishResult result(String stream, List<?> result) {
		String id = (result.get(0) instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
				: String.valueOf(result.get(0));
		return new PublishResult(stream, id, ((Number) result.get(1)).longValue() == 1);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
