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
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.RedisRefusal;

/**
 * Keeps live work from being reclaimed: entries a consumer has held for more than half of
 * {@code min-idle-time} get their idle time reset ({@code XCLAIM ... JUSTID} to their
 * owner, which does not count as a delivery), as long as that consumer still owns them.
 * While consumers claim idle entries in their reads, entries parked for a retry are kept
 * from looking idle the same way ({@link ReadClaim#refreshParked}). A refusal Redis
 * repeats until its cause is gone ({@link RedisRefusal}) is logged once per command, and
 * once more, at INFO, when the command works again; any other failure is logged each
 * time. Runs on one scheduled thread at a time.
 */
final class ClaimRefresher implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final ControlConnection control;

	private final Supplier<List<@Nullable HeldEntries>> held;

	private final Duration commandTimeout;

	private final ReadClaim readClaim;

	/** The refusal of the in-flight entries' refresh last logged, until it works. */
	private @Nullable RedisRefusal inFlightRefusal;

	/** The refusal of the parked entries' refresh last logged, until it works. */
	private @Nullable RedisRefusal parkedRefusal;

	ClaimRefresher(ContainerSettings settings, ControlConnection control, Supplier<List<@Nullable HeldEntries>> held,
			Duration commandTimeout, ReadClaim readClaim) {
		this.readClaim = readClaim;
		this.settings = settings;
		this.control = control;
		this.held = held;
		this.commandTimeout = commandTimeout;
	}

	@Override
	public void run() {
		refreshParked();
		long threshold = this.settings.values().getMinIdleTime().toNanos() / 2;
		for (HeldEntries entries : this.held.get()) {
			long now = System.nanoTime();
			if (entries == null || entries.ids().isEmpty() || now - entries.refreshedAt() < threshold) {
				continue;
			}
			try {
				OrphanClaims.refresh(this.control.get(), this.settings, entries.consumer(), entries.ids(),
						this.commandTimeout);
				entries.refreshed(now);
				this.inFlightRefusal = worksAgain(this.inFlightRefusal, "refreshing the claims of in-flight entries");
			}
			catch (Exception ex) {
				this.inFlightRefusal = failed(ex, this.inFlightRefusal,
						"could not refresh the claim of " + entries.ids().size() + " in-flight entr(ies) of consumer '"
								+ entries.consumer() + "' with XCLAIM ... JUSTID",
						"they may be reclaimed and processed twice");
			}
		}
	}

	private void refreshParked() {
		if (!this.readClaim.isActive()) {
			return;
		}
		try {
			this.readClaim.refreshParked(this.control.get(), this.commandTimeout);
			this.parkedRefusal = worksAgain(this.parkedRefusal,
					"keeping the entries waiting for a retry from looking idle");
		}
		catch (Exception ex) {
			this.parkedRefusal = failed(ex, this.parkedRefusal,
					"could not keep the entries waiting for a retry from looking idle with XCLAIM ... JUSTID",
					"a consumer's read may take one before it is due");
		}
	}

	/**
	 * Log a failed refresh: a refusal Redis repeats once, until the command works again
	 * or Redis refuses it another way; any other failure every time.
	 * @param ex the failure
	 * @param logged the refusal last logged for the command, or {@code null}
	 * @param what what could not be done, with the command
	 * @param consequence what may happen because of it
	 * @return the refusal logged for the command from now on
	 */
	private @Nullable RedisRefusal failed(Exception ex, @Nullable RedisRefusal logged, String what,
			String consequence) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
		}
		RedisRefusal refusal = RedisRefusal.of(ex);
		if (refusal == null || !refusal.keepsConnection()) {
			this.control.reset();
		}
		String message = "Listener '" + this.settings.listenerId() + "': " + what + " (" + RedisRefusal.describe(ex)
				+ "); " + consequence;
		if (refusal == null) {
			logger.warn(message);
			return logged;
		}
		if (refusal != logged) {
			logger.warn(message
					+ "; Redis refuses this every time until its cause is gone (logged once until it works again)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
		return refusal;
	}

	private @Nullable RedisRefusal worksAgain(@Nullable RedisRefusal logged, String what) {
		if (logged != null) {
			logger.info("Listener '" + this.settings.listenerId() + "': " + what + " works again");
		}
		return null;
	}

}
