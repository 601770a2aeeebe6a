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
import java.util.List;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.redisstreams.support.LuaScript;
import io.github.redisstreams.support.StreamKeys;

/**
 * Keeps the consumer names of one listener unique among live instances. Two instances
 * with the same instance id (the host name by default: two JVMs on a laptop, containers
 * sharing a host name) would read as the same consumers, and each would process the
 * other's pending entries again. So a container holds a lease in Redis on its instance id
 * for its stream and group ({@code {stream}:instance:<group>:<instance-id>}, a key with a
 * random token, renewed every {@link #RENEW_PERIOD}, expiring after {@link #TTL} without
 * renewal).
 * <p>
 * At start, a lease held by another token is waited for up to {@link #TTL} (an instance
 * that died stops renewing it, so a restart after a crash gets it). If it is still held
 * then, a live instance uses the id: an instance id that defaulted to the host name is
 * made unique with a suffix ({@code host-2}, {@code host-3}, ...) and a warning; an id
 * set with {@code redis.streams.listener.instance-id} refuses to start.
 */
final class InstanceLease {

	static final Duration TTL = Duration.ofSeconds(5);

	static final Duration RENEW_PERIOD = Duration.ofSeconds(1);

	private static final Duration RETRY_PERIOD = Duration.ofMillis(250);

	private static final int MAX_SUFFIX = 100;

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final LuaScript ACQUIRE = LuaScript.load(InstanceLease.class, "lease-acquire.lua");

	private static final LuaScript RELEASE = LuaScript.load(InstanceLease.class, "lease-release.lua");

	private final String stream;

	private final String group;

	private final String token = UUID.randomUUID().toString();

	private final Duration commandTimeout;

	private volatile String instanceId = "";

	private volatile boolean lost;

	InstanceLease(String stream, String group, Duration commandTimeout) {
		this.stream = stream;
		this.group = group;
		this.commandTimeout = commandTimeout;
	}

	/**
	 * Take the lease of an instance id.
	 * @param connection the connection
	 * @param listenerId the listener id, for messages
	 * @param requested the configured instance id
	 * @param resolvable whether another id may be chosen (the id was not configured)
	 * @return the instance id to use
	 * @throws IllegalStateException if a live instance uses the configured id
	 * @throws Exception if Redis fails
	 */
	String acquire(StreamConnection connection, String listenerId, String requested, boolean resolvable)
			throws Exception {
		long deadline = System.nanoTime() + TTL.plus(RETRY_PERIOD).toNanos();
		boolean waited = false;
		while (!tryAcquire(connection, requested)) {
			if (System.nanoTime() - deadline > 0) {
				return resolveConflict(connection, listenerId, requested, resolvable);
			}
			if (!waited) {
				logger.info("Listener '" + listenerId + "': instance id '" + requested + "' is in use for stream '"
						+ this.stream + "', group '" + this.group + "'; waiting up to " + TTL.toMillis()
						+ " ms for the lease of a previous run to expire");
				waited = true;
			}
			Thread.sleep(RETRY_PERIOD.toMillis());
		}
		this.instanceId = requested;
		return requested;
	}

	private String resolveConflict(StreamConnection connection, String listenerId, String requested, boolean resolvable)
			throws Exception {
		if (!resolvable) {
			throw new IllegalStateException(
					"Listener '" + listenerId + "': another running instance uses the instance id '" + requested
							+ "' (set by redis.streams.listener.instance-id) for stream '" + this.stream + "', group '"
							+ this.group + "'; both would read as the same consumers and process each other's "
							+ "pending entries again. Give every instance its own redis.streams.listener.instance-id "
							+ "(for example the pod name)");
		}
		for (int suffix = 2; suffix <= MAX_SUFFIX; suffix++) {
			String candidate = requested + "-" + suffix;
			if (tryAcquire(connection, candidate)) {
				logger.warn("Listener '" + listenerId + "': another running instance uses the instance id '" + requested
						+ "' (the host name) for stream '" + this.stream + "', group '" + this.group
						+ "'; this instance uses '" + candidate + "'. Set redis.streams.listener.instance-id to a "
						+ "name unique and stable per instance (for example the pod name), so that a restarted "
						+ "instance finds its own pending entries");
				this.instanceId = candidate;
				return candidate;
			}
		}
		throw new IllegalStateException("Listener '" + listenerId + "': no free instance id from '" + requested
				+ "' to '" + requested + "-" + MAX_SUFFIX + "'; set redis.streams.listener.instance-id");
	}

	/**
	 * Use an instance id without holding its lease yet (Redis was unreachable at start);
	 * the next renewal takes it.
	 * @param id the instance id
	 */
	void assume(String id) {
		this.instanceId = id;
	}

	/**
	 * Renew the lease; called every {@link #RENEW_PERIOD}.
	 * @param connection the connection
	 * @param listenerId the listener id, for messages
	 * @throws Exception if Redis fails
	 */
	void renew(StreamConnection connection, String listenerId) throws Exception {
		String id = this.instanceId;
		if (id.isEmpty()) {
			return;
		}
		boolean renewed = tryAcquire(connection, id);
		if (!renewed && !this.lost) {
			logger
				.error("Listener '" + listenerId + "': the lease of instance id '" + id + "' on stream '" + this.stream
						+ "' was taken by another instance while this one did not renew it (a pause longer than "
						+ TTL.toMillis() + " ms?); both now read as the same consumers. Restart one of them, and give "
						+ "every instance its own redis.streams.listener.instance-id");
		}
		else if (renewed && this.lost) {
			logger.info("Listener '" + listenerId + "': the lease of instance id '" + id + "' is held again");
		}
		this.lost = !renewed;
	}

	/**
	 * Give the lease up, so that a restart of this instance need not wait.
	 * @param connection the connection
	 */
	void release(StreamConnection connection) throws Exception {
		String id = this.instanceId;
		if (!id.isEmpty()) {
			Scripts.run(connection, RELEASE, this.commandTimeout, new String[] { key(id) }, this.token);
		}
	}

	private boolean tryAcquire(StreamConnection connection, String id) throws Exception {
		List<Object> reply = Scripts.run(connection, ACQUIRE, this.commandTimeout, new String[] { key(id) }, this.token,
				Long.toString(TTL.toMillis()));
		return !reply.isEmpty() && Long.valueOf(1).equals(reply.get(0));
	}

	private String key(String id) {
		return StreamKeys.instanceLease(this.stream, this.group, id);
	}

}
