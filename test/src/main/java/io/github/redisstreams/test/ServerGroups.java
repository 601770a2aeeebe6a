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

package io.github.redisstreams.test;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the cluster and the Sentinel set-up share: waiting until their processes agree,
 * and closing them all.
 */
final class ServerGroups {

	/** How long a change to a cluster or Sentinel set-up may take to settle. */
	static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(30);

	private ServerGroups() {
	}

	/**
	 * Poll a condition every 50 ms until it holds.
	 * @param what the condition, for the error message
	 * @param condition the condition
	 * @throws IllegalStateException if it does not hold within {@link #AGREEMENT_TIMEOUT}
	 */
	static void awaitAgreement(String what, BooleanSupplier condition) {
		awaitAgreement(what, condition, () -> "");
	}

	/**
	 * Poll a condition every 50 ms until it holds.
	 * @param what the condition, for the error message
	 * @param condition the condition
	 * @param state what the servers last said, for the error message
	 * @throws IllegalStateException if it does not hold within {@link #AGREEMENT_TIMEOUT}
	 */
	static void awaitAgreement(String what, BooleanSupplier condition, Supplier<String> state) {
		long deadline = System.nanoTime() + AGREEMENT_TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				String seen = state.get();
				throw new IllegalStateException("Timed out after " + AGREEMENT_TIMEOUT.toSeconds() + " s waiting until "
						+ what + (seen.isEmpty() ? "" : "; last seen: " + seen));
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting until " + what, ex);
			}
		}
	}

	/**
	 * Close every server, even when closing one fails.
	 * @param servers the servers
	 * @throws RuntimeException the first failure, with the others suppressed
	 */
	static void closeAll(List<? extends RedisServer> servers) {
		RuntimeException failure = null;
		for (RedisServer server : servers) {
			try {
				server.close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

}
