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
import java.util.concurrent.ExecutionException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.LuaScript;
import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.RedisServerProbe;

/**
 * Trims a listener's stream to its retention limits ({@code retention.max-length},
 * {@code retention.max-age}) every {@code retention.interval}, never past an entry that
 * any consumer group of the stream still needs: not yet delivered to the group, or
 * pending (which includes entries waiting for a retry). Where the server documents
 * {@code XDELEX ... ACKED} (Redis 8.2+, {@code COMMAND DOCS}) the server gives that
 * guarantee, entry by entry; elsewhere the script computes the oldest needed entry from
 * {@code XINFO GROUPS} and {@code XPENDING} and trims before it (both in
 * {@code retention.lua}). A user not granted {@code XDELEX} ({@code NOPERM}) gets the
 * latter from then on, with one warning naming the rule. Either looks at the oldest
 * 10,000 entries per run at most. Reports the entries trimmed and those held back by a
 * group. Runs on the container's control connection.
 */
final class RetentionTask implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	/** The most entries trimmed, and held-back entries counted, per run. */
	static final int LIMIT = 10_000;

	private static final LuaScript RETENTION = LuaScript.load(RetentionTask.class, "retention.lua");

	private final ContainerSettings settings;

	private final ControlConnection control;

	private final Duration commandTimeout;

	private final ListenerMetrics metrics;

	private @Nullable Boolean acked;

	private boolean failing;

	RetentionTask(ContainerSettings settings, ControlConnection control, Duration commandTimeout,
			ListenerMetrics metrics) {
		this.settings = settings;
		this.control = control;
		this.commandTimeout = commandTimeout;
		this.metrics = metrics;
	}

	/**
	 * Return whether the settings set a retention limit.
	 * @param values the listener's settings
	 * @return whether to schedule the task
	 */
	static boolean isNeeded(ListenerSettings values) {
		return values.getRetentionMaxLength() > 0 || !values.getRetentionMaxAge().isZero();
	}

	@Override
	public void run() {
		try {
			StreamConnection connection = this.control.get();
			boolean serverGuarantee = serverTrimsAcked(connection);
			ListenerSettings values = this.settings.values();
			long oldestKept = System.currentTimeMillis() - values.getRetentionMaxAge().toMillis();
			// an age limit longer than the time since 1970 trims nothing
			String tooOld = (values.getRetentionMaxAge().isZero() || oldestKept <= 0) ? "" : oldestKept + "-0";
			List<Object> result;
			try {
				result = trim(connection, values, tooOld, serverGuarantee);
			}
			catch (Exception ex) {
				if (!serverGuarantee || RedisRefusal.of(ex) != RedisRefusal.NO_PERMISSION) {
					throw ex;
				}
				// XDELEX not granted: trim before the oldest needed entry instead.
				// If that is refused too, the refusal is not XDELEX's, and XDELEX
				// is asked again
				result = trim(connection, values, tooOld, false);
				this.acked = false;
				logger.warn("Listener '" + this.settings.listenerId() + "': trimming stream '" + this.settings.stream()
						+ "' with XDELEX ... ACKED was refused (" + RedisRefusal.withScript(ex)
						+ "); it is trimmed only before the oldest entry a group still needs from now on, so "
						+ "acknowledged entries behind a pending one stay until it is acknowledged. Grant the Redis "
						+ "user +xdelex to let the server trim them (see 'Running with least privilege' in the README)");
			}
			long trimmed = ((Number) result.get(0)).longValue();
			long heldBack = ((Number) result.get(1)).longValue();
			this.metrics.retention(this.settings.container(), trimmed, heldBack);
			if (logger.isDebugEnabled() && (trimmed > 0 || heldBack > 0)) {
				logger.debug("Listener '" + this.settings.listenerId() + "': trimmed " + trimmed + " entr(ies) of '"
						+ this.settings.stream() + "'; " + heldBack + " held back by a group that still needs them");
			}
			if (this.failing) {
				logger.info("Listener '" + this.settings.listenerId() + "': trimming stream '" + this.settings.stream()
						+ "' works again");
				this.failing = false;
			}
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// a scheduled task that throws is never run again: nothing may escape
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			RedisRefusal refusal = RedisRefusal.of(ex);
			if (refusal == null || !refusal.keepsConnection()) {
				this.control.reset();
			}
			if (!this.failing) {
				logger.warn("Listener '" + this.settings.listenerId() + "': trimming stream '" + this.settings.stream()
						+ "' failed (" + RedisRefusal.describe(ex) + "); trying again every "
						+ this.settings.values().getRetentionInterval().toMillis() + " ms");
			}
			this.failing = true;
		}
	}

	private List<Object> trim(StreamConnection connection, ListenerSettings values, String tooOld,
			boolean serverGuarantee) throws Exception {
		return Scripts.run(connection, RETENTION, this.commandTimeout, new String[] { this.settings.stream() },
				Long.toString(values.getRetentionMaxLength()), tooOld, Integer.toString(LIMIT),
				serverGuarantee ? "1" : "0");
	}

	/**
	 * Ask once whether {@code XDELEX} takes {@code ACKED}; a refusal of
	 * {@code COMMAND DOCS} (before Redis 7.0, or by ACL) means no.
	 */
	private boolean serverTrimsAcked(StreamConnection connection) throws Exception {
		Boolean known = this.acked;
		if (known != null) {
			return known;
		}
		boolean found;
		try {
			CommandArgs<String, byte[]> args = new CommandArgs<>(StreamConnections.CODEC).add("DOCS").add("XDELEX");
			RedisFuture<List<Object>> docs = connection.base()
				.dispatch(CommandType.COMMAND, new ArrayOutput<>(StreamConnections.CODEC), args);
			found = RedisServerProbe.documentsArgument(connection.await(docs, this.commandTimeout), "XDELEX", "ACKED");
		}
		catch (ExecutionException ex) {
			if (!(EntryReader.unwrap(ex) instanceof RedisCommandExecutionException)) {
				throw ex;
			}
			found = false;
		}
		this.acked = found;
		return found;
	}

}
