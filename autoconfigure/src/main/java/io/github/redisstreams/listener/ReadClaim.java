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
import java.util.concurrent.atomic.AtomicBoolean;

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
 * Whether a container's consumers take over idle pending entries in their reads:
 * {@code XREADGROUP GROUP g c ... CLAIM min-idle-time STREAMS s >} (Redis 8.4+) returns
 * the group's entries idle for at least {@code min-idle-time} first, claimed for the
 * reading consumer with their delivery counts, then new entries; a blocked read is woken
 * when a pending entry becomes idle enough. The reclaimer's {@code XAUTOCLAIM} round is
 * then only a backstop for pending entries whose payload was deleted, which the read
 * skips: it runs every {@code min-idle-time} at most.
 * <p>
 * Decided once per start, by the first consumer that connects, from the server's
 * {@code COMMAND DOCS XREADGROUP} (never from a version string), and turned off for good
 * when a read with {@code CLAIM} is refused as a syntax error (a cluster node or a
 * replica promoted from an older version). Entries waiting for a retry are owned by the
 * parking consumer and would look idle to such a read: while it is active, parked entries
 * idle for longer than half of {@code min-idle-time} get their idle time reset
 * ({@link #refreshParked}) before each connection's first read and every quarter of
 * {@code min-idle-time} (the container's {@link ClaimRefresher}). An entry not reset at
 * one refresh is at most half of {@code min-idle-time} idle, and at most three quarters
 * at the next: no read can take it before it is due. A user not granted the reset's
 * commands ({@code NOPERM}) turns claiming in reads off for good, with one warning naming
 * the rules: reads must not take parked entries early. Thread-safe.
 */
final class ReadClaim {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	/** {@code null} until decided. */
	private volatile @Nullable Boolean active;

	private final AtomicBoolean aclRefusalLogged = new AtomicBoolean();

	private ReadClaim(ContainerSettings settings, @Nullable Boolean active) {
		this.settings = settings;
		this.active = active;
	}

	/**
	 * Return an undecided instance, or one that is off if the settings say so.
	 * @param settings the container's settings
	 * @return the instance
	 */
	static ReadClaim forSettings(ContainerSettings settings) {
		return new ReadClaim(settings, settings.values().isClaimOnRead() ? null : Boolean.FALSE);
	}

	/**
	 * Return an instance that is always off.
	 * @param settings the container's settings
	 * @return the instance
	 */
	static ReadClaim off(ContainerSettings settings) {
		return new ReadClaim(settings, Boolean.FALSE);
	}

	private static final LuaScript REFRESH_PARKED = LuaScript.load(ReadClaim.class, "refresh-parked.lua");

	private static final int PAGE = 500;

	/**
	 * Get a new connection ready for reads: decide, unless decided, whether reads claim
	 * idle entries, and while they do, reset the idle time of parked entries first.
	 * @param connection the consumer's new connection
	 * @param timeout how long to wait for an answer
	 * @throws Exception if the server cannot be reached (undecided still); a refusal of
	 * {@code COMMAND DOCS} (before Redis 7.0, or by ACL) decides for the fallback
	 */
	void prepare(StreamConnection connection, Duration timeout) throws Exception {
		if (this.active == null) {
			decide(connection, timeout);
		}
		else if (isActive()) {
			refreshParked(connection, timeout);
		}
	}

	/**
	 * Reset the idle time of entries parked for a retry that were idle for longer than
	 * half of {@code min-idle-time} ({@code refresh-parked.lua}); nothing while inactive.
	 * @param connection a connection to the server
	 * @param timeout how long to wait
	 * @return how many were reset
	 * @throws Exception if Redis failed
	 */
	long refreshParked(StreamConnection connection, Duration timeout) throws Exception {
		return isActive() ? Math.max(0, refresh(connection, timeout)) : 0;
	}

	/**
	 * Reset the parked entries' idle time. A user not granted a command of the script
	 * ({@code NOPERM}) cannot keep them from looking idle: claiming in reads is turned
	 * off for good, with one warning naming the rules, and the reclaimer takes over.
	 * @return how many were reset, or -1 if refused by ACL
	 */
	private long refresh(StreamConnection connection, Duration timeout) throws Exception {
		long threshold = Math.max(1, this.settings.values().getMinIdleTime().toMillis() / 2);
		List<Object> result;
		try {
			result = Scripts.run(connection, REFRESH_PARKED, timeout, new String[] { this.settings.stream() },
					this.settings.group(), RetrySchedule.PARKING_CONSUMER, Long.toString(threshold),
					Integer.toString(PAGE));
		}
		catch (Exception ex) {
			if (RedisRefusal.of(ex) != RedisRefusal.NO_PERMISSION) {
				throw ex;
			}
			this.active = Boolean.FALSE;
			if (this.aclRefusalLogged.compareAndSet(false, true)) {
				logger.warn("Listener '" + this.settings.listenerId() + "': idle pending entries of stream '"
						+ this.settings.stream() + "' cannot be taken over in the reads (XREADGROUP ... CLAIM): "
						+ "keeping the entries waiting for a retry from looking idle was refused ("
						+ RedisRefusal.withScript(ex) + "); they are reclaimed with XAUTOCLAIM every "
						+ this.settings.values().getReclaimInterval().toMillis() + " ms instead. Grant the Redis user "
						+ "+xpending +xrange +xclaim on the stream to claim them in the reads (see 'Running with "
						+ "least privilege' in the README), or set redis.streams.reclaim.claim-on-read=false");
			}
			return -1;
		}
		return result.isEmpty() ? 0 : ((Number) result.get(0)).longValue();
	}

	/**
	 * Ask the server whether {@code XREADGROUP} takes {@code CLAIM}; if it does, reset
	 * the parked entries before the answer is given to any reader. Concurrent callers may
	 * both ask; they get the same answer.
	 */
	private void decide(StreamConnection connection, Duration timeout) throws Exception {
		boolean claim;
		try {
			CommandArgs<String, byte[]> args = new CommandArgs<>(StreamConnections.CODEC).add("DOCS").add("XREADGROUP");
			RedisFuture<List<Object>> docs = connection.base()
				.dispatch(CommandType.COMMAND, new ArrayOutput<>(StreamConnections.CODEC), args);
			claim = RedisServerProbe.documentsArgument(connection.await(docs, timeout), "XREADGROUP", "CLAIM");
		}
		catch (ExecutionException ex) {
			if (!(EntryReader.unwrap(ex) instanceof RedisCommandExecutionException refusal)) {
				throw ex;
			}
			logger.debug("Listener '" + this.settings.listenerId() + "': COMMAND DOCS XREADGROUP refused ("
					+ refusal.getMessage() + "); idle entries are reclaimed with XAUTOCLAIM");
			claim = false;
		}
		if (claim) {
			// before any reader may claim: if this fails, the question stays open; if it
			// is refused by ACL, the answer is no
			claim = refresh(connection, timeout) >= 0;
		}
		if (this.active == null) {
			this.active = claim;
			if (logger.isDebugEnabled()) {
				logger.debug("Listener '" + this.settings.listenerId() + "': idle pending entries are taken over "
						+ (claim ? "in the consumers' reads (XREADGROUP ... CLAIM)" : "by the reclaimer (XAUTOCLAIM)"));
			}
		}
	}

	/**
	 * Return whether reads claim idle entries: decided, and the server offers it.
	 * @return whether active
	 */
	boolean isActive() {
		return Boolean.TRUE.equals(this.active);
	}

	/**
	 * Return how long an entry must be idle to be claimed by a read, in milliseconds.
	 * @return the minimum idle time
	 */
	long minIdleMillis() {
		return this.settings.values().getMinIdleTime().toMillis();
	}

	/**
	 * Turn claiming in reads off for good if the failure is the server refusing the
	 * {@code CLAIM} argument.
	 * @param failure the failure of a read
	 * @return whether it was that refusal (the read can be sent again at once without
	 * {@code CLAIM})
	 */
	boolean refused(Throwable failure) {
		if (!isActive() || !(failure instanceof RedisCommandExecutionException)) {
			return false;
		}
		String message = failure.getMessage();
		if (message == null || !message.startsWith("ERR") || !(message.contains("syntax error")
				|| message.contains("CLAIM") || message.contains("min-idle-time"))) {
			return false;
		}
		this.active = Boolean.FALSE;
		logger.warn("Listener '" + this.settings.listenerId() + "': the server refused XREADGROUP ... CLAIM (" + message
				+ "); idle pending entries are reclaimed with XAUTOCLAIM every "
				+ this.settings.values().getReclaimInterval().toMillis() + " ms from now on");
		return true;
	}

}
