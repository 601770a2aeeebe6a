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

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.util.StringUtils;

/**
 * The local host name, the default instance id, looked up once, when the class is
 * initialized: thread-safe.
 */
final class LocalInstance {

	/**
	 * The local host name, else the {@code HOSTNAME} environment variable, else
	 * {@code localhost}.
	 */
	static final String ID = lookUp();

	private LocalInstance() {
	}

	private static String lookUp() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String host = System.getenv("HOSTNAME");
			return StringUtils.hasText(host) ? host : "localhost";
		}
	}

}
