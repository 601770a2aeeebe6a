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
import java.util.zip.CRC32;

import org.springframework.util.Assert;

/**
 * Names of the keys the starter derives from a stream key. Every derived key lives in the
 * same Redis Cluster hash slot as its stream, so that scripts may touch both: a stream
 * without a hash tag gets one ({@code orders} becomes {@code {orders}:dlq}); a stream
 * that has one keeps it ({@code {shop}orders} becomes {@code {shop}orders:dlq}).
 *
 * @since 0.1.0
 */
public final class StreamKeys {

	/**
	 * Suffix of the dead-letter stream.
	 */
	public static final String DEAD_LETTER_SUFFIX = ":dlq";

	/**
	 * The sorted set of the streams that have (or recently had) delayed messages, scored
	 * by the last time a message was scheduled for each: where every instance's mover
	 * looks for work. One key for the whole database.
	 * @since 0.5.0
	 */
	public static final String DELAYED_STREAMS = "redis-streams:delayed-streams";

	private StreamKeys() {
	}

	/**
	 * Return the dead-letter stream of a stream.
	 * @param stream the stream key
	 * @return the dead-letter stream key
	 * @throws IllegalArgumentException if the stream is empty, or has no hash tag but
	 * contains a closing brace
	 */
	public static String deadLetterStream(String stream) {
		return derive(stream, DEAD_LETTER_SUFFIX);
	}

	/**
	 * Return the sorted set that schedules the retries of one consumer group.
	 * @param stream the stream key
	 * @param group the consumer group
	 * @return the retry schedule key
	 * @throws IllegalArgumentException if the stream or the group is empty, or the stream
	 * has no hash tag but contains a closing brace
	 */
	public static String retrySchedule(String stream, String group) {
		Assert.hasText(group, "'group' must not be empty");
		return derive(stream, ":retry:" + group);
	}

	/**
	 * Return the key that records an idempotency key a consumer group processed:
	 * {@code {stream}:processed:<n>:<group>:<key>}, where {@code n} is the length of the
	 * group's name (so that no other group and key can give the same Redis key).
	 * @param stream the stream key
	 * @param group the consumer group
	 * @param key the idempotency key
	 * @return the key, in the stream's hash slot
	 * @throws IllegalArgumentException if the stream or the group is empty, or the stream
	 * has no hash tag but contains a closing brace
	 * @since 0.5.0
	 */
	public static String processed(String stream, String group, String key) {
		Assert.hasText(group, "'group' must not be empty");
		return derive(stream, ":processed:" + group.length() + ":" + group + ":" + key);
	}

	/**
	 * Return the marker key of an idempotency key an application published:
	 * {@code {stream}:published:<n>:<application>:<key>}, where {@code n} is the length
	 * of the application's name.
	 * @param stream the stream key
	 * @param application the application's name (the producer)
	 * @param key the idempotency key
	 * @return the key, in the stream's hash slot
	 * @throws IllegalArgumentException if the stream or the application is empty, or the
	 * stream has no hash tag but contains a closing brace
	 * @since 0.5.0
	 */
	public static String published(String stream, String application, String key) {
		Assert.hasText(application, "'application' must not be empty");
		return derive(stream, ":published:" + application.length() + ":" + application + ":" + key);
	}

	/**
	 * Return the sorted set of a stream's delayed messages: their schedule ids scored by
	 * due time (milliseconds since the epoch), {@code {stream}:delayed}.
	 * @param stream the stream key the messages go to
	 * @return the key, in the stream's hash slot
	 * @throws IllegalArgumentException if the stream is empty, or has no hash tag but
	 * contains a closing brace
	 * @since 0.5.0
	 */
	public static String delayed(String stream) {
		return derive(stream, ":delayed");
	}

	/**
	 * Return the hash of a stream's delayed messages: their fields by schedule id,
	 * {@code {stream}:delayed:messages}.
	 * @param stream the stream key the messages go to
	 * @return the key, in the stream's hash slot
	 * @throws IllegalArgumentException if the stream is empty, or has no hash tag but
	 * contains a closing brace
	 * @since 0.5.0
	 */
	public static String delayedMessages(String stream) {
		return derive(stream, ":delayed:messages");
	}

	/**
	 * Return the key of a rate-limited listener's token bucket,
	 * {@code {stream}:rate-limit:<group>}.
	 * @param stream the stream key (for a partitioned stream, its name)
	 * @param group the consumer group
	 * @return the key, in the stream's hash slot
	 * @throws IllegalArgumentException if the stream or the group is empty, or the stream
	 * has no hash tag but contains a closing brace
	 * @since 0.5.0
	 */
	public static String rateLimit(String stream, String group) {
		Assert.hasText(group, "'group' must not be empty");
		return derive(stream, ":rate-limit:" + group);
	}

	/**
	 * Return the key of the lease a listener container holds on its instance id.
	 * @param stream the stream key
	 * @param group the consumer group
	 * @param instanceId the instance id
	 * @return the lease key, {@code {stream}:instance:<group>:<instance-id>}
	 * @throws IllegalArgumentException if the stream is empty, or has no hash tag but
	 * contains a closing brace
	 * @since 0.3.0
	 */
	public static String instanceLease(String stream, String group, String instanceId) {
		return derive(stream, ":instance:" + group + ":" + instanceId);
	}

	/**
	 * Return the pattern, without the ACL's {@code ~}, of the keys derived from a stream
	 * key: {@code {orders}*} for {@code orders}, {@code {shop}orders:*} for
	 * {@code {shop}orders}.
	 * @param stream the stream key
	 * @return the pattern
	 * @since 0.3.0
	 */
	public static String derivedKeyPattern(String stream) {
		return derive(stream, "").replaceAll("([*?\\[\\]])", "\\\\$1") + (hasHashTag(stream) ? ":*" : "*");
	}

	/**
	 * Return a key derived from a stream key, in the stream's hash slot.
	 * @param stream the stream key
	 * @param suffix the suffix
	 * @return the derived key
	 * @throws IllegalArgumentException if the stream is empty, or has no hash tag but
	 * contains {@code }}, which no derived key could keep in the stream's hash slot
	 */
	public static String derive(String stream, String suffix) {
		Assert.hasText(stream, "'stream' must not be empty");
		if (hasHashTag(stream)) {
			return stream + suffix;
		}
		Assert.isTrue(stream.indexOf('}') < 0, () -> "Stream key '" + stream + "' contains '}' but no hash tag, so "
				+ "the keys derived from it could not share its Redis Cluster hash slot; give it a hash tag such as "
				+ "'{name}...'");
		return "{" + stream + "}" + suffix;
	}

	/**
	 * Return whether keys can be derived from a stream key: it is not empty, and has a
	 * hash tag or no closing brace.
	 * @param stream the stream key
	 * @return whether {@link #derive(String, String)} accepts it
	 * @since 0.5.0
	 */
	public static boolean canDerive(String stream) {
		return !stream.isEmpty() && (hasHashTag(stream) || stream.indexOf('}') < 0);
	}

	/**
	 * Return whether a key has a hash tag: a non-empty substring between the first
	 * {@code {} and the next {@code }}.
	 * @param key the key
	 * @return whether the key has a hash tag
	 */
	public static boolean hasHashTag(String key) {
		int open = key.indexOf('{');
		if (open < 0) {
			return false;
		}
		int close = key.indexOf('}', open + 1);
		return close > open + 1;
	}

	/**
	 * Return the stream of one partition of a partitioned stream: {@code orders:{3}} for
	 * partition 3 of {@code orders}. The partition number is the hash tag, so each
	 * partition has its own Redis Cluster hash slot, and the keys derived from it (the
	 * dead-letter stream {@code orders:{3}:dlq}, the retry schedule) share it.
	 * @param stream the partitioned stream's name, without a hash tag
	 * @param partition the partition, from 0
	 * @return the partition's stream key
	 * @throws IllegalArgumentException if the stream is empty or contains a brace (a hash
	 * tag would put every partition in one hash slot), or the partition is negative
	 * @since 0.4.0
	 */
	public static String partition(String stream, int partition) {
		checkPartitionable(stream);
		Assert.isTrue(partition >= 0, () -> "partition must not be negative, was " + partition);
		return stream + ":{" + partition + "}";
	}

	/**
	 * Return the partition a partition key routes to: the CRC-32 (as
	 * {@link java.util.zip.CRC32} computes it) of the key's UTF-8 bytes, modulo the
	 * number of partitions. Stable across instances, restarts and languages: the same key
	 * goes to the same partition as long as the number of partitions stays the same.
	 * @param partitionKey the partition key
	 * @param partitions the number of partitions, at least 1
	 * @return the partition, from 0 to {@code partitions - 1}
	 * @throws IllegalArgumentException if {@code partitions} is less than 1
	 * @since 0.4.0
	 */
	public static int partitionOf(String partitionKey, int partitions) {
		Assert.notNull(partitionKey, "'partitionKey' must not be null");
		Assert.isTrue(partitions > 0, () -> "partitions must be at least 1, was " + partitions);
		CRC32 crc = new CRC32();
		crc.update(partitionKey.getBytes(StandardCharsets.UTF_8));
		return (int) (crc.getValue() % partitions);
	}

	/**
	 * Check that a stream may be partitioned: its name has no brace, so that the
	 * partition number is each partition's hash tag.
	 * @param stream the stream's name
	 * @throws IllegalArgumentException if it is empty or contains a brace
	 * @since 0.4.0
	 */
	public static void checkPartitionable(String stream) {
		Assert.hasText(stream, "'stream' must not be empty");
		Assert.isTrue(stream.indexOf('{') < 0 && stream.indexOf('}') < 0,
				() -> "Stream '" + stream + "' cannot be partitioned: its name contains a brace, and a hash tag "
						+ "would put every partition in one Redis Cluster hash slot; the partitions are "
						+ "'<stream>:{0}', '<stream>:{1}', ..., so use a name without braces");
	}

}
