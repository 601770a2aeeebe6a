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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;

/**
 * The reclaimer's rounds: claim idle entries of the group's pending list page by page
 * ({@code XAUTOCLAIM}, {@link OrphanClaims}) and hand each page to a running consumer. A
 * page is no larger than what a consumer can start within about a second (what its next
 * read would ask for, {@link BatchSizer}, less what was handed to it and not started): a
 * slow listener's instance does not take a dead consumer's whole backlog while other
 * instances idle. When no consumer has room, or after {@value #MAX_ROUNDS} pages, the
 * round is left where it is and goes on at a later tick; the rest stays pending, where
 * another instance's consumers may take it.
 * <p>
 * Used by the reclaimer's thread only; {@link #stop()} from any thread.
 */
final class ClaimRounds {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	static final int MAX_ROUNDS = 100;

	/**
	 * How long a round waits for a consumer to take what was handed to it: one whose
	 * handler is not busy does within milliseconds.
	 */
	private static final long ROOM_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private final ContainerSettings settings;

	private final Handoff handoff;

	private final Duration commandTimeout;

	private final ListenerMetrics metrics;

	private volatile boolean running = true;

	/** Where a round left unfinished goes on, or {@code null}. */
	private @Nullable String resumeFrom;

	ClaimRounds(ContainerSettings settings, Handoff handoff, Duration commandTimeout, ListenerMetrics metrics) {
		this.settings = settings;
		this.handoff = handoff;
		this.commandTimeout = commandTimeout;
		this.metrics = metrics;
	}

	/**
	 * Takes reclaimed entries over.
	 */
	interface Handoff {

		/**
		 * Return how many entries a running consumer can take over now (the most of any):
		 * about a second of its handler's work, less what waits for it already.
		 * @return 0 when none can, or none runs
		 */
		int room();

		/**
		 * Hand entries to the running consumer with the most room.
		 * @return {@code false} if no consumer runs
		 */
		boolean handOver(String owner, List<StreamEntry> entries, Map<String, Long> deliveryCounts, List<String> lost);

	}

	void stop() {
		this.running = false;
	}

	/**
	 * Return whether a round was left unfinished and a consumer has room for it now.
	 * @return whether {@link #goOn} would claim
	 */
	boolean canGoOn() {
		return this.resumeFrom != null && this.handoff.room() > 0;
	}

	/**
	 * Start a round from the beginning of the pending list.
	 * @param connection the control connection
	 * @throws Exception when Redis fails
	 */
	void start(StreamConnection connection) throws Exception {
		claimFrom(connection, "0-0");
	}

	/**
	 * Go on with the round left unfinished, if any.
	 * @param connection the control connection
	 * @throws Exception when Redis fails
	 */
	void goOn(StreamConnection connection) throws Exception {
		String resume = this.resumeFrom;
		if (resume != null) {
			claimFrom(connection, resume);
		}
	}

	private void claimFrom(StreamConnection connection, String from) throws Exception {
		this.resumeFrom = null;
		String cursor = from;
		int pages = 0;
		while (this.running) {
			int room = awaitRoom();
			if (room == 0) {
				this.resumeFrom = cursor;
				return;
			}
			Claimed.Reclaimed reclaimed = OrphanClaims.reclaim(connection, this.settings, this.settings.claimerName(),
					cursor, Math.min(room, pageSize()), this.commandTimeout);
			handOver(reclaimed.claimed());
			cursor = reclaimed.cursor();
			if ("0-0".equals(cursor)) {
				return;
			}
			if (++pages >= MAX_ROUNDS) {
				this.resumeFrom = cursor;
				return;
			}
		}
	}

	private int awaitRoom() {
		long deadline = System.nanoTime() + ROOM_WAIT_NANOS;
		int room = this.handoff.room();
		while (room == 0 && this.running && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			room = this.handoff.room();
		}
		return room;
	}

	/**
	 * At most what a consumer asks for before it timed a batch, and at most the batch
	 * size.
	 */
	private int pageSize() {
		return Math.min(this.settings.values().getBatchSize(), BatchSizer.FIRST_COUNT);
	}

	private void handOver(Claimed claimed) {
		if (claimed.isEmpty()) {
			return;
		}
		if (!claimed.entries.isEmpty()) {
			logger.info("Listener '" + this.settings.listenerId() + "': reclaimed " + claimed.entries.size()
					+ " entr(ies) of stream '" + this.settings.stream() + "' idle for more than "
					+ this.settings.values().getMinIdleTime().toMillis() + " ms");
			this.metrics.reclaimed(this.settings.container(), "orphaned", claimed.entries.size());
		}
		List<String> lost = new ArrayList<>(claimed.lost);
		lost.addAll(claimed.deleted);
		if (!lost.isEmpty()) {
			this.metrics.reclaimed(this.settings.container(), "payload-lost", lost.size());
		}
		if (!this.handoff.handOver(this.settings.claimerName(), claimed.entries, claimed.deliveryCounts, lost)) {
			logger.debug("Listener '" + this.settings.listenerId() + "': no running consumer to hand "
					+ claimed.entries.size() + " reclaimed entr(ies) to; they stay pending");
		}
	}

}
