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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.redisstreams.support.LuaScript;

/**
 * Runs the listeners' scripts on a consumer or control connection with text arguments.
 */
final class Scripts {

	private Scripts() {
	}

	@SuppressWarnings("unchecked")
	static List<Object> run(StreamConnection connection, LuaScript script, Duration timeout, String[] keys,
			String... args) throws Exception {
		byte[][] values = new byte[args.length][];
		for (int i = 0; i < args.length; i++) {
			values[i] = args[i].getBytes(StandardCharsets.UTF_8);
		}
		Object result = script.run(connection.scripting(), timeout, keys, values);
		return (result instanceof List<?> list) ? (List<Object>) list : List.of();
	}

}
