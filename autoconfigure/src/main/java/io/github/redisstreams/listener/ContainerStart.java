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

/**
 * The steps of a container's start before its consumers run, on the container's control
 * connection: the poll timeout is checked against the command timeout, the instance id is
 * leased so that consumer names stay unique among live instances
 * ({@code lease-acquire.lua}, see {@link InstanceLease}), and a broadcast listener's
 * group is created at the end of the stream ({@code XGROUP CREATE}, see
 * {@link ConsumerGroups}). Stateless; called under the container's lifecycle lock.
 */
final class ContainerStart {

	private ContainerStart() {
	}

	/**
	 * Refuse a poll timeout that is not shorter than the Redis command timeout.
	 * @param settings the container's settings
	 * @param connections the container's connections
	 * @throws IllegalStateException if every blocking read would time out
	 */
	static void checkPollTimeout(ContainerSettings settings, StreamConnections connections) {
		Duration commandTimeout = connections.commandTimeout();
		if (settings.values().getPollTimeout().compareTo(commandTimeout) >= 0) {
			throw new IllegalStateException("Listener '" + settings.listenerId() + "': the poll timeout ("
					+ settings.values().getPollTimeout().toMillis()
					+ " ms, redis.streams.listener.poll-timeout) must be " + "shorter than the Redis command timeout ("
					+ commandTimeout.toMillis()
					+ " ms, spring.data.redis.timeout), or every blocking read would time out");
		}
	}

	/**
	 * Take the lease of this instance's id, so that consumer names stay unique among live
	 * instances; may change the instance id (see {@link InstanceLease}).
	 * @param container the container
	 * @param configured the settings as configured
	 * @param control the container's control connection
	 * @param commandTimeout how long to wait for Redis
	 * @return the lease, and the settings with the instance id it gave
	 * @throws IllegalStateException if a live instance holds the configured id, or the
	 * start was interrupted
	 */
	static Leased acquireLease(StreamListenerContainer container, ContainerSettings configured,
			ControlConnection control, Duration commandTimeout) {
		// the configured group: a broadcast listener's own group follows the instance id
		InstanceLease lease = new InstanceLease(configured.stream(), configured.values().getConfiguredGroup(),
				commandTimeout);
		String requested = configured.values().getInstanceId();
		String instanceId;
		try {
			instanceId = lease.acquire(control.get(), configured.listenerId(), requested,
					configured.values().isHostNameInstanceId());
		}
		catch (IllegalStateException ex) {
			control.close();
			throw ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			control.close();
			throw new IllegalStateException("Interrupted while starting listener '" + configured.listenerId() + "'",
					ex);
		}
		catch (Exception ex) {
			// Redis is not reachable now: the consumers back off until it is, and the
			// first renewal that reaches it takes the lease
			control.reset();
			lease.assume(requested);
			instanceId = requested;
		}
		ContainerSettings settings = instanceId.equals(requested) ? configured
				: new ContainerSettings(container, configured.listenerId(), configured.stream(),
						configured.rateLimitStream(), configured.values().toBuilder().instanceId(instanceId).build());
		return new Leased(lease, settings);
	}

	/**
	 * A broadcast listener's group follows the instance id the lease gave, and is created
	 * now, at the end of the stream, so that what is published once the listener has
	 * started reaches this instance (consumers would create it a moment later). When
	 * Redis cannot be asked, the consumers create it once it answers.
	 * @param settings the settings with the leased instance id
	 * @param control the container's control connection
	 * @param commandTimeout how long to wait for Redis
	 * @return the consumer groups of those settings
	 */
	static ConsumerGroups startBroadcastGroup(ContainerSettings settings, ControlConnection control,
			Duration commandTimeout) {
		ConsumerGroups groups = new ConsumerGroups(settings);
		try {
			groups.ensureGroup(control.get(), commandTimeout);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			control.reset();
		}
		return groups;
	}

	/**
	 * An instance id's lease and the settings with the id it gave.
	 *
	 * @param lease the lease
	 * @param settings the settings
	 */
	record Leased(InstanceLease lease, ContainerSettings settings) {

	}

}
