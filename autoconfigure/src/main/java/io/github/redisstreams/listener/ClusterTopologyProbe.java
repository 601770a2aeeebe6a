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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ConnectionIntent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Redis Cluster's topology from the nodes that answer within
 * {@link #ASK_TIMEOUT}, for when a master vanished without closing its connections.
 * <p>
 * Lettuce's own refresh asks every known node and waits for all of them up to the command
 * timeout ({@code spring.data.redis.timeout}, 60 s by default), so while a vanished
 * master holds it, consumers keep sending to that master long after its replica took
 * over. This probe asks each node {@code CLUSTER NODES} through the consumer's cluster
 * connection (whose node connections Lettuce opens with the application's credentials and
 * TLS), each with a two-second timeout, takes the most recent view among the answers (the
 * one whose masters carry the highest config epoch, which a failover raises), and, where
 * it moves slots, reloads the client's {@link Partitions} in place; connections opened
 * afterwards route by it. Whether or not slots moved, the nodes that did not answer go
 * last, so that a new connection does not open its default channel to one of them.
 * <p>
 * Thread-safe: probes run at most once per {@link #MIN_INTERVAL}; a caller that comes
 * sooner returns at once.
 */
final class ClusterTopologyProbe {

	/** How long a node may take to answer {@code CLUSTER NODES}. */
	static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

	/** The shortest time between two probes. */
	static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(ClusterTopologyProbe.class);

	private final AtomicLong lastProbe = new AtomicLong(System.nanoTime() - MIN_INTERVAL.toNanos());

	/**
	 * Ask the known nodes and reload the client's partitions from the most recent view,
	 * the nodes that did not answer last. Blocks at most about {@link #ASK_TIMEOUT};
	 * returns at once when another probe ran less than {@link #MIN_INTERVAL} ago.
	 * @param client the cluster client whose partitions are reloaded
	 * @param via an open connection of that client, through which the nodes are asked
	 * @return {@code true} if slots moved to other masters
	 */
	boolean refresh(RedisClusterClient client, StatefulRedisClusterConnection<String, byte[]> via) {
		long last = this.lastProbe.get();
		long now = System.nanoTime();
		if (now - last < MIN_INTERVAL.toNanos() || !this.lastProbe.compareAndSet(last, now)) {
			return false;
		}
		Partitions current = client.getPartitions();
		List<Partitions> answers = askNodes(via, current);
		Partitions view = mostRecent(answers);
		if (view == null) {
			return false;
		}
		Set<String> answered = answeredNodeIds(answers);
		boolean moved = movesSlots(current, view);
		if (!moved && allAnswered(current, answered)) {
			return false;
		}
		List<RedisClusterNode> nodes = answeredFirst(moved ? view : current, answered);
		keepNodeUris(current, nodes);
		current.reload(nodes);
		if (moved) {
			logger.info("Redis Cluster topology read again from the nodes that answered: " + describeMasters(current));
		}
		return moved;
	}

	private static List<Partitions> askNodes(StatefulRedisClusterConnection<String, byte[]> via, Partitions current) {
		List<CompletableFuture<@Nullable Partitions>> answers = new ArrayList<>();
		for (RedisClusterNode node : current) {
			answers.add(via.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort(), ConnectionIntent.WRITE)
				.thenCompose((connection) -> connection.async().clusterNodes().toCompletableFuture())
				.thenApply(ClusterPartitionParser::parse)
				.orTimeout(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
				.exceptionally((ex) -> null));
		}
		List<Partitions> answered = new ArrayList<>();
		for (CompletableFuture<@Nullable Partitions> answer : answers) {
			Partitions result = answer.join();
			if (result != null) {
				answered.add(result);
			}
		}
		return answered;
	}

	/**
	 * The ids of the nodes that answered: each answer flags its own node {@code myself}.
	 */
	static Set<String> answeredNodeIds(List<Partitions> answers) {
		Set<String> answered = new HashSet<>();
		for (Partitions answer : answers) {
			for (RedisClusterNode node : answer) {
				if (node.is(RedisClusterNode.NodeFlag.MYSELF)) {
					answered.add(node.getNodeId());
				}
			}
		}
		return answered;
	}

	private static boolean allAnswered(Partitions current, Set<String> answered) {
		for (RedisClusterNode node : current) {
			if (!answered.contains(node.getNodeId())) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Copies of the nodes, those that answered first. Lettuce opens a new cluster
	 * connection's default channel to the first node in client-count order
	 * ({@code TopologyComparators.sortByClientCount}); nodes without the statistics of
	 * Lettuce's own refresh, such as these copies, keep their order. A vanished master
	 * accepts the TCP connection and then holds the handshake until it comes back (up to
	 * the command timeout), so a node that did not answer must come last, whether or not
	 * slots moved yet.
	 * @param nodes the nodes to order
	 * @param answered the ids of the nodes that answered
	 * @return copies of the nodes, answering nodes first, otherwise in the given order
	 */
	static List<RedisClusterNode> answeredFirst(Iterable<RedisClusterNode> nodes, Set<String> answered) {
		List<RedisClusterNode> ordered = new ArrayList<>();
		for (RedisClusterNode node : nodes) {
			ordered.add(new RedisClusterNode(node));
		}
		ordered.sort(Comparator.comparing((RedisClusterNode node) -> !answered.contains(node.getNodeId())));
		return ordered;
	}

	/**
	 * The view whose masters carry the highest config epoch: a replica that took over
	 * raised it, so a node that has not heard of the failover yet loses.
	 */
	static @Nullable Partitions mostRecent(List<Partitions> views) {
		Partitions best = null;
		long bestEpoch = -1;
		for (Partitions view : views) {
			long epoch = 0;
			for (RedisClusterNode node : view) {
				if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
					epoch = Math.max(epoch, node.getConfigEpoch());
				}
			}
			if (epoch > bestEpoch) {
				best = view;
				bestEpoch = epoch;
			}
		}
		return best;
	}

	/**
	 * Whether any slot has a master in the view other than the one the client routes to.
	 */
	static boolean movesSlots(Partitions current, Partitions view) {
		for (RedisClusterNode node : view) {
			if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
				continue;
			}
			for (Integer slot : node.getSlots()) {
				RedisClusterNode routed = current.getMasterBySlot(slot);
				if (routed == null || !node.getNodeId().equals(routed.getNodeId())) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Give the view's nodes the URIs Lettuce already has for them, and the others a copy
	 * of a known node's URI at their address: {@code CLUSTER NODES} has only host and
	 * port.
	 */
	private static void keepNodeUris(Partitions current, List<RedisClusterNode> view) {
		Map<String, RedisURI> known = new HashMap<>();
		RedisURI template = null;
		for (RedisClusterNode node : current) {
			known.put(node.getNodeId(), node.getUri());
			template = node.getUri();
		}
		if (template == null) {
			return;
		}
		for (RedisClusterNode node : view) {
			RedisURI address = node.getUri();
			RedisURI source = known.get(node.getNodeId());
			node.setUri((source != null) ? source
					: RedisURI.builder(template).withHost(address.getHost()).withPort(address.getPort()).build());
		}
	}

	private static String describeMasters(Partitions partitions) {
		List<String> masters = new ArrayList<>();
		for (RedisClusterNode node : partitions) {
			if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
				masters.add(node.getUri().getHost() + ":" + node.getUri().getPort() + " (" + node.getSlots().size()
						+ " slots)");
			}
		}
		return "masters " + String.join(", ", masters);
	}

}
