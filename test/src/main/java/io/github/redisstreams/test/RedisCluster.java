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

package io.github.redisstreams.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A throwaway Redis Cluster of real {@code redis-server} processes on free loopback
 * ports: three masters that share the 16,384 hash slots evenly, each with one replica.
 * The cluster is formed with {@code CLUSTER MEET}, {@code CLUSTER ADDSLOTS} and
 * {@code CLUSTER REPLICATE} (what {@code redis-cli --cluster create} sends), so it needs
 * no {@code redis-cli} and works with the embedded Redis 6.2 too.
 * <p>
 * Nodes run with {@code cluster-node-timeout} 2000 ms and
 * {@code cluster-replica-validity-factor 0}, so that a replica takes over about four
 * seconds after its master stops answering, however long it was disconnected (a shorter
 * timeout made healthy nodes of a busy two-core machine look failed). The methods that
 * change the cluster wait until every running node agrees on the outcome (at most 30
 * seconds) and throw {@link IllegalStateException} otherwise. Not thread-safe: call them
 * from the test's thread.
 *
 * @see RedisClusterExtension
 */
public final class RedisCluster implements AutoCloseable {

	/** The number of hash slots in Redis Cluster. */
	static final int SLOTS = 16384;

	private static final List<String> NODE_ARGS = List.of("--cluster-enabled", "yes", "--cluster-config-file",
			"nodes.conf", "--cluster-node-timeout", "2000", "--cluster-replica-validity-factor", "0");

	/** Redis abandons a manual failover that did not complete in 5 s. */
	private static final Duration MANUAL_FAILOVER_TIMEOUT = Duration.ofSeconds(6);

	private final List<ProcessRedisServer> nodes = new ArrayList<>();

	private final int masters;

	private final List<ProcessRedisServer> paused = new ArrayList<>();

	private final Map<ProcessRedisServer, String> ids = new IdentityHashMap<>();

	private RedisCluster(int masters, int replicasPerMaster, List<String> extraArgs) {
		this.masters = masters;
		List<String> args = new ArrayList<>(NODE_ARGS);
		args.addAll(extraArgs);
		for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
			this.nodes.add(RedisServers.process(args, null));
		}
	}

	/**
	 * Start a cluster of three masters with one replica each and wait until every node
	 * reports {@code cluster_state:ok} and every replica is in sync.
	 * @param extraArgs additional {@code redis-server} arguments for every node
	 * @return the running cluster
	 * @throws IllegalStateException if a node cannot be started or the cluster does not
	 * form within 30 seconds
	 */
	public static RedisCluster start(List<String> extraArgs) {
		RedisCluster cluster = new RedisCluster(3, 1, extraArgs);
		try {
			cluster.form();
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
		System.err.println("[redis-streams-test] Started a Redis Cluster of " + cluster.nodes.size() + " nodes ("
				+ cluster.nodes.get(0) + " and others)");
		return cluster;
	}

	private void form() {
		for (ProcessRedisServer node : this.nodes) {
			node.start();
			nodeId(node);
		}
		for (int i = 0; i < this.masters; i++) {
			// distinct epochs, as redis-cli gives them, so that no collision has to be
			// resolved
			send(this.nodes.get(i), "CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
		}
		ProcessRedisServer first = this.nodes.get(0);
		for (ProcessRedisServer node : this.nodes.subList(1, this.nodes.size())) {
			send(first, "CLUSTER", "MEET", node.host(), String.valueOf(node.port()));
		}
		for (int i = 0; i < this.masters; i++) {
			int from = SLOTS * i / this.masters;
			int to = SLOTS * (i + 1) / this.masters;
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			for (int slot = from; slot < to; slot++) {
				command.add(String.valueOf(slot));
			}
			send(this.nodes.get(i), command.toArray(String[]::new));
		}
		ServerGroups.awaitAgreement("every node knows every other node",
				() -> this.nodes.stream().allMatch((node) -> clusterNodes(node).size() == this.nodes.size()));
		for (int i = this.masters; i < this.nodes.size(); i++) {
			ProcessRedisServer master = this.nodes.get(i % this.masters);
			send(this.nodes.get(i), "CLUSTER", "REPLICATE", nodeId(master));
		}
		awaitHealthy();
	}

	/**
	 * Return every node, masters and replicas, stopped ones included.
	 * @return the nodes, in the order they were created
	 */
	public List<RedisServer> nodes() {
		return List.copyOf(this.nodes);
	}

	/**
	 * Return the hash slot of a key, as Redis computes it ({@code CLUSTER KEYSLOT}).
	 * @param key the key; a hash tag such as {@code {orders}} decides the slot
	 * @return the slot, 0 to 16383
	 */
	public int slot(String key) {
		return ((Long) send(anyRunningNode(), "CLUSTER", "KEYSLOT", key)).intValue();
	}

	/**
	 * Return the node that the running nodes agree serves a key as master, waiting while
	 * they disagree.
	 * @param key the key
	 * @return the master
	 * @throws IllegalStateException if the running nodes do not agree on a master of the
	 * key's slot within 30 seconds
	 */
	public RedisServer masterFor(String key) {
		return masterOf(slot(key));
	}

	/**
	 * Return the replicas of the master that serves a key.
	 * @param key the key
	 * @return the running replicas, possibly none
	 */
	public List<RedisServer> replicasFor(String key) {
		String masterId = nodeId(masterOf(slot(key)));
		List<RedisServer> replicas = new ArrayList<>();
		for (ProcessRedisServer node : this.nodes) {
			if (node.isRunning() && masterId.equals(role(node).masterId())) {
				replicas.add(node);
			}
		}
		return replicas;
	}

	/**
	 * Fail over gracefully: a replica of the key's master takes over with
	 * {@code CLUSTER FAILOVER}, losing no acknowledged write.
	 * @param key the key whose master should change
	 * @return the new master
	 */
	public RedisServer failover(String key) {
		int slot = slot(key);
		ProcessRedisServer old = masterOf(slot);
		ProcessRedisServer replica = firstReplicaOf(old);
		// a manual failover that does not complete within 5 s (the replica's offset did
		// not catch up, say) is abandoned by Redis: ask again until it is done
		long[] nextRequest = { System.nanoTime() };
		ServerGroups.awaitAgreement("a replica takes over slot " + slot + " from " + old, () -> {
			if (masterOfOrNull(slot) == replica) {
				return true;
			}
			if (System.nanoTime() - nextRequest[0] >= 0) {
				send(replica, "CLUSTER", "FAILOVER");
				nextRequest[0] = System.nanoTime() + MANUAL_FAILOVER_TIMEOUT.toNanos();
			}
			return false;
		});
		awaitHealthy();
		return replica;
	}

	/**
	 * Kill the master that serves a key with {@code SIGKILL} and wait until its replica
	 * has taken over and every running node agrees (about four seconds with the default
	 * node timeout). Writes not yet replicated are lost, as in production.
	 * @param key the key whose master is killed
	 * @return the killed node; {@link RedisServer#start()} brings it back as a replica
	 */
	public RedisServer killMaster(String key) {
		int slot = slot(key);
		ProcessRedisServer old = masterOf(slot);
		old.kill();
		ServerGroups.awaitAgreement("a replica takes over slot " + slot + " from killed " + old,
				() -> masterOfOrNull(slot) != null && masterOfOrNull(slot) != old, this::describe);
		awaitHealthy();
		return old;
	}

	/**
	 * Stop the master that serves a key with {@code SIGSTOP}, as a host that vanishes
	 * from the network: its connections stay open and nothing answers on them. Its
	 * replica takes over; this method waits for that.
	 * @param key the key whose master is paused
	 * @return the paused node, for {@link #resume(RedisServer)}
	 */
	public RedisServer pauseMaster(String key) {
		int slot = slot(key);
		ProcessRedisServer old = masterOf(slot);
		signal(old, "STOP");
		ServerGroups.awaitAgreement("a replica takes over slot " + slot + " from paused " + old,
				() -> masterOfOrNull(slot) != null && masterOfOrNull(slot) != old, this::describe);
		return old;
	}

	/**
	 * Let a node paused by {@link #pauseMaster(String)} run again and wait until it has
	 * rejoined as a replica of the master that replaced it and the cluster is healthy.
	 * @param node the paused node
	 */
	public void resume(RedisServer node) {
		ProcessRedisServer process = own(node);
		signal(process, "CONT");
		awaitReplica(process);
	}

	/**
	 * Start a killed master again and wait until it has rejoined as a replica of the
	 * master that replaced it and the cluster is healthy.
	 * @param node the node
	 */
	public void restart(RedisServer node) {
		ProcessRedisServer process = own(node);
		process.start();
		awaitReplica(process);
	}

	/**
	 * Return the {@code spring.data.redis.cluster.nodes} property naming every node.
	 * @return the property in {@code key=value} form
	 */
	public String springProperty() {
		return "spring.data.redis.cluster.nodes=" + String.join(",", seedNodes());
	}

	/**
	 * Return {@code host:port} of every node.
	 * @return the seed nodes for a client
	 */
	public List<String> seedNodes() {
		return this.nodes.stream().map((node) -> node.host() + ":" + node.port()).toList();
	}

	/**
	 * Wait until every running node that is not paused reports {@code cluster_state:ok}
	 * and every such replica's link to its master is up.
	 * @throws IllegalStateException if that does not happen within 30 seconds
	 */
	public void awaitHealthy() {
		ServerGroups.awaitAgreement("the cluster is healthy", this::isHealthy, this::describe);
	}

	private void awaitReplica(ProcessRedisServer node) {
		ServerGroups.awaitAgreement(node + " has rejoined as a replica and the cluster is healthy", () -> {
			try {
				return "slave".equals(node.client().info("replication").get("role")) && isHealthy();
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	private boolean isHealthy() {
		for (ProcessRedisServer node : this.nodes) {
			if (!node.isRunning() || isPaused(node)) {
				continue;
			}
			try {
				if (!"ok".equals(clusterInfo(node).get("cluster_state"))) {
					return false;
				}
				Map<String, String> replication = node.client().info("replication");
				if ("slave".equals(replication.get("role")) && !"up".equals(replication.get("master_link_status"))) {
					return false;
				}
			}
			catch (IOException | RuntimeException ex) {
				return false;
			}
		}
		return true;
	}

	private ProcessRedisServer masterOf(int slot) {
		ServerGroups.awaitAgreement("the running nodes agree on the master of slot " + slot,
				() -> masterOfOrNull(slot) != null, this::describe);
		ProcessRedisServer master = masterOfOrNull(slot);
		if (master == null) {
			throw new IllegalStateException(
					"The running nodes disagree again on the master of slot " + slot + "; last seen: " + describe());
		}
		return master;
	}

	/**
	 * What each node says of itself, for the messages of timeouts: port, state, role,
	 * slots and the nodes it sees failing.
	 */
	private String describe() {
		List<String> states = new ArrayList<>();
		for (ProcessRedisServer node : this.nodes) {
			if (!node.isRunning()) {
				states.add(node.port() + " stopped");
				continue;
			}
			if (isPaused(node)) {
				states.add(node.port() + " paused");
				continue;
			}
			try {
				List<String> failing = new ArrayList<>();
				String self = "?";
				for (NodeLine line : clusterNodes(node)) {
					if (line.isFailed()) {
						failing.add(line.id().substring(0, 8));
					}
				}
				for (String line : ((String) send(node, "CLUSTER", "NODES")).split("\r?\n")) {
					if (line.contains("myself")) {
						self = line;
					}
				}
				states.add(node.port() + " cluster_state=" + clusterInfo(node).get("cluster_state") + " [" + self
						+ "] sees failing " + failing);
			}
			catch (RuntimeException ex) {
				states.add(node.port() + " did not answer: " + ex.getMessage());
			}
		}
		return String.join("; ", states);
	}

	/**
	 * The running node that says it is master and owns the slot, as every running node
	 * sees it, or null while they disagree.
	 */
	private @Nullable ProcessRedisServer masterOfOrNull(int slot) {
		ProcessRedisServer agreed = null;
		for (ProcessRedisServer node : this.nodes) {
			if (!node.isRunning() || isPaused(node)) {
				continue;
			}
			String ownerId;
			try {
				ownerId = slotOwner(node, slot);
			}
			catch (RuntimeException ex) {
				return null;
			}
			ProcessRedisServer owner = byId(ownerId);
			if (owner == null || (agreed != null && agreed != owner)) {
				return null;
			}
			agreed = owner;
		}
		return (agreed != null && agreed.isRunning()) ? agreed : null;
	}

	private boolean isPaused(ProcessRedisServer node) {
		return this.paused.contains(node);
	}

	private @Nullable String slotOwner(ProcessRedisServer node, int slot) {
		for (NodeLine line : clusterNodes(node)) {
			if (line.isMaster() && !line.isFailed() && line.owns(slot)) {
				return line.id();
			}
		}
		return null;
	}

	private @Nullable ProcessRedisServer byId(@Nullable String id) {
		if (id == null) {
			return null;
		}
		for (ProcessRedisServer node : this.nodes) {
			if (node.isRunning() && id.equals(this.ids.get(node))) {
				return node;
			}
		}
		return null;
	}

	private String nodeId(ProcessRedisServer node) {
		return this.ids.computeIfAbsent(node, (key) -> (String) send(key, "CLUSTER", "MYID"));
	}

	private ProcessRedisServer firstReplicaOf(ProcessRedisServer master) {
		String masterId = nodeId(master);
		for (ProcessRedisServer node : this.nodes) {
			if (node.isRunning() && !isPaused(node) && masterId.equals(role(node).masterId())) {
				return node;
			}
		}
		throw new IllegalStateException("No running replica of " + master);
	}

	private NodeLine role(ProcessRedisServer node) {
		String id = nodeId(node);
		for (NodeLine line : clusterNodes(node)) {
			if (line.id().equals(id)) {
				return line;
			}
		}
		throw new IllegalStateException(node + " does not list itself in CLUSTER NODES");
	}

	private List<NodeLine> clusterNodes(ProcessRedisServer node) {
		String text = (String) send(node, "CLUSTER", "NODES");
		List<NodeLine> lines = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (!line.isBlank()) {
				lines.add(NodeLine.parse(line.trim()));
			}
		}
		return lines;
	}

	private Map<String, String> clusterInfo(ProcessRedisServer node) {
		String text = (String) send(node, "CLUSTER", "INFO");
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : text.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
			}
		}
		return fields;
	}

	private ProcessRedisServer anyRunningNode() {
		for (ProcessRedisServer node : this.nodes) {
			if (node.isRunning() && !isPaused(node)) {
				return node;
			}
		}
		throw new IllegalStateException("No node of the cluster is running");
	}

	private ProcessRedisServer own(RedisServer node) {
		for (ProcessRedisServer candidate : this.nodes) {
			if (candidate == node) {
				return candidate;
			}
		}
		throw new IllegalArgumentException(node + " is not a node of this cluster");
	}

	private void signal(ProcessRedisServer node, String signal) {
		long pid = node.pid();
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not send SIG" + signal + " to " + node, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + node, ex);
		}
		if ("STOP".equals(signal)) {
			this.paused.add(node);
		}
		else {
			this.paused.remove(node);
		}
	}

	private static Object send(ProcessRedisServer node, String... command) {
		try {
			Object reply = node.client().command(command);
			if (reply == null) {
				throw new IllegalStateException(node + " answered " + command[0] + " " + command[1] + " with nil");
			}
			return reply;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(node + " did not answer " + command[0] + " " + command[1], ex);
		}
	}

	/**
	 * Stop every node and delete its data. Calling this method more than once has no
	 * effect.
	 */
	@Override
	public void close() {
		for (ProcessRedisServer node : this.paused.toArray(ProcessRedisServer[]::new)) {
			signal(node, "CONT");
		}
		ServerGroups.closeAll(this.nodes);
	}

	/**
	 * One line of {@code CLUSTER NODES}:
	 * {@code id addr flags master-id ping pong epoch link slot...}.
	 *
	 * @param id the node's id
	 * @param flags the flags, such as {@code myself,master} or {@code master,fail}
	 * @param masterId the id of the node's master, {@code -} for a master
	 * @param slots the slot ranges it serves, both ends included
	 */
	record NodeLine(String id, String flags, String masterId, List<int[]> slots) {

		static NodeLine parse(String line) {
			String[] parts = line.split(" ");
			List<int[]> slots = new ArrayList<>();
			for (int i = 8; i < parts.length; i++) {
				String part = parts[i];
				if (part.startsWith("[")) {
					continue; // a slot being migrated or imported
				}
				int dash = part.indexOf('-');
				int from = Integer.parseInt((dash < 0) ? part : part.substring(0, dash));
				int to = Integer.parseInt((dash < 0) ? part : part.substring(dash + 1));
				slots.add(new int[] { from, to });
			}
			return new NodeLine(parts[0], parts[2], parts[3], slots);
		}

		boolean isMaster() {
			return this.flags.contains("master");
		}

		boolean isFailed() {
			return this.flags.contains("fail") && !this.flags.contains("fail?");
		}

		boolean owns(int slot) {
			return this.slots.stream().anyMatch((range) -> range[0] <= slot && slot <= range[1]);
		}

	}

}
