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

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterDestinationResolver;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.support.RedisPermission;
import io.github.redisstreams.support.RedisPermissionCheck;
import io.github.redisstreams.support.RedisPermissionReport;
import io.github.redisstreams.support.RedisRefusal;

import org.springframework.dao.DataAccessException;

/**
 * Checks at startup that the Redis user may run every command the listeners, the
 * reclaimer, the dead-letter publisher and the endpoints will send, on every key they
 * will touch; see {@link RedisStreamsProperties#getPermissionCheck()}. A missing rule the
 * starter cannot work without fails the startup (or, when so configured, is logged and
 * reported by the health); a missing optional rule is a warning saying what is lost.
 */
final class PermissionsCheck implements Supplier<@Nullable String> {

	private static final Log logger = LogFactory.getLog(PermissionsCheck.class);

	private final RedisPermissionCheck check;

	private final RedisStreamListenerRegistry registry;

	private final DeadLetterDestinationResolver destinationResolver;

	private final boolean deadLetters;

	private final boolean deadLetterEndpoint;

	private final boolean delayedDeliveryMover;

	private volatile @Nullable String problem;

	PermissionsCheck(RedisPermissionCheck check, RedisStreamListenerRegistry registry,
			DeadLetterDestinationResolver destinationResolver, boolean deadLetters, boolean deadLetterEndpoint,
			boolean delayedDeliveryMover) {
		this.check = check;
		this.registry = registry;
		this.destinationResolver = destinationResolver;
		this.deadLetters = deadLetters;
		this.deadLetterEndpoint = deadLetterEndpoint;
		this.delayedDeliveryMover = delayedDeliveryMover;
	}

	/**
	 * Check, log what is missing, and remember it.
	 * @return the message naming the missing required rules, or {@code null} if none is
	 * missing (or Redis could not be asked)
	 */
	@Nullable String checkAtStartup() {
		RedisPermissionReport report;
		try {
			report = this.check.check(permissions());
		}
		catch (DataAccessException ex) {
			logger.warn("Redis Streams could not check the Redis user's permissions at startup ("
					+ RedisRefusal.describe(ex) + "); refused commands are reported when they are sent");
			return null;
		}
		if (report.notChecked() != null && report.denied().isEmpty()) {
			logger.warn("Redis Streams could not check the Redis user's permissions at startup: " + report.notChecked()
					+ "; refused commands are reported when they are sent");
		}
		List<RedisPermissionReport.Denied> optional = report.deniedOptional();
		if (!optional.isEmpty()) {
			logger.warn("The Redis user" + user(report) + " lacks permissions that Redis Streams can work without; "
					+ "each costs what it says:" + report.describe(optional));
		}
		String message = message(report);
		this.problem = message;
		return message;
	}

	/**
	 * Return the message naming the missing required rules, asking Redis again if some
	 * were missing (so that a rule granted at runtime clears it), or {@code null}.
	 */
	@Override
	public @Nullable String get() {
		if (this.problem != null) {
			try {
				this.problem = message(this.check.check(permissions()));
			}
			catch (DataAccessException ex) {
				// the health reports Redis itself
			}
		}
		return this.problem;
	}

	private List<RedisPermission> permissions() {
		ListenerPermissions permissions = new ListenerPermissions();
		Set<String> streams = new LinkedHashSet<>();
		for (StreamListenerContainer listener : this.registry.getListenerContainers()) {
			for (StreamListenerContainer container : listener.getStreamContainers()) {
				permissions.add(container, this.destinationResolver.resolve(container.getStream()), this.deadLetters,
						this.deadLetterEndpoint);
				streams.add(container.getStream());
			}
		}
		if (this.delayedDeliveryMover) {
			permissions.addDelayedDeliveryMover(streams);
		}
		return permissions.toList();
	}

	private static @Nullable String message(RedisPermissionReport report) {
		List<RedisPermissionReport.Denied> required = report.deniedRequired();
		if (required.isEmpty()) {
			return null;
		}
		String more = (report.notChecked() != null) ? "\n(" + report.notChecked() + ")" : "";
		return "The Redis user" + user(report) + " lacks permissions that Redis Streams needs; nothing would be "
				+ "consumed. Missing ACL rules, each with what needs it:" + report.describe(required) + more
				+ "\nSee 'Running with least privilege' in the README, or set redis.streams.permission-check=report "
				+ "to start anyway with the health DOWN.";
	}

	private static String user(RedisPermissionReport report) {
		return (report.user() != null) ? " '" + report.user() + "'" : "";
	}

}
