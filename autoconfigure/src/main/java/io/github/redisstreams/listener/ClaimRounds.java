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
 * instances idle. When no consumer has room the round is left at its cursor and goes on
 * when one has (a later tick), or at the next interval; the rest stays pending, where
 * another instance's consumers may take it. A round sends at most {@value #MAX_PAGES}
 * pages per {@code reclaim-interval}, as before, and a page that stopped short of the end
 * of the pending list with nothing to hand over (only entries waiting for a retry, which
 * go back to the parking consumer) doubles the next page's {@code COUNT}, up to the batch
 * size, so that a slow listener's small pages do not crawl through a long retry schedule.
 * <p>
 * Used by the reclaimer's thread only; {@link #stop()} from any thread.
 */
final class ClaimRounds {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	static final int MAX_PAGES = 100;

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

	/** Pages this interval's round may still send. */
	private int pagesLeft;

	/** At least this {@code COUNT}: grows while pages hand nothing over. */
	private int scan = 1;

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
		 * Hand entries to the consumer whose room the last {@link #room()} gave, if it
		 * still runs, else to the running consumer with the most room.
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
		return this.resumeFrom != null && this.pagesLeft > 0 && this.handoff.room() > 0;
	}

	/**
	 * Start this interval's round: go on with the round left unfinished, if any, or start
	 * one from the beginning of the pending list, with a new budget of pages.
	 * @param connection the control connection
	 * @throws Exception when Redis fails
	 */
	void start(StreamConnection connection) throws Exception {
		this.pagesLeft = MAX_PAGES;
		String resume = this.resumeFrom;
		claimFrom(connection, (resume != null) ? resume : "0-0");
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
		int reclaimed = 0;
		try {
			reclaimed = claimPages(connection, from);
		}
		finally {
			if (reclaimed > 0) {
				// one line per run, not per page: a slow listener's pages are small
				logger.info("Listener '" + this.settings.listenerId() + "': reclaimed " + reclaimed
						+ " entr(ies) of stream '" + this.settings.stream() + "' idle for more than "
						+ this.settings.values().getMinIdleTime().toMillis() + " ms");
			}
		}
	}

	/** Return how many entries were handed over. */
	private int claimPages(StreamConnection connection, String from) throws Exception {
		this.resumeFrom = null;
		String cursor = from;
		int reclaimed = 0;
		while (this.running && this.pagesLeft > 0) {
			int room = awaitRoom();
			if (room == 0) {
				break;
			}
			this.pagesLeft--;
			Claimed.Reclaimed page = OrphanClaims.reclaim(connection, this.settings, this.settings.claimerName(),
					cursor, Math.min(Math.max(room, this.scan), pageSize()), this.commandTimeout);
			Claimed claimed = page.claimed();
			boolean handed = !claimed.entries.isEmpty() || !claimed.lost.isEmpty() || !claimed.deleted.isEmpty();
			handOver(claimed);
			reclaimed += claimed.entries.size();
			cursor = page.cursor();
			if ("0-0".equals(cursor)) {
				// the end of the pending list: nothing more is idle now
				this.scan = 1;
				return reclaimed;
			}
			// a page that stopped short of the end with nothing to hand over went
			// through entries waiting for a retry (or not idle): look further next time
			this.scan = handed ? 1 : Math.min(this.scan * 2, pageSize());
		}
		// no room, or this interval's pages are spent: the rest waits at the cursor
		this.resumeFrom = cursor;
		return reclaimed;
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
	 * At most the batch size: a consumer's room is at most what its next read asks for,
	 * which is 100 at most until it timed a batch ({@link BatchSizer}).
	 */
	private int pageSize() {
		return this.settings.values().getBatchSize();
	}

	private void handOver(Claimed claimed) {
		if (claimed.isEmpty()) {
			return;
		}
		if (!claimed.entries.isEmpty()) {
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
