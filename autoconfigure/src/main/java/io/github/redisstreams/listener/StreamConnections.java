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

import java.time.Duration;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.UnblockType;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Opens the dedicated Lettuce connections that consumers block on. They come from the
 * application's {@link LettuceConnectionFactory} client, so they share its address,
 * credentials, TLS and client resources, but never its shared connection: a blocking
 * {@code XREADGROUP} on a shared connection would stall every other command queued on it.
 * Also refreshes the Redis Cluster topology after a failure and wakes blocked consumers
 * ({@code CLIENT UNBLOCK}, on a connection of its own). Thread-safe.
 */
final class StreamConnections {

	static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	/**
	 * The shortest wait for a reply on the starter's connections.
	 */
	static final Duration MIN_WAIT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(StreamConnections.class);

	private final LettuceConnectionFactory connectionFactory;

	private final ClusterTopologyProbe topologyProbe = new ClusterTopologyProbe();

	StreamConnections(RedisConnectionFactory connectionFactory) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalStateException("Redis Streams listeners need Lettuce (the default of "
					+ "spring-boot-starter-data-redis), but the RedisConnectionFactory is a "
					+ connectionFactory.getClass().getName());
		}
		this.connectionFactory = lettuce;
	}

	/**
	 * Return the command timeout of the application's connection factory.
	 * @return the command timeout
	 */
	Duration commandTimeout() {
		return Duration.ofMillis(this.connectionFactory.getTimeout());
	}

	/**
	 * Return how long the starter waits for a reply on its own connections: the command
	 * timeout, but at most twice the poll timeout and at least {@link #MIN_WAIT}. A Redis
	 * Cluster master that dies without closing its connections (a machine gone, a network
	 * cut) answers nothing; waiting the whole command timeout (60 s by default) would
	 * stall the consumer long after the cluster failed over.
	 * @param pollTimeout the listener's poll timeout
	 * @return the bound
	 */
	Duration waitBound(Duration pollTimeout) {
		Duration bound = pollTimeout.multipliedBy(2);
		if (bound.compareTo(MIN_WAIT) < 0) {
			bound = MIN_WAIT;
		}
		Duration commandTimeout = commandTimeout();
		return (commandTimeout.compareTo(bound) < 0) ? commandTimeout : bound;
	}

	/**
	 * After a connection failed or timed out on Redis Cluster, read the cluster's
	 * topology again, so that the next connection reaches the slot's new master (Lettuce
	 * otherwise keeps its view until a refresh trigger fires). First from the nodes that
	 * answer within two seconds, asked through the failed connection
	 * ({@link ClusterTopologyProbe}), blocking the caller that long at most; then
	 * Lettuce's own refresh, not waited for, as a vanished node holds it up to the
	 * command timeout. Does nothing on a standalone or Sentinel set-up.
	 * @param failed the connection that got no reply, or {@code null}
	 */
	void refreshTopology(@Nullable StreamConnection failed) {
		if (this.connectionFactory.getRequiredNativeClient() instanceof RedisClusterClient clusterClient) {
			if (failed != null && failed.isOpen()
					&& failed.connection() instanceof StatefulRedisClusterConnection<String, byte[]> cluster) {
				try {
					this.topologyProbe.refresh(clusterClient, cluster);
				}
				catch (RuntimeException ex) {
					logger.debug("Reading the Redis Cluster topology from the answering nodes failed", ex);
				}
			}
			clusterClient.refreshPartitionsAsync().whenComplete((partitions, ex) -> {
				if (ex != null) {
					logger.debug("Refreshing the Redis Cluster topology failed", ex);
				}
			});
		}
	}

	/**
	 * Open a new dedicated connection.
	 * @return the connection
	 */
	StreamConnection open() {
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		if (client instanceof RedisClient redisClient) {
			return new StreamConnection(redisClient.connect(CODEC), true);
		}
		if (client instanceof RedisClusterClient clusterClient) {
			return new StreamConnection(clusterClient.connect(CODEC), false);
		}
		throw new IllegalStateException("Unsupported Lettuce client " + client.getClass().getName());
	}

	/**
	 * Wake up a consumer blocked in {@code XREADGROUP} so that it stops promptly. Best
	 * effort: where {@code CLIENT UNBLOCK} is refused the consumer returns after its poll
	 * timeout anyway.
	 * @param clientId the id of the blocked connection
	 */
	void unblock(long clientId) {
		if (!(this.connectionFactory.getRequiredNativeClient() instanceof RedisClient redisClient)) {
			return;
		}
		try (var connection = redisClient.connect(CODEC)) {
			connection.sync().clientUnblock(clientId, UnblockType.TIMEOUT);
		}
		catch (RuntimeException ex) {
			logger.debug("CLIENT UNBLOCK " + clientId + " failed; the consumer stops after its poll timeout", ex);
		}
	}

}
