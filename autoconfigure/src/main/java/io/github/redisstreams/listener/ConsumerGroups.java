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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.RedisRefusal;

/**
 * Creates the consumer group of one container with {@code MKSTREAM}. The first creation
 * uses the configured {@link StartPosition}; a group that vanished later (the stream was
 * deleted, or Redis restarted without persistence) is recreated from the beginning, so
 * that entries published in between are not skipped.
 */
final class ConsumerGroups {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final AtomicBoolean existed = new AtomicBoolean();

	ConsumerGroups(ContainerSettings settings) {
		this.settings = settings;
	}

	void ensureGroup(StreamConnection connection, Duration timeout) throws Exception {
		boolean recreate = this.existed.get();
		String offset = recreate ? StartPosition.BEGINNING.getOffset()
				: this.settings.values().getStartPosition().getOffset();
		try {
			connection.streams()
				.xgroupCreate(StreamOffset.from(this.settings.stream(), offset), this.settings.group(),
						XGroupCreateArgs.Builder.mkstream(true))
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (recreate) {
				logger.warn("Listener '" + this.settings.listenerId() + "': consumer group '" + this.settings.group()
						+ "' of stream '" + this.settings.stream()
						+ "' had disappeared (stream deleted, evicted, or Redis restarted without persistence); "
						+ "recreated it from the beginning of the stream");
			}
			else {
				logger.info("Listener '" + this.settings.listenerId() + "': created consumer group '"
						+ this.settings.group() + "' of stream '" + this.settings.stream() + "' at offset " + offset);
			}
		}
		catch (ExecutionException ex) {
			if (!isBusyGroup(ex.getCause()) && !groupExists(connection, timeout)) {
				throw ex;
			}
		}
		this.existed.set(true);
		if (this.settings.values().isBroadcast()) {
			registerBroadcastGroup(connection, timeout);
		}
	}

	/**
	 * Record the broadcast group so that other instances may remove it once this one is
	 * gone; best effort: without it the group merely stays after this instance is gone.
	 */
	private void registerBroadcastGroup(StreamConnection connection, Duration timeout) throws InterruptedException {
		try {
			BroadcastGroups.register(connection, this.settings, timeout);
		}
		catch (InterruptedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			logger.debug("Listener '" + this.settings.listenerId() + "': could not record broadcast group '"
					+ this.settings.group() + "' (" + RedisRefusal.describe(ex) + "); it stays when this instance "
					+ "is gone");
		}
	}

	/**
	 * Whether the group exists although creating it failed with something other than
	 * {@code BUSYGROUP}: a full Redis refuses {@code XGROUP CREATE} with {@code OOM}, and
	 * a user without {@code +xgroup|create} with {@code NOPERM}, while both still allow
	 * reading from and acknowledging in an existing group ({@code XINFO GROUPS}, read
	 * only).
	 */
	private boolean groupExists(StreamConnection connection, Duration timeout) {
		try {
			List<Object> groups = connection.streams()
				.xinfoGroups(this.settings.stream())
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			for (Object group : groups) {
				if (group instanceof List<?> fields) {
					for (int i = 0; i + 1 < fields.size(); i += 2) {
						if ("name".equals(text(fields.get(i)))
								&& this.settings.group().equals(text(fields.get(i + 1)))) {
							return true;
						}
					}
				}
			}
			return false;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return false;
		}
	}

	private static String text(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	private static boolean isBusyGroup(@Nullable Throwable ex) {
		return ex instanceof RedisCommandExecutionException && ex.getMessage() != null
				&& ex.getMessage().startsWith("BUSYGROUP");
	}

}
