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

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.lang.Contract;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * What the starter found out about the Redis server it talks to: which server and
 * version, which stream commands it offers, and whether its configuration keeps messages
 * safe. Immutable and thread-safe.
 *
 * @param serverName the server's name: {@code redis}, or {@code valkey} for Valkey (from
 * {@code INFO server}, field {@code server_name})
 * @param version the server's own version: {@code valkey_version} for Valkey (which
 * reports {@code redis_version:7.2.4} forever), else {@code redis_version}
 * @param capabilities the names (upper case) of the probed commands the server offers,
 * for example {@value #XAUTOCLAIM}
 * @param maxmemoryPolicy the {@code maxmemory-policy}, or {@code null} if it could not be
 * read
 * @param appendOnly whether append-only persistence is on, or {@code null} if unknown
 * @param warnings what is unsafe about the server, one sentence each
 * @since 0.1.0
 */
public record RedisServerInfo(String serverName, String version, Set<String> capabilities,
		@Nullable String maxmemoryPolicy, @Nullable Boolean appendOnly, List<String> warnings) {

	/**
	 * {@code XAUTOCLAIM} (Redis 6.2+): needed to recover the pending entries of consumers
	 * that died.
	 */
	public static final String XAUTOCLAIM = "XAUTOCLAIM";

	/**
	 * {@code XACKDEL} (Redis 8.2+, Valkey 9.2+): acknowledge and delete in one command.
	 */
	public static final String XACKDEL = "XACKDEL";

	/**
	 * {@code XREADGROUP}: consumer groups (Redis 5+).
	 */
	public static final String XREADGROUP = "XREADGROUP";

	/**
	 * {@code XDELEX} (Redis 8.2+): delete entries, optionally only those that every
	 * consumer group acknowledged ({@code ACKED}).
	 */
	public static final String XDELEX = "XDELEX";

	/**
	 * The {@code CLAIM min-idle-time} argument of {@code XREADGROUP} (Redis 8.4+): a
	 * consumer takes over entries idle in the group's pending entries list in the read
	 * itself. Found in the command's {@code COMMAND DOCS}, not inferred from a version.
	 */
	public static final String XREADGROUP_CLAIM = "XREADGROUP CLAIM";

	/**
	 * The {@code IDMP producer-id idempotent-id} argument of {@code XADD} (Redis 8.6+):
	 * the server adds an entry at most once per producer and idempotent id. Found in the
	 * command's {@code COMMAND DOCS}, not inferred from a version.
	 */
	public static final String XADD_IDMP = "XADD IDMP";

	/**
	 * The {@code maxmemory-policy} that never evicts a stream.
	 */
	public static final String NOEVICTION = "noeviction";

	/**
	 * Create an instance.
	 * @param serverName the server's name
	 * @param version the server's own version
	 * @param capabilities the probed commands the server offers
	 * @param maxmemoryPolicy the {@code maxmemory-policy}, or {@code null}
	 * @param appendOnly whether append-only persistence is on, or {@code null}
	 * @param warnings what is unsafe about the server
	 * @throws IllegalArgumentException if the name or the version is empty, or the
	 * capabilities or the warnings are {@code null}
	 */
	public RedisServerInfo {
		Assert.hasText(serverName, "'serverName' must not be empty");
		Assert.hasText(version, "'version' must not be empty");
		Assert.notNull(capabilities, "'capabilities' must not be null");
		Assert.notNull(warnings, "'warnings' must not be null");
		capabilities = Collections.unmodifiableSet(new LinkedHashSet<>(capabilities));
		warnings = List.copyOf(warnings);
	}

	/**
	 * Create the description of a server from what it reported, with the warnings that
	 * follow from it.
	 * @param serverName the {@code server_name} field of {@code INFO server}, or
	 * {@code null} (Redis before 7.2 has none)
	 * @param redisVersion the {@code redis_version} field
	 * @param valkeyVersion the {@code valkey_version} field, or {@code null}
	 * @param capabilities the probed commands the server offers, or {@code null} if they
	 * could not be probed ({@code COMMAND INFO} refused), in which case they are inferred
	 * from the version
	 * @param maxmemoryPolicy the {@code maxmemory-policy}, or {@code null} if unknown
	 * @param appendOnly whether append-only persistence is on, or {@code null} if unknown
	 * @return the description
	 */
	public static RedisServerInfo of(@Nullable String serverName, @Nullable String redisVersion,
			@Nullable String valkeyVersion, @Nullable Set<String> capabilities, @Nullable String maxmemoryPolicy,
			@Nullable Boolean appendOnly) {
		String name = hasText(serverName) ? serverName.trim().toLowerCase(Locale.ROOT) : "redis";
		String version = hasText(valkeyVersion) ? valkeyVersion.trim()
				: (hasText(redisVersion) ? redisVersion.trim() : "unknown");
		List<String> warnings = new ArrayList<>();
		Set<String> normalized = new LinkedHashSet<>();
		if (capabilities != null) {
			capabilities.forEach((command) -> normalized.add(command.toUpperCase(Locale.ROOT)));
		}
		else {
			normalized.addAll(inferCapabilities(name, version));
			warnings.add("the server refused COMMAND INFO; its commands were inferred from its version "
					+ "(grant +command|info, as README's least-privilege rules do)");
		}
		String policy = hasText(maxmemoryPolicy) ? maxmemoryPolicy.trim().toLowerCase(Locale.ROOT) : null;
		if (policy == null) {
			warnings.add("the maxmemory-policy could not be read; unless it is 'noeviction', an evicted stream "
					+ "loses every message and its consumer groups");
		}
		else if (!NOEVICTION.equals(policy)) {
			warnings.add("maxmemory-policy is '" + policy + "', not 'noeviction': an evicted stream loses every "
					+ "message and its consumer groups");
		}
		if (Boolean.FALSE.equals(appendOnly)) {
			warnings.add("append-only persistence is off (appendonly no): acknowledged publishes can be lost when "
					+ StringUtils.capitalize(name) + " restarts");
		}
		String knownBug = knownStreamBug(name, version);
		if (knownBug != null) {
			warnings.add(knownBug);
		}
		return new RedisServerInfo(name, version, normalized, policy, appendOnly, warnings);
	}

	/**
	 * Return a copy that offers more commands or arguments, for example those found in
	 * {@code COMMAND DOCS} where {@code COMMAND INFO} was refused.
	 * @param more the names (any case) to add
	 * @return the copy
	 */
	public RedisServerInfo withCapabilities(Set<String> more) {
		Set<String> all = new LinkedHashSet<>(this.capabilities);
		more.forEach((command) -> all.add(command.toUpperCase(Locale.ROOT)));
		return new RedisServerInfo(this.serverName, this.version, all, this.maxmemoryPolicy, this.appendOnly,
				this.warnings);
	}

	/**
	 * Return whether the server offers a command.
	 * @param command the command name, in any case
	 * @return whether it was found by the probe
	 */
	public boolean hasCapability(String command) {
		return this.capabilities.contains(command.toUpperCase(Locale.ROOT));
	}

	/**
	 * Return whether the starter can work with this server: it needs {@code XAUTOCLAIM},
	 * which appeared in Redis 6.2.
	 * @return whether the server is supported
	 */
	public boolean isSupported() {
		return hasCapability(XAUTOCLAIM);
	}

	/**
	 * Throw if the starter cannot work with this server.
	 * @throws IllegalStateException if the server lacks {@code XAUTOCLAIM}, that is, it
	 * is older than Redis 6.2
	 */
	public void assertSupported() {
		if (!isSupported()) {
			throw new IllegalStateException(getUnsupportedMessage());
		}
	}

	/**
	 * Return why the server is not supported.
	 * @return the message, naming the server and its version
	 */
	public String getUnsupportedMessage() {
		return "Redis Streams for Spring Boot needs Redis 6.2 or later: " + getDescription()
				+ " does not offer XAUTOCLAIM, without which the pending entries of consumers that died are "
				+ "never recovered. Upgrade the server, or set redis.streams.enabled=false";
	}

	/**
	 * Return the server's name and version, for example {@code Redis 7.0.15} or
	 * {@code Valkey 8.0.1}.
	 * @return the description
	 */
	public String getDescription() {
		return StringUtils.capitalize(this.serverName) + " " + this.version;
	}

	private static Set<String> inferCapabilities(String serverName, String version) {
		Set<String> inferred = new LinkedHashSet<>();
		int[] parts = parseVersion(version);
		if (parts == null) {
			// nothing known: do not refuse a server for lack of information
			inferred.add(XREADGROUP);
			inferred.add(XAUTOCLAIM);
			return inferred;
		}
		boolean valkey = "valkey".equals(serverName);
		if (valkey || atLeast(parts, 5, 0)) {
			inferred.add(XREADGROUP);
		}
		if (valkey || atLeast(parts, 6, 2)) {
			inferred.add(XAUTOCLAIM);
		}
		if (valkey ? atLeast(parts, 9, 2) : atLeast(parts, 8, 2)) {
			inferred.add(XACKDEL);
		}
		if (!valkey && atLeast(parts, 8, 2)) {
			inferred.add(XDELEX);
		}
		return inferred;
	}

	private static boolean atLeast(int[] parts, int major, int minor) {
		return parts[0] > major || (parts[0] == major && parts[1] >= minor);
	}

	private static @Nullable String knownStreamBug(String serverName, String version) {
		if (!"redis".equals(serverName)) {
			return null;
		}
		int[] parts = parseVersion(version);
		if (parts == null) {
			return null;
		}
		if (parts[0] == 6 && parts[1] == 2 && parts[2] < 2) {
			return "Redis " + version + " has XAUTOCLAIM bugs fixed in 6.2.2 (the cursor re-claims the last "
					+ "entry, JUSTID increments the delivery counter): upgrade to 6.2.2 or later";
		}
		if (parts[0] == 7 && parts[1] == 0 && parts[2] < 5) {
			return "Redis " + version + " has XAUTOCLAIM heap overflows (CVE-2022-31144, CVE-2022-35951) "
					+ "fixed in 7.0.5: upgrade to 7.0.5 or later";
		}
		return null;
	}

	private static int @Nullable [] parseVersion(String version) {
		String[] tokens = version.split("\\.");
		if (tokens.length < 3) {
			return null;
		}
		int[] parts = new int[3];
		for (int i = 0; i < 3; i++) {
			String digits = tokens[i].replaceAll("[^0-9].*$", "");
			if (digits.isEmpty()) {
				return null;
			}
			try {
				parts[i] = Integer.parseInt(digits);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return parts;
	}

	@Contract("null -> false")
	private static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

}
