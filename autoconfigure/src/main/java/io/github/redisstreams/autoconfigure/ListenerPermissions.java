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

package io.github.redisstreams.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.RateLimit;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.support.RedisPermission;
import io.github.redisstreams.support.StreamKeys;

/**
 * The commands and keys the starter will use, for {@link PermissionsCheck}: one list,
 * kept beside the code by {@code LeastPrivilegeIntegrationTests}, which runs every
 * feature as a user granted exactly the required rules.
 */
final class ListenerPermissions {

	private static final String STATE = "health, gauges and the redis-streams endpoint read the group's state";

	private final List<RedisPermission> permissions = new ArrayList<>();

	private final Set<List<String>> seen = new LinkedHashSet<>();

	/**
	 * Add what one listener needs.
	 * @param container the listener
	 * @param deadLetterStream its dead-letter stream
	 * @param deadLetters whether the starter's own dead-letter publisher is used
	 * @param deadLetterEndpoint whether dead letters may be listed, redriven and purged
	 * @return this
	 */
	ListenerPermissions add(StreamListenerContainer container, String deadLetterStream, boolean deadLetters,
			boolean deadLetterEndpoint) {
		String listener = "listener '" + container.getListenerId() + "'";
		String s = container.getStream();
		String g = container.getGroup();
		String c = container.getSettings().consumerName(0);
		String r = StreamKeys.retrySchedule(s, g);
		String lease = StreamKeys.instanceLease(s, container.getSettings().getConfiguredGroup(),
				container.getSettings().getInstanceId());
		String d = deadLetterStream;
		String streamPattern = escape(s);
		String derived = StreamKeys.derivedKeyPattern(s);
		String dPattern = d.equals(StreamKeys.deadLetterStream(s)) ? derived : escape(d);

		required(s, streamPattern, listener + " reads entries", "XREADGROUP", "GROUP", g, c, "COUNT", "1", "STREAMS", s,
				">");
		required(s, streamPattern, listener + " acknowledges entries", "XACK", s, g, "0-1");
		required(s, streamPattern, listener + " runs its scripts", "EVALSHA", "0", "1", s);
		required(r, derived, listener + " runs its scripts", "EVALSHA", "0", "1", r);
		required(s, streamPattern, listener + " runs its scripts", "EVAL", "return 1", "1", s);
		required(r, derived, listener + " runs its scripts", "EVAL", "return 1", "1", r);
		required(s, streamPattern, listener + " tracks pending entries", "XPENDING", s, g, "0-1", "0-1", "1");
		required(s, streamPattern, listener + " claims entries", "XCLAIM", s, g, c, "0", "0-1", "JUSTID");
		required(s, streamPattern, listener + " reclaims idle entries", "XAUTOCLAIM", s, g, c, "0", "0-0", "COUNT", "1",
				"JUSTID");
		required(r, derived, listener + " schedules retries", "ZADD", r, "0", "0-1");
		required(r, derived, listener + " claims due retries", "ZRANGEBYSCORE", r, "-inf", "0", "LIMIT", "0", "1");
		required(r, derived, listener + " claims due retries", "ZREM", r, "0-1");
		required(r, derived, listener + " claims due retries", "ZRANGE", r, "0", "0", "WITHSCORES");
		required(r, derived, listener + " reclaims idle entries", "ZSCORE", r, "0-1");
		required(lease, derived, listener + " leases its instance id", "GET", lease);
		required(lease, derived, listener + " leases its instance id", "SET", lease, "x", "PX", "1");
		required(lease, derived, listener + " leases its instance id", "DEL", lease);
		required(s, streamPattern, STATE, "XLEN", s);
		required(s, streamPattern, STATE, "XINFO", "GROUPS", s);
		required(s, streamPattern, STATE, "XINFO", "CONSUMERS", s, g);
		required(s, streamPattern, STATE, "XPENDING", s, g);
		required(r, derived, STATE, "ZCARD", r);
		required(d, dPattern, STATE, "XLEN", d);
		optional(s, streamPattern, listener + " creates its consumer group at startup",
				"the group must exist before the application starts", "XGROUP", "CREATE", s, g, "$", "MKSTREAM");
		optional(s, streamPattern, listener + " removes consumers of instances that are gone",
				"they stay listed in the group, with nothing pending", "XGROUP", "DELCONSUMER", s, g, c);
		optional(s, streamPattern, listener + " names the type of a key that is not a stream",
				"a WRONGTYPE refusal does not say what the key holds", "TYPE", s);
		optional(null, null, listener + " interrupts its blocking reads when it stops",
				"stopping waits up to the poll timeout", "CLIENT", "ID");
		optional(null, null, listener + " interrupts its blocking reads when it stops",
				"stopping waits up to the poll timeout", "CLIENT", "UNBLOCK", "1");
		optional(null, null, STATE, "the age of pending entries is measured by the application's clock", "TIME");
		if (container.getSettings().isBroadcast()) {
			String gone = "groups of broadcast instances that are gone stay (and hold back retention)";
			String removes = listener + " removes the groups of broadcast instances that are gone";
			String otherLease = StreamKeys.instanceLease(s, container.getSettings().getConfiguredGroup(), "gone");
			String otherRetries = StreamKeys.retrySchedule(s, container.getSettings().getConfiguredGroup() + ".gone");
			optional(s, streamPattern, removes, gone, "XGROUP", "DESTROY", s, "gone");
			optional(otherLease, derived, removes, gone, "EXISTS", otherLease);
			optional(otherRetries, derived, removes, gone, "DEL", otherRetries);
			String registry = StreamKeys.derive(s, ":broadcast:" + container.getSettings().getConfiguredGroup());
			optional(registry, derived, removes, gone, "HSET", registry, "id", "group");
			optional(registry, derived, removes, gone, "HKEYS", registry);
			optional(registry, derived, removes, gone, "HDEL", registry, "id");
		}
		RateLimit rateLimit = container.getSettings().getRateLimit();
		if (rateLimit != null) {
			String bucket = StreamKeys.rateLimit(container.getRateLimitStream(), g) + ":" + rateLimit.token();
			String bucketPattern = StreamKeys.derivedKeyPattern(container.getRateLimitStream());
			String permits = listener + " takes permits from its rate limit";
			required(bucket, bucketPattern, permits, "GET", bucket);
			required(bucket, bucketPattern, permits, "EVAL", "return 1", "1", bucket);
			// Bucket4j's scripts
			required(bucket, bucketPattern, permits, "SET", bucket, "x", "NX", "PX", "1");
			required(bucket, bucketPattern, permits, "PSETEX", bucket, "1", "x");
			String idle = listener + " waits for new entries holding no permit";
			required(s, streamPattern, idle, "XREVRANGE", s, "+", "-", "COUNT", "1");
			required(s, streamPattern, idle, "XREAD", "COUNT", "1", "STREAMS", s, "0-0");
		}
		if (container.getSettings().getIdempotencyHeader() != null) {
			String processed = StreamKeys.processed(s, g, "k");
			required(processed, derived, listener + " looks up the keys it processed", "MGET", processed);
			required(processed, derived, listener + " records the keys it processed", "SET", processed, "x", "PX", "1");
			required(processed, derived, listener + " records the keys it processed", "EVAL", "return 1", "1",
					processed);
		}
		if (trims(container)) {
			required(s, streamPattern, listener + " trims its stream to its retention limits", "XTRIM", s, "MINID",
					"0-1");
			required(s, streamPattern, listener + " trims its stream to its retention limits", "XRANGE", s, "-", "+",
					"COUNT", "1");
			required(s, streamPattern, listener + " trims its stream to its retention limits", "EXISTS", s);
		}
		if (deadLetters) {
			required(d, dPattern, listener + " dead-letters entries", "XADD", d, "*", "f", "v");
			required(d, dPattern, listener + " dead-letters entries", "EVALSHA", "0", "1", d);
			required(d, dPattern, listener + " dead-letters entries", "EVAL", "return 1", "1", d);
			String wide = "an entry with more than 3,500 fields cannot be dead-lettered or redriven (it stays pending)";
			optional(d, dPattern, "dead letters of more than 3,500 fields", wide, "WATCH", d);
			optional(null, null, "dead letters of more than 3,500 fields", wide, "MULTI");
			optional(null, null, "dead letters of more than 3,500 fields", wide, "EXEC");
		}
		if (deadLetterEndpoint) {
			optional(d, dPattern, "the dead-letters endpoint lists dead letters", "they cannot be listed or counted",
					"XREVRANGE", d, "+", "-", "COUNT", "1");
			optional(d, dPattern, "the dead-letters endpoint lists dead letters", "they cannot be listed or counted",
					"XRANGE", d, "-", "+", "COUNT", "1");
			optional(s, streamPattern, "the dead-letters endpoint redrives dead letters", "they cannot be redriven",
					"XADD", s, "*", "f", "v");
			optional(d, dPattern, "the dead-letters endpoint redrives dead letters", "they cannot be redriven", "XDEL",
					d, "0-1");
			optional(d, dPattern, "the dead-letters endpoint purges dead letters", "they cannot be purged", "DEL", d);
		}
		return this;
	}

	/**
	 * Add what this instance's delayed-delivery mover needs: the streams with delayed
	 * messages, and moving them into the listeners' streams (the streams it most likely
	 * moves into; others cannot be known in advance).
	 * @param streams the listeners' streams
	 * @return this
	 */
	ListenerPermissions addDelayedDeliveryMover(Collection<String> streams) {
		String index = StreamKeys.DELAYED_STREAMS;
		String use = "this instance moves delayed messages when due";
		String withoutIt = "other instances move them, this one cannot (or set redis.streams.delayed.enabled=false)";
		optional(index, escape(index), use, withoutIt, "ZRANGE", index, "0", "-1", "WITHSCORES");
		optional(index, escape(index), use, withoutIt, "EVALSHA", "0", "1", index);
		optional(index, escape(index), use, withoutIt, "EVAL", "return 1", "1", index);
		optional(index, escape(index), use, withoutIt, "ZSCORE", index, "s");
		optional(index, escape(index), use, withoutIt, "ZREM", index, "s");
		for (String s : streams) {
			String delayed = StreamKeys.delayed(s);
			String messages = StreamKeys.delayedMessages(s);
			String derived = StreamKeys.derivedKeyPattern(s);
			String into = "this instance moves delayed messages into '" + s + "' when due";
			optional(delayed, derived, into, withoutIt, "ZRANGEBYSCORE", delayed, "-inf", "0", "LIMIT", "0", "1");
			optional(delayed, derived, into, withoutIt, "ZREM", delayed, "m");
			optional(delayed, derived, into, withoutIt, "ZCARD", delayed);
			optional(messages, derived, into, withoutIt, "HGET", messages, "m");
			optional(messages, derived, into, withoutIt, "HDEL", messages, "m");
			optional(s, escape(s), into, withoutIt, "XADD", s, "*", "f", "v");
		}
		return this;
	}

	private static boolean trims(StreamListenerContainer container) {
		return container.getSettings().getRetentionMaxLength() > 0
				|| !container.getSettings().getRetentionMaxAge().isZero();
	}

	/**
	 * Return the permissions, each command on each key once.
	 * @return the permissions
	 */
	List<RedisPermission> toList() {
		return List.copyOf(this.permissions);
	}

	private void required(@Nullable String key, @Nullable String pattern, String use, String... words) {
		add(new RedisPermission(Arrays.asList(words), key, pattern, use, null));
	}

	private void optional(@Nullable String key, @Nullable String pattern, String use, String withoutIt,
			String... words) {
		add(new RedisPermission(Arrays.asList(words), key, pattern, use, withoutIt));
	}

	private void add(RedisPermission permission) {
		List<String> identity = new ArrayList<>(permission.words().subList(0, Math.min(2, permission.words().size())));
		identity.add(String.valueOf(permission.key()));
		if (this.seen.add(identity)) {
			this.permissions.add(permission);
		}
	}

	private static String escape(String key) {
		return key.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
	}

}
