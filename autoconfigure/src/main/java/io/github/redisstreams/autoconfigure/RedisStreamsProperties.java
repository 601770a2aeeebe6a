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

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.StartPosition;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Redis Streams listeners and publishing.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("redis.streams")
public class RedisStreamsProperties {

	/**
	 * Whether to enable Redis Streams listeners and publishing.
	 */
	private boolean enabled = true;

	private final Listener listener = new Listener();

	/**
	 * Per-listener settings, keyed by listener id; they take precedence over the
	 * annotation's attributes. Use brackets for ids that contain dots, such as
	 * 'redis.streams.listeners[orderListener.onOrder].concurrency'.
	 */
	private final Map<String, ListenerOverride> listeners = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Map<String, ListenerOverride> getListeners() {
		return this.listeners;
	}

	/**
	 * Defaults of every listener.
	 */
	public static class Listener {

		/**
		 * Whether to start listeners automatically on startup.
		 */
		private boolean autoStartup = true;

		/**
		 * Consumer group of listeners that do not name one. When not set,
		 * 'spring.application.name' is used.
		 */
		private @Nullable String group;

		/**
		 * Identifier of this application instance, the prefix of its consumer names. It
		 * must be unique among running instances and stable across restarts of the same
		 * instance, so that a restarted instance finds its own pending entries. When not
		 * set, the host name is used.
		 */
		private @Nullable String instanceId;

		/**
		 * Number of consumers per listener, each with its own thread and connection.
		 */
		private int concurrency = 1;

		/**
		 * Maximum number of entries a consumer reads per XREADGROUP call.
		 */
		private int batchSize = 100;

		/**
		 * How long a consumer blocks waiting for new entries (XREADGROUP BLOCK). Must be
		 * shorter than 'spring.data.redis.timeout'.
		 */
		private Duration pollTimeout = Duration.ofSeconds(2);

		/**
		 * How long stopping a listener waits for in-flight handlers; entries not
		 * processed by then stay pending.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(10);

		/**
		 * Where a consumer group created by a listener starts reading: 'beginning' (no
		 * entry published before the group existed is skipped) or 'end'.
		 */
		private StartPosition startPosition = StartPosition.BEGINNING;

		private final Recovery recovery = new Recovery();

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public @Nullable String getGroup() {
			return this.group;
		}

		public void setGroup(@Nullable String group) {
			this.group = group;
		}

		public @Nullable String getInstanceId() {
			return this.instanceId;
		}

		public void setInstanceId(@Nullable String instanceId) {
			this.instanceId = instanceId;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public StartPosition getStartPosition() {
			return this.startPosition;
		}

		public void setStartPosition(StartPosition startPosition) {
			this.startPosition = startPosition;
		}

		public Recovery getRecovery() {
			return this.recovery;
		}

	}

	/**
	 * Back-off of a consumer while Redis is unreachable or its group is missing.
	 */
	public static class Recovery {

		/**
		 * Delay before the first new attempt.
		 */
		private Duration delay = Duration.ofMillis(200);

		/**
		 * Multiplier applied to the delay after each failed attempt.
		 */
		private double multiplier = 2.0;

		/**
		 * Maximum delay between attempts.
		 */
		private Duration maxDelay = Duration.ofSeconds(10);

		/**
		 * Random amount added to or removed from each delay, so that consumers do not
		 * retry in lockstep.
		 */
		private Duration jitter = Duration.ofMillis(100);

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * Settings of one listener.
	 */
	public static class ListenerOverride {

		/**
		 * Consumer group of the listener.
		 */
		private @Nullable String group;

		/**
		 * Number of consumers of the listener.
		 */
		private @Nullable Integer concurrency;

		/**
		 * Whether to start the listener automatically on startup.
		 */
		private @Nullable Boolean autoStartup;

		/**
		 * Maximum number of entries the listener's consumers read per XREADGROUP call.
		 */
		private @Nullable Integer batchSize;

		/**
		 * How long the listener's consumers block waiting for new entries.
		 */
		private @Nullable Duration pollTimeout;

		public @Nullable String getGroup() {
			return this.group;
		}

		public void setGroup(@Nullable String group) {
			this.group = group;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Boolean getAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(@Nullable Boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public @Nullable Integer getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(@Nullable Integer batchSize) {
			this.batchSize = batchSize;
		}

		public @Nullable Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(@Nullable Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

	}

}
