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

import io.lettuce.core.RedisCommandExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A refusal that Redis repeats for as long as its cause stays: no permission (ACL), a key
 * of the wrong type, a read-only replica, a command the server does not have. Retrying it
 * quickly helps nobody, and "Error in execution" helps nobody either: each has a name and
 * a fix.
 */
enum Refusal {

	NO_PERMISSION("NOPERM", true,
			"grant the Redis user that command and key pattern (ACL SETUSER; see "
					+ "'Running with least privilege' in the README)"),

	WRONG_TYPE("WRONGTYPE", true,
			"delete or rename the key that is not a stream, or point the listener at another stream"),

	// a new connection may reach the new master after a failover
	READ_ONLY("READONLY", false, "connect to the master, not a replica"),

	UNKNOWN_COMMAND("ERR unknown command", true,
			"give the server the command the starter needs (renamed or disabled in its configuration?)"),

	UNKNOWN_SUBCOMMAND("ERR unknown subcommand", true,
			"give the server the command the starter needs (renamed or disabled in its configuration?)");

	private final String prefix;

	private final boolean keepsConnection;

	private final String fix;

	Refusal(String prefix, boolean keepsConnection, String fix) {
		this.prefix = prefix;
		this.keepsConnection = keepsConnection;
		this.fix = fix;
	}

	/**
	 * Return whether the connection is still good: a new one would be refused the same
	 * way.
	 */
	boolean keepsConnection() {
		return this.keepsConnection;
	}

	/**
	 * Return what to do about it.
	 */
	String fix() {
		return this.fix;
	}

	/**
	 * Return the refusal that a failure is, or {@code null} for any other failure (a lost
	 * connection, a timeout, a busy server: transient).
	 * @param failure the failure from Lettuce, or one wrapping it
	 * @return the refusal, or {@code null}
	 */
	static @Nullable Refusal of(Throwable failure) {
		Throwable current = failure;
		for (int depth = 0; current != null && depth < 32; depth++, current = current.getCause()) {
			if (current instanceof RedisCommandExecutionException && current.getMessage() != null) {
				for (Refusal refusal : values()) {
					if (current.getMessage().startsWith(refusal.prefix)) {
						return refusal;
					}
				}
				return null;
			}
		}
		return null;
	}

}
