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

package io.github.redisstreams.deadletter;

import io.github.redisstreams.support.LuaScript;

/**
 * The Lua scripts of the dead-letter operations, in the {@code .lua} resources beside
 * this class.
 */
final class DeadLetterScripts {

	static final LuaScript PUBLISH = LuaScript.load(DeadLetterScripts.class, "publish.lua");

	static final LuaScript REDRIVE = LuaScript.load(DeadLetterScripts.class, "redrive.lua");

	static final LuaScript PAGE = LuaScript.load(DeadLetterScripts.class, "page.lua");

	static final LuaScript SCAN = LuaScript.load(DeadLetterScripts.class, "scan.lua");

	static final LuaScript PURGE = LuaScript.load(DeadLetterScripts.class, "purge.lua");

	/**
	 * The most arguments after the keys that a script may unpack into one command: Lua's
	 * C stack holds about 8,000 values ({@code LUAI_MAXCSTACK}), so wider entries are
	 * written by a transaction instead.
	 */
	static final int MAX_SCRIPT_ARGUMENTS = 7000;

	private DeadLetterScripts() {
	}

}
