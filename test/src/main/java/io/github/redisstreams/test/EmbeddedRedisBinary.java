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

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The {@code redis-server} binary shipped in the
 * {@code com.github.codemonstur:embedded-redis} jar, extracted once per JVM.
 */
final class EmbeddedRedisBinary {

	private static @Nullable Path path;

	private EmbeddedRedisBinary() {
	}

	/**
	 * Return the extracted executable, extracting it on first use.
	 * @return the path of the executable
	 */
	static synchronized Path path() {
		if (path == null) {
			path = extract(resourceName(System.getProperty("os.name"), System.getProperty("os.arch")));
		}
		return path;
	}

	static String resourceName(String osName, String osArch) {
		String os = osName.toLowerCase(Locale.ROOT);
		String arch = osArch.toLowerCase(Locale.ROOT);
		boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
		boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
		if (os.contains("linux") && amd64) {
			return "redis-server-6.2.6-v5-linux-amd64";
		}
		if (os.contains("linux") && arm64) {
			return "redis-server-6.2.7-linux-arm64";
		}
		if ((os.contains("mac") || os.contains("darwin")) && amd64) {
			return "redis-server-6.2.6-v5-darwin-amd64";
		}
		if ((os.contains("mac") || os.contains("darwin")) && arm64) {
			return "redis-server-6.2.6-v5-darwin-arm64";
		}
		throw new IllegalStateException("No embedded redis-server binary for " + osName + " " + osArch
				+ "; install redis-server on the PATH and set " + RedisServers.PROPERTY + "=path");
	}

	private static Path extract(String resourceName) {
		try (InputStream in = EmbeddedRedisBinary.class.getResourceAsStream("/" + resourceName)) {
			if (in == null) {
				throw new IllegalStateException("Resource /" + resourceName
						+ " not found; is com.github.codemonstur:embedded-redis on the classpath?");
			}
			Path file = Files.createTempFile(resourceName + "-", "");
			file.toFile().deleteOnExit();
			Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
			if (!file.toFile().setExecutable(true, true)) {
				throw new IllegalStateException("Could not make " + file + " executable");
			}
			return file;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not extract embedded redis-server " + resourceName, ex);
		}
	}

}
