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

package io.github.redisstreams.listener;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.redisstreams.support.StreamKeys;

/**
 * What the parts of one container share: the container (for the metrics), the listener
 * id, the stream and the listener's settings.
 *
 * @param container the container
 * @param listenerId the listener id
 * @param stream the stream key
 * @param rateLimitStream the stream whose rate limit the container shares: its own, or
 * the partitioned stream's name
 * @param values the listener's settings
 */
record ContainerSettings(StreamListenerContainer container, String listenerId, String stream, String rateLimitStream,
		ListenerSettings values) {

	private static final Pattern PARTITION = Pattern.compile(":\\{(\\d+)}$");

	/**
	 * Return the consumer group.
	 * @return the group
	 */
	String group() {
		return this.values.getGroup();
	}

	/**
	 * Return the name of the consumer with the given index.
	 * @param index the consumer index, from 0 to {@code concurrency - 1}
	 * @return the consumer name
	 */
	String consumerName(int index) {
		return this.values.consumerName(index);
	}

	/**
	 * Return the name under which this instance claims orphaned entries.
	 * @return the claimer name
	 */
	String claimerName() {
		return this.values.claimerName();
	}

	/**
	 * Return the prefix of this container's thread names:
	 * {@code redis-streams-<listener-id>-}, with {@code p<n>-} added for partition
	 * {@code n} of a partitioned stream.
	 * @return the prefix
	 */
	String threadNamePrefix() {
		Matcher partition = PARTITION.matcher(this.stream);
		return "redis-streams-" + this.listenerId + "-" + (partition.find() ? "p" + partition.group(1) + "-" : "");
	}

	/**
	 * The key of the listener's token bucket: one per listener, group and rate, for a
	 * partitioned listener in the slot of the partitioned stream's name (one bucket for
	 * all partitions). The rate is part of the key: Bucket4j keeps the configuration a
	 * bucket was created with, so a changed rate starts a bucket of its own.
	 */
	String rateLimitKey(RateLimit limit) {
		return StreamKeys.rateLimit(this.rateLimitStream, this.values.getGroup()) + ":" + limit.token();
	}

	/**
	 * Return the key of the group's retry schedule.
	 * @return the retry schedule key
	 */
	String retrySchedule() {
		return StreamKeys.retrySchedule(this.stream, this.values.getGroup());
	}

}
