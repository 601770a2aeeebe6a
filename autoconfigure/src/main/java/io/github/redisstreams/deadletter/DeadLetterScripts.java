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

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * The Lua scripts of the dead-letter operations, read once from the {@code .lua}
 * resources beside this class, and run with {@code EVALSHA}, falling back to {@code EVAL}
 * when the server does not have the script yet ({@code NOSCRIPT}).
 */
final class DeadLetterScripts {

	static final Script PUBLISH = load("publish.lua");

	static final Script REDRIVE = load("redrive.lua");

	static final Script PAGE = load("page.lua");

	static final Script SCAN = load("scan.lua");

	static final Script PURGE = load("purge.lua");

	/**
	 * The most arguments after the keys that a script may unpack into one command: Lua's
	 * C stack holds about 8,000 values ({@code LUAI_MAXCSTACK}), so wider entries are
	 * written by a transaction instead.
	 */
	static final int MAX_SCRIPT_ARGUMENTS = 7000;

	private DeadLetterScripts() {
	}

	private static Script load(String name) {
		try (InputStream in = DeadLetterScripts.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("Missing script resource " + name);
			}
			byte[] text = in.readAllBytes();
			String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text));
			return new Script(name, text, sha.getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException | NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Cannot read script resource " + name, ex);
		}
	}

	/**
	 * A script: its resource name, text and hex SHA-1 digest.
	 */
	static final class Script {

		private final String name;

		private final byte[] text;

		private final byte[] sha;

		Script(String name, byte[] text, byte[] sha) {
			this.name = name;
			this.text = text;
			this.sha = sha;
		}

		@Override
		public String toString() {
			return this.name;
		}

		/**
		 * Run the script.
		 * @param connection the connection
		 * @param returnType how to read the reply
		 * @param numKeys how many of the arguments are keys
		 * @param keysAndArgs the keys, then the arguments
		 * @return the reply
		 * @throws org.springframework.dao.DataAccessException if Redis refused it
		 */
		@Nullable Object run(RedisConnection connection, ReturnType returnType, int numKeys, byte[]... keysAndArgs) {
			try {
				return connection.scriptingCommands().evalSha(this.sha, returnType, numKeys, keysAndArgs);
			}
			catch (RuntimeException ex) {
				if (!isNoScript(ex)) {
					throw ex;
				}
				return connection.scriptingCommands().eval(this.text, returnType, numKeys, keysAndArgs);
			}
		}

		private static boolean isNoScript(Throwable ex) {
			for (Throwable current = ex; current != null; current = current.getCause()) {
				if (current.getMessage() != null && current.getMessage().contains("NOSCRIPT")) {
					return true;
				}
			}
			return false;
		}

	}

}
