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
 */
final class ClaimRefresher implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final ContainerSettings settings;

	private final ControlConnection control;

	private final Supplier<List<@Nullable HeldEntries>> held;

	private final Duration commandTimeout;

	ClaimRefresher(ContainerSettings settings, ControlConnection control, Supplier<List<@Nullable HeldEntries>> held,
			Duration commandTimeout) {
		this.settings = settings;
		this.control = control;
		this.held = held;
		this.commandTimeout = commandTimeout;
	}

	@Override
	public void run() {
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
			}
			catch (Exception ex) {
				this.control.reset();
				logger.warn("Listener '" + this.settings.listenerId() + "': could not refresh the claim of "
						+ entries.ids().size() + " in-flight entr(ies) of consumer '" + entries.consumer() + "' ("
						+ RedisRefusal.describe(ex) + "); they may be reclaimed and processed twice");
			}
		}
	}

}
