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

package io.github.redisstreams.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.RedisServerInfo;
import io.github.redisstreams.support.RedisServerProbe;
import io.github.redisstreams.support.StreamStatistics;
import io.github.redisstreams.support.StreamStatisticsReader;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.util.Assert;

/**
 * Health of Redis Streams: whether every listener that should consume does, and what the
 * Redis server they use is like.
 * <p>
 * The status is:
 * <ul>
 * <li>{@code DOWN} when Redis cannot be reached; when a listener that starts with the
 * application is stopped; when a consumer loop of a running listener ended (it died);
 * when a listener's consumers have been failing to talk to Redis for longer than the
 * {@link #setFailingThreshold(Duration) failing threshold}; or when the server is older
 * than Redis 6.2;</li>
 * <li>the {@link #setThresholdStatus(Status) threshold status} ({@code UP} by default,
 * that is, only a warning) when the oldest pending entry of a listener's group is older
 * than {@link #setMaxOldestPendingAge(Duration)}, or when more entries than
 * {@link #setMaxDeadLetterGrowth(Long)} were dead-lettered since the previous health
 * check;</li>
 * <li>{@code UP} otherwise.</li>
 * </ul>
 * The details hold the {@code server} (name, version, probed commands,
 * {@code maxmemory-policy}, append-only persistence and its warnings), one entry per
 * listener under {@code listeners} (state, stream, group, pending entries, age of the
 * oldest pending entry, dead letters, ...), and the reasons of a bad status under
 * {@code errors} and {@code warnings}.
 * <p>
 * Failure durations and dead-letter growth are measured between calls: the indicator
 * remembers when it first saw a listener failing and how many dead letters there were at
 * the previous call. Each check sends {@code PING}, probes the server once (see
 * {@link RedisServerProbe}), and reads each listener's statistics (see
 * {@link StreamStatisticsReader}); a failure to reach Redis reports {@code DOWN} with the
 * exception. Thread-safe once configured; configure before use.
 *
 * @since 0.1.0
 */
public class RedisStreamsHealthIndicator extends AbstractHealthIndicator {

	private final RedisStreamListenerRegistry registry;

	private final StreamStatisticsReader statisticsReader;

	private final RedisServerProbe serverProbe;

	private final Map<String, Long> failingSince = new ConcurrentHashMap<>();

	private final Map<String, Long> deadLetterLengths = new ConcurrentHashMap<>();

	private Duration failingThreshold = Duration.ofMinutes(1);

	private @Nullable Duration maxOldestPendingAge;

	private @Nullable Long maxDeadLetterGrowth;

	private Status thresholdStatus = Status.UP;

	private Supplier<@Nullable String> permissionProblem = () -> null;

	/**
	 * Create an indicator.
	 * @param registry the registry of the listeners to check
	 * @param statisticsReader reads the state of each listener's stream and group
	 * @param serverProbe describes the Redis server
	 * @throws IllegalArgumentException if an argument is {@code null}
	 */
	public RedisStreamsHealthIndicator(RedisStreamListenerRegistry registry, StreamStatisticsReader statisticsReader,
			RedisServerProbe serverProbe) {
		super("Redis Streams health check failed");
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(statisticsReader, "'statisticsReader' must not be null");
		Assert.notNull(serverProbe, "'serverProbe' must not be null");
		this.registry = registry;
		this.statisticsReader = statisticsReader;
		this.serverProbe = serverProbe;
	}

	/**
	 * Set how long the consumers of a listener may fail to talk to Redis before the
	 * status is {@code DOWN}. Measured from the first health check that saw the listener
	 * failing. Default: one minute; zero reports {@code DOWN} at once.
	 * @param failingThreshold the threshold, not negative
	 * @throws IllegalArgumentException if {@code failingThreshold} is {@code null} or
	 * negative
	 */
	public void setFailingThreshold(Duration failingThreshold) {
		Assert.notNull(failingThreshold, "'failingThreshold' must not be null");
		Assert.isTrue(!failingThreshold.isNegative(), "'failingThreshold' must not be negative");
		this.failingThreshold = failingThreshold;
	}

	/**
	 * Set the maximum age of the oldest pending entry of a listener's group, measured
	 * from the entry's id (its publication time) to the Redis server's current time, with
	 * millisecond precision. Default: not checked.
	 * @param maxOldestPendingAge the maximum age, or {@code null}
	 */
	public void setMaxOldestPendingAge(@Nullable Duration maxOldestPendingAge) {
		this.maxOldestPendingAge = maxOldestPendingAge;
	}

	/**
	 * Set the maximum number of entries added to a listener's dead-letter stream between
	 * two health checks, as the growth of its length ({@code XLEN}); dead letters trimmed
	 * by a maximum length or deleted in between are not counted. Default: not checked.
	 * @param maxDeadLetterGrowth the maximum growth, or {@code null}
	 */
	public void setMaxDeadLetterGrowth(@Nullable Long maxDeadLetterGrowth) {
		this.maxDeadLetterGrowth = maxDeadLetterGrowth;
	}

	/**
	 * Set the status to report when a threshold is exceeded. Default: {@link Status#UP},
	 * so that exceeding a threshold only adds a warning.
	 * @param thresholdStatus the status, for example {@link Status#OUT_OF_SERVICE}
	 * @throws IllegalArgumentException if {@code thresholdStatus} is {@code null}
	 */
	public void setThresholdStatus(Status thresholdStatus) {
		Assert.notNull(thresholdStatus, "'thresholdStatus' must not be null");
		this.thresholdStatus = thresholdStatus;
	}

	/**
	 * Set where to find a missing permission found by the startup check: while it gives a
	 * message, the status is {@code DOWN} with that message under {@code errors}. Called
	 * at each health check; it may ask Redis again, so that a permission granted at
	 * runtime clears it.
	 * @param permissionProblem gives the message, or {@code null} when nothing is missing
	 * @throws IllegalArgumentException if {@code permissionProblem} is {@code null}
	 * @since 0.3.0
	 */
	public void setPermissionProblem(Supplier<@Nullable String> permissionProblem) {
		Assert.notNull(permissionProblem, "'permissionProblem' must not be null");
		this.permissionProblem = permissionProblem;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		try {
			check(builder);
		}
		catch (DataAccessException ex) {
			// Redis's own words, not Spring's "Error in execution"
			builder.down().withDetail("error", RedisRefusal.describe(ex));
		}
	}

	private void check(Health.Builder builder) {
		this.serverProbe.ping();
		RedisServerInfo server = this.serverProbe.getServerInfo();
		Check check = new Check();
		if (!server.isSupported()) {
			check.error(server.getUnsupportedMessage());
		}
		String permissionProblem = this.permissionProblem.get();
		if (permissionProblem != null) {
			check.error(permissionProblem);
		}
		Map<String, Object> listeners = new LinkedHashMap<>();
		Set<String> ids = new HashSet<>();
		for (StreamListenerContainer container : this.registry.getListenerContainers()) {
			ids.add(container.getListenerId());
			listeners.put(container.getListenerId(), listener(container, check));
		}
		this.failingSince.keySet().retainAll(ids);
		this.deadLetterLengths.keySet().retainAll(ids);
		builder.status(check.status);
		builder.withDetail("server", server(server));
		builder.withDetail("listeners", listeners);
		if (!check.errors.isEmpty()) {
			builder.withDetail("errors", check.errors);
		}
		if (!check.warnings.isEmpty()) {
			builder.withDetail("warnings", check.warnings);
		}
	}

	private Map<String, Object> listener(StreamListenerContainer container, Check check) {
		String id = container.getListenerId();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", state(container, check));
		details.put("stream", container.getStream());
		List<StreamListenerContainer> partitions = container.getStreamContainers();
		if (container.getSettings().getPartitions() > 0) {
			details.put("partitions", partitions.stream().map(StreamListenerContainer::getStream).toList());
		}
		details.put("group", container.getGroup());
		details.put("autoStartup", container.isAutoStartup());
		details.put("failedAttempts", container.getFailedAttempts());
		Long since = this.failingSince.get(id);
		if (since != null) {
			details.put("failingFor", format(Duration.ofNanos(System.nanoTime() - since)));
			String lastFailure = container.getLastFailure();
			if (lastFailure != null) {
				details.put("lastFailure", lastFailure);
			}
		}
		StreamStatistics statistics;
		try {
			statistics = read(container, partitions);
		}
		catch (DataAccessResourceFailureException | TransientDataAccessException ex) {
			throw ex;
		}
		catch (DataAccessException ex) {
			String error = RedisRefusal.describe(ex);
			details.put("statisticsError", error);
			if (RedisRefusal.of(ex) != null && !container.isRefused()) {
				check.error("listener '" + id + "': reading its stream and group is refused by Redis: " + error);
			}
			return details;
		}
		details.put("groupExists", statistics.exists());
		details.put("length", statistics.length());
		details.put("pending", statistics.pending());
		if (statistics.oldestPendingAge() != null) {
			details.put("oldestPendingAge", format(statistics.oldestPendingAge()));
		}
		if (statistics.lag() != null) {
			details.put("lag", statistics.lag());
		}
		details.put("retryScheduled", statistics.retryScheduled());
		details.put("deadLetterLength", statistics.deadLetterLength());
		checkThresholds(id, statistics, check);
		return details;
	}

	/** The statistics of the listener's stream, summed over its partitions. */
	private StreamStatistics read(StreamListenerContainer container, List<StreamListenerContainer> partitions) {
		if (container.getSettings().getPartitions() == 0) {
			return this.statisticsReader.read(container.getStream(), container.getGroup());
		}
		List<StreamStatistics> each = new ArrayList<>();
		for (StreamListenerContainer partition : partitions) {
			each.add(this.statisticsReader.read(partition.getStream(), partition.getGroup()));
		}
		return StreamStatistics.combine(container.getStream(), container.getGroup(), each);
	}

	private String state(StreamListenerContainer container, Check check) {
		String id = container.getListenerId();
		if (!container.isRunning()) {
			this.failingSince.remove(id);
			if (container.isAutoStartup()) {
				check.error("listener '" + id + "' is stopped although it starts with the application");
			}
			return "stopped";
		}
		if (!container.isHealthy()) {
			this.failingSince.remove(id);
			check.error("a consumer of listener '" + id + "' has ended: the listener no longer consumes fully");
			return "consumer-died";
		}
		if (!container.isFailing()) {
			this.failingSince.remove(id);
			return "running";
		}
		// the container's clock starts with the first failed attempt; the indicator's own
		// (for containers that do not keep one) with the first check that saw it failing
		long now = System.nanoTime();
		Duration reported = container.getFailingFor();
		long since = (reported != null) ? now - reported.toNanos()
				: this.failingSince.computeIfAbsent(id, (key) -> now);
		this.failingSince.put(id, since);
		Duration failingFor = Duration.ofNanos(now - since);
		if (container.isRefused()) {
			// Redis repeats this refusal until someone fixes its cause: no point in
			// waiting
			check.error("listener '" + id + "' is refused by Redis: " + container.getLastFailure());
		}
		else if (failingFor.compareTo(this.failingThreshold) >= 0) {
			String lastFailure = container.getLastFailure();
			check.error("listener '" + id + "' has been failing to talk to Redis for " + format(failingFor)
					+ " (failing threshold " + format(this.failingThreshold) + ")"
					+ ((lastFailure != null) ? ": " + lastFailure : ""));
		}
		return "failing";
	}

	private void checkThresholds(String id, StreamStatistics statistics, Check check) {
		Duration oldest = statistics.oldestPendingAge();
		if (this.maxOldestPendingAge != null && oldest != null && oldest.compareTo(this.maxOldestPendingAge) > 0) {
			check.thresholdExceeded(this.thresholdStatus,
					"listener '" + id + "': the oldest pending entry of stream '" + statistics.stream() + "' in group '"
							+ statistics.group() + "' is " + format(oldest) + " old (maximum "
							+ format(this.maxOldestPendingAge) + ")");
		}
		Long previous = this.deadLetterLengths.put(id, statistics.deadLetterLength());
		long growth = (previous != null) ? Math.max(0, statistics.deadLetterLength() - previous) : 0;
		if (this.maxDeadLetterGrowth != null && growth > this.maxDeadLetterGrowth) {
			check.thresholdExceeded(this.thresholdStatus,
					"listener '" + id + "': " + growth + " entries of stream '" + statistics.stream()
							+ "' were dead-lettered since the previous health check (maximum "
							+ this.maxDeadLetterGrowth + ")");
		}
	}

	private static Map<String, Object> server(RedisServerInfo server) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("name", server.serverName());
		details.put("version", server.version());
		details.put("supported", server.isSupported());
		details.put("capabilities", server.capabilities());
		if (server.maxmemoryPolicy() != null) {
			details.put("maxmemoryPolicy", server.maxmemoryPolicy());
		}
		if (server.appendOnly() != null) {
			details.put("appendOnly", server.appendOnly());
		}
		details.put("warnings", server.warnings());
		return details;
	}

	private static String format(Duration duration) {
		return duration.toString();
	}

	/**
	 * The outcome of one health check.
	 */
	private static final class Check {

		private Status status = Status.UP;

		private final List<String> errors = new ArrayList<>();

		private final List<String> warnings = new ArrayList<>();

		void error(String message) {
			this.errors.add(message);
			this.status = Status.DOWN;
		}

		void thresholdExceeded(Status thresholdStatus, String message) {
			this.warnings.add(message);
			if (this.status.equals(Status.UP)) {
				this.status = thresholdStatus;
			}
		}

	}

}
