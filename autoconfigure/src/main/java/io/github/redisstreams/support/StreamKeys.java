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

}
