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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A throwaway Redis Sentinel set-up of real {@code redis-server} processes on free
 * loopback ports: a master, one replica, and three Sentinels that monitor the master
 * under the name {@value #MASTER_NAME} with a quorum of two.
 * <p>
 * The Sentinels run with {@code down-after-milliseconds} 2000, so a killed master is
 * replaced three to five seconds later. The methods that change the set-up wait until
 * every Sentinel agrees on the outcome (at most 30 seconds) and throw
 * {@link IllegalStateException} otherwise. Not thread-safe: call them from the test's
 * thread.
 *
 * @see RedisSentinelExtension
 */
public final class RedisSentinel implements AutoCloseable {

	/** The name under which the Sentinels monitor the master. */
	public static final String MASTER_NAME = "mymaster";

	/**
	 * How long a Sentinel waits for an answer before it considers a node down: short, so
	 * that a killed master is replaced quickly, but not so short that a loaded machine
	 * fails a healthy master over (seen with 1 s on 2 cores).
	 */
	private static final Duration DOWN_AFTER = Duration.ofSeconds(2);

	private final List<ProcessRedisServer> dataNodes = new ArrayList<>();

	private final List<ProcessRedisServer> sentinels = new ArrayList<>();

	private RedisSentinel(List<String> extraArgs) {
		this.dataNodes.add(RedisServers.process(extraArgs, null));
		this.dataNodes.add(RedisServers.process(extraArgs, null));
	}

	/**
	 * Start a master, a replica and three Sentinels, and wait until every Sentinel knows
	 * the master, the replica and the other two Sentinels.
	 * @param extraArgs additional {@code redis-server} arguments for the master and the
	 * replica, for example {@code "--min-replicas-to-write", "1"}
	 * @return the running set-up
	 * @throws IllegalStateException if a process cannot be started or the Sentinels do
	 * not agree within 30 seconds
	 */
	public static RedisSentinel start(List<String> extraArgs) {
		RedisSentinel sentinel = new RedisSentinel(extraArgs);
		try {
			sentinel.form();
		}
		catch (RuntimeException ex) {
			sentinel.close();
			throw ex;
		}
		System.err.println("[redis-streams-test] Started a Redis Sentinel set-up: master " + sentinel.master()
				+ ", Sentinels on " + String.join(",", sentinel.sentinelNodes()));
		return sentinel;
	}

	private void form() {
		ProcessRedisServer master = this.dataNodes.get(0);
		ProcessRedisServer replica = this.dataNodes.get(1);
		master.start();
		replica.start();
		send(replica, "REPLICAOF", master.host(), String.valueOf(master.port()));
		ServerGroups.awaitAgreement("the replica is in sync with the master", () -> isReplicaOf(replica, master));
		String config = "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 2\n"
				+ "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis() + "\n"
				+ "sentinel failover-timeout " + MASTER_NAME + " 10000\n" + "sentinel parallel-syncs " + MASTER_NAME
				+ " 1\n";
		for (int i = 0; i < 3; i++) {
			ProcessRedisServer sentinel = RedisServers.process(List.of("--sentinel"), config);
			this.sentinels.add(sentinel);
			sentinel.start();
		}
		ServerGroups.awaitAgreement("every Sentinel knows the master, its replica and the other Sentinels",
				() -> isSettled(master, 1));
	}

	/**
	 * Return the current master: the node whose address every running Sentinel reports.
	 * @return the master
	 * @throws IllegalStateException if the Sentinels disagree or report no running node
	 */
	public RedisServer master() {
		ProcessRedisServer master = reportedMaster();
		if (master == null) {
			throw new IllegalStateException("The Sentinels do not agree on a running master");
		}
		return master;
	}

	/**
	 * Return the master and the replica, stopped ones included.
	 * @return the two data nodes
	 */
	public List<RedisServer> dataNodes() {
		return List.copyOf(this.dataNodes);
	}

	/**
	 * Return the three Sentinels.
	 * @return the Sentinels
	 */
	public List<RedisServer> sentinels() {
		return List.copyOf(this.sentinels);
	}

	/**
	 * Fail over on request ({@code SENTINEL FAILOVER}): the replica is promoted without
	 * the master being down. Writes not yet replicated can be lost, as in production.
	 * @return the new master
	 */
	public RedisServer failover() {
		ProcessRedisServer old = (ProcessRedisServer) master();
		send(this.sentinels.get(0), "SENTINEL", "FAILOVER", MASTER_NAME);
		ServerGroups.awaitAgreement("the Sentinels promote the replica of " + old, () -> {
			ProcessRedisServer current = reportedMaster();
			return current != null && current != old && isSettled(current, 1);
		}, this::describe);
		return master();
	}

	/**
	 * Kill the master with {@code SIGKILL} and wait until the Sentinels have promoted the
	 * replica (three to five seconds).
	 * @return the killed node; {@link #restart(RedisServer)} brings it back as a replica
	 */
	public RedisServer killMaster() {
		ProcessRedisServer old = (ProcessRedisServer) master();
		old.kill();
		ServerGroups.awaitAgreement("the Sentinels promote the replica of killed " + old, () -> {
			ProcessRedisServer current = reportedMaster();
			return current != null && current != old && isMaster(current);
		}, this::describe);
		return old;
	}

	/**
	 * Start a killed node again as a replica of the current master ({@code REPLICAOF},
	 * which the Sentinels would also send, but only after up to 20 seconds) and wait
	 * until it is in sync and every Sentinel still reports the current master.
	 * @param node the node
	 */
	public void restart(RedisServer node) {
		ProcessRedisServer process = own(node);
		ProcessRedisServer current = (ProcessRedisServer) master();
		process.start();
		send(process, "REPLICAOF", current.host(), String.valueOf(current.port()));
		ServerGroups.awaitAgreement(node + " rejoins as a replica",
				() -> isReplicaOf(process, current) && reportedMaster() == current, this::describe);
	}

	/**
	 * Return Spring Boot properties pointing at the Sentinels.
	 * @return {@code spring.data.redis.sentinel.master} and
	 * {@code spring.data.redis.sentinel.nodes} in {@code key=value} form
	 */
	public String[] springProperties() {
		return new String[] { "spring.data.redis.sentinel.master=" + MASTER_NAME,
				"spring.data.redis.sentinel.nodes=" + String.join(",", sentinelNodes()) };
	}

	/**
	 * Return {@code host:port} of every Sentinel.
	 * @return the Sentinel nodes for a client
	 */
	public List<String> sentinelNodes() {
		return this.sentinels.stream().map((node) -> node.host() + ":" + node.port()).toList();
	}

	/**
	 * What the Sentinels and the data nodes say, for a timeout's message.
	 */
	private String describe() {
		List<String> seen = new ArrayList<>();
		for (ProcessRedisServer sentinel : this.sentinels) {
			seen.add("Sentinel " + sentinel.port() + ": " + sentinelMaster(sentinel));
		}
		seen.add("log of Sentinel " + this.sentinels.get(0).port() + ":\n" + this.sentinels.get(0).logTail() + "\n");
		for (ProcessRedisServer node : this.dataNodes) {
			try {
				Map<String, String> replication = node.client().info("replication");
				seen.add(node.port() + ": role " + replication.get("role") + ", master_port "
						+ replication.get("master_port") + ", link " + replication.get("master_link_status"));
			}
			catch (IOException | RuntimeException ex) {
				seen.add(node.port() + ": " + ex);
			}
		}
		return String.join("; ", seen);
	}

	private @Nullable ProcessRedisServer reportedMaster() {
		ProcessRedisServer agreed = null;
		for (ProcessRedisServer sentinel : this.sentinels) {
			if (!sentinel.isRunning()) {
				continue;
			}
			Map<String, String> master = sentinelMaster(sentinel);
			ProcessRedisServer node = (master != null) ? byAddress(master.get("address")) : null;
			if (node == null || (agreed != null && agreed != node)) {
				return null;
			}
			agreed = node;
		}
		return (agreed != null && agreed.isRunning()) ? agreed : null;
	}

	/**
	 * Whether every running Sentinel reports this master with status ok, the number of
	 * replicas and all three Sentinels.
	 */
	private boolean isSettled(ProcessRedisServer master, int replicas) {
		for (ProcessRedisServer sentinel : this.sentinels) {
			Map<String, String> fields = sentinelMaster(sentinel);
			if (fields == null || !"ok".equals(fields.get("status"))
					|| !(master.host() + ":" + master.port()).equals(fields.get("address"))
					|| !String.valueOf(replicas).equals(fields.get("slaves"))
					|| !String.valueOf(this.sentinels.size()).equals(fields.get("sentinels"))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The fields of {@code master0} in a Sentinel's {@code INFO sentinel}:
	 * {@code name=mymaster,status=ok,address=127.0.0.1:6379,slaves=1,sentinels=3}.
	 */
	private static @Nullable Map<String, String> sentinelMaster(ProcessRedisServer sentinel) {
		try {
			String line = sentinel.client().info("sentinel").get("master0");
			if (line == null) {
				return null;
			}
			Map<String, String> fields = new LinkedHashMap<>();
			for (String pair : line.split(",")) {
				int equals = pair.indexOf('=');
				if (equals > 0) {
					fields.put(pair.substring(0, equals), pair.substring(equals + 1));
				}
			}
			return fields;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private @Nullable ProcessRedisServer byAddress(@Nullable String address) {
		for (ProcessRedisServer node : this.dataNodes) {
			if ((node.host() + ":" + node.port()).equals(address)) {
				return node;
			}
		}
		return null;
	}

	private static boolean isMaster(ProcessRedisServer node) {
		try {
			return "master".equals(node.client().info("replication").get("role"));
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	private static boolean isReplicaOf(ProcessRedisServer replica, ProcessRedisServer master) {
		try {
			Map<String, String> replication = replica.client().info("replication");
			return "slave".equals(replication.get("role"))
					&& String.valueOf(master.port()).equals(replication.get("master_port"))
					&& "up".equals(replication.get("master_link_status"));
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	private ProcessRedisServer own(RedisServer node) {
		for (ProcessRedisServer candidate : this.dataNodes) {
			if (candidate == node) {
				return candidate;
			}
		}
		throw new IllegalArgumentException(node + " is not a data node of this Sentinel set-up");
	}

	private static void send(ProcessRedisServer node, String... command) {
		try {
			node.client().command(command);
		}
		catch (IOException ex) {
			throw new IllegalStateException(node + " did not answer " + command[0], ex);
		}
	}

	/**
	 * Stop every process and delete its data. Calling this method more than once has no
	 * effect.
	 */
	@Override
	public void close() {
		List<ProcessRedisServer> all = new ArrayList<>(this.sentinels);
		all.addAll(this.dataNodes);
		ServerGroups.closeAll(all);
	}

}
