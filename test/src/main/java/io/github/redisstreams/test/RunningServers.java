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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills every server that is still running when the JVM exits, so that a crashed test run
 * leaves no orphan {@code redis-server} behind.
 */
final class RunningServers {

	private static final Map<Object, Runnable> killers = new ConcurrentHashMap<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(RunningServers::killAll, "redis-streams-test-shutdown"));
	}

	private RunningServers() {
	}

	static void register(Object server, Runnable killer) {
		killers.put(server, killer);
	}

	static void unregister(Object server) {
		killers.remove(server);
	}

	private static void killAll() {
		for (Runnable killer : killers.values()) {
			try {
				killer.run();
			}
			catch (Throwable ex) {
				// Best effort during JVM shutdown
			}
		}
	}

}
