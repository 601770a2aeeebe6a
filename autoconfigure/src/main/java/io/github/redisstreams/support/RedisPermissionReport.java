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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * What {@link RedisPermissionCheck} found: the permissions the server refuses, each with
 * the ACL rule that would grant it.
 * <p>
 * Not part of the public API: it is public only to be shared between the starter's
 * packages. Immutable and thread-safe.
 *
 * @param user the Redis user ({@code ACL WHOAMI}), or {@code null} if unknown
 * @param denied the refused permissions, in the order they were asked
 * @param notChecked why the check could not be made, or {@code null} if it was
 * @since 0.3.0
 */
public record RedisPermissionReport(@Nullable String user, List<Denied> denied, @Nullable String notChecked) {

	/**
	 * Copy the list.
	 * @param user the user
	 * @param denied the refused permissions
	 * @param notChecked why nothing was checked
	 */
	public RedisPermissionReport {
		denied = List.copyOf(denied);
	}

	/**
	 * Return the refused permissions that the starter cannot work without.
	 * @return the refused required permissions
	 */
	public List<Denied> deniedRequired() {
		return this.denied.stream().filter((denied) -> denied.permission().isRequired()).toList();
	}

	/**
	 * Return the refused permissions that only cost a feature.
	 * @return the refused optional permissions
	 */
	public List<Denied> deniedOptional() {
		return this.denied.stream().filter((denied) -> !denied.permission().isRequired()).toList();
	}

	/**
	 * Describe refused permissions for a log or an exception: the rules to grant, each
	 * with the commands and keys it is needed for, and the {@code ACL SETUSER} command
	 * that grants them all.
	 * @param refused some of {@link #denied()}
	 * @return the description, several lines
	 */
	public String describe(List<Denied> refused) {
		Map<String, Map<String, Set<String>>> byRule = new LinkedHashMap<>();
		for (Denied denied : refused) {
			RedisPermission permission = denied.permission();
			String command = String.join(" ", permission.words().subList(0, commandWords(permission)))
				.toUpperCase(Locale.ROOT);
			boolean keyRule = denied.rule().startsWith("~");
			// a key pattern: the commands on each key; a command: the keys and what for
			String what = keyRule ? "'" + permission.key() + "'"
					: command + ((permission.key() != null) ? " on '" + permission.key() + "'" : "");
			String detail = keyRule ? command : permission.use()
					+ ((permission.withoutIt() != null) ? "; without it " + permission.withoutIt() : "");
			byRule.computeIfAbsent(denied.rule(), (rule) -> new LinkedHashMap<>())
				.computeIfAbsent(what, (key) -> new LinkedHashSet<>())
				.add(detail);
		}
		StringBuilder text = new StringBuilder();
		byRule.forEach((rule, whats) -> {
			List<String> parts = new ArrayList<>();
			whats.forEach((what, details) -> parts.add(what + " (" + String.join(", ", details) + ")"));
			text.append("\n  ").append(rule).append(": ").append(String.join(", ", parts));
		});
		Set<String> grants = new LinkedHashSet<>();
		for (String rule : byRule.keySet()) {
			if (rule.startsWith("+") || rule.startsWith("~")) {
				grants.addAll(List.of(rule.split(" and ")));
			}
		}
		if (!grants.isEmpty()) {
			text.append("\nGrant them with: ACL SETUSER ")
				.append((this.user != null) ? this.user : "<user>")
				.append(' ')
				.append(String.join(" ", grants));
		}
		return text.toString();
	}

	private static int commandWords(RedisPermission permission) {
		return permission.commandRule().contains("|") ? 2 : 1;
	}

	/**
	 * Work out which rule each refusal needs from the server's allowed or denied answers.
	 * A refused command on a key is asked about again twice: the same command on a key
	 * that some allowed command uses (refused again: the command rule is missing), and
	 * that allowed command on this key (refused: the key pattern is missing).
	 * @param permissions what was asked
	 * @param answers one per permission: 1 allowed, 0 denied, -1 unknown command
	 * @param ask asks the server about more commands, one answer each
	 * @return the refusals
	 */
	static List<Denied> denied(List<RedisPermission> permissions, List<Long> answers,
			Function<List<List<String>>, List<Long>> ask) {
		RedisPermission allowedWithKey = null;
		for (int i = 0; i < permissions.size() && allowedWithKey == null; i++) {
			if (answers.get(i) == 1 && permissions.get(i).key() != null) {
				allowedWithKey = permissions.get(i);
			}
		}
		List<Integer> undecided = new ArrayList<>();
		List<List<String>> probes = new ArrayList<>();
		for (int i = 0; i < permissions.size(); i++) {
			RedisPermission permission = permissions.get(i);
			if (answers.get(i) == 0 && permission.key() != null && allowedWithKey != null) {
				undecided.add(i);
				probes.add(replace(permission.words(), permission.key(), allowedWithKey.key()));
				probes.add(replace(allowedWithKey.words(), allowedWithKey.key(), permission.key()));
			}
		}
		List<Long> probed = probes.isEmpty() ? List.of() : ask.apply(probes);
		List<Denied> denied = new ArrayList<>();
		for (int i = 0; i < permissions.size(); i++) {
			RedisPermission permission = permissions.get(i);
			long answer = answers.get(i);
			if (answer == -1) {
				denied.add(new Denied(permission, unknown(permission)));
			}
			else if (answer == 0) {
				String keyRule = permission.keyRule();
				int probe = undecided.indexOf(i);
				if (keyRule == null) {
					denied.add(new Denied(permission, permission.commandRule()));
				}
				else if (probe < 0 || probed.size() != probes.size()) {
					denied.add(new Denied(permission, permission.commandRule() + " and " + keyRule));
				}
				else {
					boolean commandAllowed = probed.get(2 * probe) == 1;
					boolean keyAllowed = probed.get(2 * probe + 1) == 1;
					String rule = commandAllowed ? keyRule : permission.commandRule();
					if (!commandAllowed && !keyAllowed) {
						rule = permission.commandRule() + " and " + keyRule;
					}
					denied.add(new Denied(permission, rule));
				}
			}
		}
		return denied;
	}

	private static List<String> replace(List<String> words, @Nullable String from, @Nullable String to) {
		return words.stream().map((word) -> word.equals(from) ? String.valueOf(to) : word).toList();
	}

	/**
	 * Work out which rule each refusal needs from the replies to commands queued in a
	 * transaction: Redis names the command or the keys it refuses.
	 * @param permissions what was queued
	 * @param replies one per permission: {@code QUEUED} or an error message
	 * @return the refusals
	 */
	static List<Denied> deniedByReplies(List<RedisPermission> permissions, List<String> replies) {
		List<Denied> denied = new ArrayList<>();
		for (int i = 0; i < permissions.size(); i++) {
			RedisPermission permission = permissions.get(i);
			String reply = replies.get(i);
			if (reply.startsWith("NOPERM")) {
				String keyRule = permission.keyRule();
				boolean key = reply.contains(" key") && keyRule != null;
				denied.add(new Denied(permission, key ? Objects.requireNonNull(keyRule) : permission.commandRule()));
			}
			else if (reply.startsWith("ERR unknown command") || reply.startsWith("ERR unknown subcommand")) {
				denied.add(new Denied(permission, unknown(permission)));
			}
		}
		return denied;
	}

	private static String unknown(RedisPermission permission) {
		return "command " + permission.commandRule().substring(1).toUpperCase(Locale.ROOT)
				+ " is unknown to the server (renamed or disabled in its configuration?)";
	}

	/**
	 * One refused permission.
	 *
	 * @param permission the permission
	 * @param rule the ACL rule that grants it, for example {@code ~{orders}*} or
	 * {@code +zrange}; or a sentence when no rule can (a command the server does not
	 * have)
	 */
	public record Denied(RedisPermission permission, String rule) {

	}

}
