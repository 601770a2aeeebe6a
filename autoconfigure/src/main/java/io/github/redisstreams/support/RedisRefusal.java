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

package io.github.redisstreams.support;

import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * A refusal that Redis repeats for as long as its cause stays: no permission (ACL), a key
 * of the wrong type, a read-only replica, a command the server does not have. Retrying it
 * quickly helps nobody, and "Error in execution" helps nobody either: each has a name and
 * a fix.
 * <p>
 * Not part of the public API: it is public only to be shared between the starter's
 * packages (the listeners, the endpoints).
 *
 * @since 0.3.0
 */
public enum RedisRefusal {

	/**
	 * {@code NOPERM}: the user may not run the command or touch the key (ACL).
	 */
	NO_PERMISSION("NOPERM", true,
			"grant the Redis user that command and key pattern (ACL SETUSER; see "
					+ "'Running with least privilege' in the README)",
			"can't run this command", "can't access at least one of the keys", "ACL failure in script"),

	/**
	 * {@code WRONGTYPE}: the key holds another type than the command works on.
	 */
	WRONG_TYPE("WRONGTYPE", true,
			"delete or rename the key that is not a stream, or point the listener at another stream"),

	/**
	 * {@code READONLY}: the connection reached a replica.
	 */
	// a new connection may reach the new master after a failover
	READ_ONLY("READONLY", false, "connect to the master, not a replica"),

	/**
	 * {@code NOREPLICAS}: the master refuses writes ({@code XREADGROUP} is one) while
	 * fewer replicas than {@code min-replicas-to-write} are connected and in sync.
	 * @since 0.4.0
	 */
	NO_REPLICAS("NOREPLICAS", true,
			"bring the master's replicas back, or lower its min-replicas-to-write "
					+ "(or raise min-replicas-max-lag)"),

	/**
	 * {@code MISCONF}: the server refuses writes because its last RDB snapshot failed
	 * ({@code stop-writes-on-bgsave-error yes}).
	 * @since 0.4.0
	 */
	MISCONFIGURED_PERSISTENCE("MISCONF", true,
			"fix the server's snapshots (disk full or not writable? see its "
					+ "log and INFO persistence), or set stop-writes-on-bgsave-error no"),

	/**
	 * {@code MASTERDOWN}: the connection reached a replica that lost its master and
	 * serves no stale data ({@code replica-serve-stale-data no}).
	 * @since 0.4.0
	 */
	// a new connection may reach the master
	MASTER_DOWN("MASTERDOWN", false, "connect to the master, not a replica, and check the replica's link to it"),

	/**
	 * {@code ERR unknown command}: the server has no such command (renamed, disabled, too
	 * old).
	 */
	UNKNOWN_COMMAND("ERR unknown command", true,
			"give the server the command the starter needs (renamed or disabled in its configuration?)",
			"Unknown Redis command"),

	/**
	 * {@code ERR unknown subcommand}: the server has no such subcommand.
	 */
	UNKNOWN_SUBCOMMAND("ERR unknown subcommand", true,
			"give the server the command the starter needs (renamed or disabled in its configuration?)");

	// inside a script Redis replies "ERR Error running script ...: <reason>" (6.2) or
	// "ERR <reason> script: <sha>, on @user_script:<line>." (7.x), and words its ACL
	// refusals its own way: "The user executing the script can't ..." (6.2 to 7.0),
	// "ACL failure in script: ..." (7.2+, Redis 8, Valkey)
	private static final String SCRIPT_ERROR = "script";

	private final String prefix;

	private final List<String> inScript;

	private final boolean keepsConnection;

	private final String fix;

	RedisRefusal(String prefix, boolean keepsConnection, String fix, String... inScript) {
		this.prefix = prefix;
		this.inScript = List.of(inScript);
		this.keepsConnection = keepsConnection;
		this.fix = fix;
	}

	/**
	 * Return whether the connection is still good: a new one would be refused the same
	 * way.
	 * @return whether to keep the connection
	 */
	public boolean keepsConnection() {
		return this.keepsConnection;
	}

	/**
	 * Return what to do about it.
	 * @return the fix, a sentence without a final period
	 */
	public String fix() {
		return this.fix;
	}

	/**
	 * Return the refusal that a failure is, or {@code null} for any other failure (a lost
	 * connection, a timeout, a busy server: transient).
	 * @param failure the failure from Lettuce, or one wrapping it
	 * @return the refusal, or {@code null}
	 */
	public static @Nullable RedisRefusal of(Throwable failure) {
		Throwable current = failure;
		for (int depth = 0; current != null && depth < 32; depth++, current = current.getCause()) {
			if (current instanceof RedisCommandExecutionException && current.getMessage() != null) {
				String message = current.getMessage();
				boolean script = message.startsWith("ERR") && message.contains(SCRIPT_ERROR);
				for (RedisRefusal refusal : values()) {
					if (message.startsWith(refusal.prefix) || (script && (message.contains(refusal.prefix)
							|| refusal.inScript.stream().anyMatch(message::contains)))) {
						return refusal;
					}
				}
				return null;
			}
		}
		return null;
	}

	/**
	 * Return the message of the deepest cause that has one, as Spring's
	 * {@link NestedExceptionUtils#getMostSpecificCause} finds it: Lettuce and Spring wrap
	 * Redis's own words ("NOPERM ...", "WRONGTYPE ...") in generic ones ("Error in
	 * execution").
	 * @param failure the failure
	 * @return the message, or the class name of the deepest cause if it has none
	 */
	public static String mostSpecificMessage(Throwable failure) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
		String message = cause.getMessage();
		return (message != null && !message.isBlank()) ? message : cause.getClass().getName();
	}

	/**
	 * Describe a failure for a log, a health detail or an endpoint's error: Redis's own
	 * words, the starter's script they come from (with the commands it calls, as Redis
	 * does not name the one it refused), and the fix when Redis will refuse it again.
	 * @param failure the failure
	 * @return the description
	 */
	public static String describe(Throwable failure) {
		RedisRefusal refusal = of(failure);
		String message = withScript(failure);
		return (refusal != null) ? message + "; fix: " + refusal.fix() : message;
	}

	/**
	 * Return the {@link #mostSpecificMessage(Throwable) most specific message}, followed
	 * by the starter's script it comes from, if any, and the commands that script calls.
	 * @param failure the failure
	 * @return the message
	 */
	public static String withScript(Throwable failure) {
		String message = mostSpecificMessage(failure);
		String script = LuaScript.describeScriptIn(message);
		return (script != null) ? message + " (" + script + ")" : message;
	}

}
