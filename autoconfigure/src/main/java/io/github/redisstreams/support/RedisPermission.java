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
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One command on one key that the starter will send, as the Redis ACL sees it: checked at
 * startup by {@link RedisPermissionCheck} so that a missing rule is named before anything
 * fails.
 * <p>
 * Not part of the public API: it is public only to be shared between the starter's
 * packages. Immutable and thread-safe.
 *
 * @param words the whole command as it would be sent, for example
 * {@code XGROUP CREATE orders orders-group $ MKSTREAM}; only checked, never run
 * @param key the key it touches, or {@code null} for a command without keys
 * @param keyPattern the ACL key pattern that grants {@code key} and the keys derived like
 * it, without the {@code ~}, for example {@code {orders}*}; {@code null} with {@code key}
 * @param use what the starter does with it, for example
 * {@code "listener 'orders' parks entries for a retry"}
 * @param withoutIt what is lost without it, or {@code null} if the starter cannot work
 * without it
 * @since 0.3.0
 */
public record RedisPermission(List<String> words, @Nullable String key, @Nullable String keyPattern, String use,
		@Nullable String withoutIt) {

	private static final List<String> CONTAINERS = List.of("xgroup", "xinfo", "client", "command", "acl", "config",
			"script", "object", "memory");

	/**
	 * Check the components.
	 * @param words the command
	 * @param key the key
	 * @param keyPattern the key pattern
	 * @param use what it is for
	 * @param withoutIt what is lost without it
	 * @throws IllegalArgumentException if {@code words} is empty, or only one of
	 * {@code key} and {@code keyPattern} is given
	 */
	public RedisPermission {
		Assert.notEmpty(words, "'words' must not be empty");
		Assert.isTrue((key == null) == (keyPattern == null), "'key' and 'keyPattern' go together");
		Assert.hasText(use, "'use' must not be empty");
		words = List.copyOf(words);
	}

	/**
	 * Return whether the starter cannot work without this permission.
	 * @return {@code true} when {@link #withoutIt()} is {@code null}
	 */
	public boolean isRequired() {
		return this.withoutIt == null;
	}

	/**
	 * Return the ACL command rule that allows the command, for example {@code +xack} or
	 * {@code +xgroup|create} (for the commands that have subcommands, as the starter's
	 * do: {@code XGROUP}, {@code XINFO}, {@code CLIENT}, {@code COMMAND}).
	 * @return the rule
	 */
	public String commandRule() {
		String command = this.words.get(0).toLowerCase(Locale.ROOT);
		if (this.words.size() > 1 && CONTAINERS.contains(command)) {
			return "+" + command + "|" + this.words.get(1).toLowerCase(Locale.ROOT);
		}
		return "+" + command;
	}

	/**
	 * Return the ACL key rule that allows the key, for example {@code ~{orders}*}.
	 * @return the rule, or {@code null} for a command without keys
	 */
	public @Nullable String keyRule() {
		return (this.keyPattern != null) ? "~" + this.keyPattern : null;
	}

}
