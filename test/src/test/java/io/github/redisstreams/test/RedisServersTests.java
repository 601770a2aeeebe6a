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

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RedisServers} and the other parts that need no Redis server.
 */
class RedisServersTests {

	private static final Optional<Path> ON_PATH = Optional.of(Path.of("/usr/bin/redis-server"));

	@Test
	void valkeyIsKnownByItsOwnVersionField() {
		Map<String, String> valkey = Map.of("redis_version", "7.2.4", "server_name", "valkey", "valkey_version",
				"8.1.1");
		assertThat(RedisServers.serverName(valkey)).isEqualTo("valkey");
		assertThat(RedisServers.version(valkey)).isEqualTo("8.1.1");
		assertThat(RedisServers.serverName(Map.of("redis_version", "7.2.4", "valkey_version", "7.2.5")))
			.isEqualTo("valkey");
	}

	@Test
	void redisIsKnownByRedisVersion() {
		Map<String, String> redis = Map.of("redis_version", "8.6.3", "redis_mode", "standalone");
		assertThat(RedisServers.serverName(redis)).isEqualTo("redis");
		assertThat(RedisServers.version(redis)).isEqualTo("8.6.3");
		assertThat(RedisServers.version(Map.of())).isEqualTo("unknown");
	}

	@Test
	void autoPrefersTestcontainersWhenDockerIsAvailable() {
		assertThat(RedisServers.resolveKind("auto", () -> true, () -> ON_PATH))
			.isEqualTo(RedisServerKind.TESTCONTAINERS);
	}

	@Test
	void autoUsesPathWithoutDocker() {
		assertThat(RedisServers.resolveKind("auto", () -> false, () -> ON_PATH)).isEqualTo(RedisServerKind.PATH);
	}

	@Test
	void autoFallsBackToEmbedded() {
		assertThat(RedisServers.resolveKind("auto", () -> false, Optional::empty)).isEqualTo(RedisServerKind.EMBEDDED);
	}

	@Test
	void missingOrBlankMeansAuto() {
		assertThat(RedisServers.resolveKind(null, () -> false, Optional::empty)).isEqualTo(RedisServerKind.EMBEDDED);
		assertThat(RedisServers.resolveKind("  ", () -> false, () -> ON_PATH)).isEqualTo(RedisServerKind.PATH);
	}

	@Test
	void explicitKindsIgnoreTheEnvironment() {
		assertThat(RedisServers.resolveKind("testcontainers", () -> false, Optional::empty))
			.isEqualTo(RedisServerKind.TESTCONTAINERS);
		assertThat(RedisServers.resolveKind("PATH", () -> true, Optional::empty)).isEqualTo(RedisServerKind.PATH);
		assertThat(RedisServers.resolveKind(" embedded ", () -> true, () -> ON_PATH))
			.isEqualTo(RedisServerKind.EMBEDDED);
	}

	@Test
	void unknownKindFails() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RedisServers.resolveKind("docker", () -> false, Optional::empty))
			.withMessageContaining("'docker'")
			.withMessageContaining("redis-streams.test.redis")
			.withMessageContaining("auto, testcontainers, path and embedded");
	}

	@Test
	void findOnPathFindsExecutableFile(@TempDir Path temp) throws IOException {
		Path empty = Files.createDirectory(temp.resolve("empty"));
		Path notExecutable = Files.createDirectory(temp.resolve("not-executable"));
		Files.createFile(notExecutable.resolve("redis-server"));
		Path bin = Files.createDirectory(temp.resolve("bin"));
		Path executable = Files.createFile(bin.resolve("redis-server"));
		assertThat(executable.toFile().setExecutable(true)).isTrue();
		String path = String.join(File.pathSeparator, empty.toString(), "", notExecutable.toString(), bin.toString());
		assertThat(RedisServers.findOnPath(path)).contains(executable);
		assertThat(RedisServers.findOnPath(empty.toString())).isEmpty();
		assertThat(RedisServers.findOnPath(null)).isEmpty();
	}

	@Test
	void missingRedisServerOnPathHasAClearMessage(@TempDir Path temp) {
		assertThatIllegalStateException().isThrownBy(() -> RedisServers.redisServerOnPath(temp.toString()))
			.withMessage("redis-server is not on the PATH; install it (apt-get install redis-server) or set "
					+ "redis-streams.test.redis=embedded");
	}

	@Test
	void appendOnlyAndPasswordAreReadFromTheArgs() {
		assertThat(RedisServers.isAppendOnly(List.of())).isFalse();
		assertThat(RedisServers.isAppendOnly(List.of("--appendonly", "yes", "--appendfsync", "always"))).isTrue();
		assertThat(RedisServers.isAppendOnly(List.of("--appendonly", "yes", "--appendonly", "no"))).isFalse();
		assertThat(RedisServers.password(List.of("--requirepass", "secret"))).isEqualTo("secret");
		assertThat(RedisServers.password(List.of("--requirepass"))).isNull();
	}

	@Test
	void embeddedBinaryNames() {
		assertThat(EmbeddedRedisBinary.resourceName("Linux", "amd64")).isEqualTo("redis-server-6.2.6-v5-linux-amd64");
		assertThat(EmbeddedRedisBinary.resourceName("Linux", "aarch64")).isEqualTo("redis-server-6.2.7-linux-arm64");
		assertThat(EmbeddedRedisBinary.resourceName("Mac OS X", "aarch64"))
			.isEqualTo("redis-server-6.2.6-v5-darwin-arm64");
		assertThat(EmbeddedRedisBinary.resourceName("Mac OS X", "x86_64"))
			.isEqualTo("redis-server-6.2.6-v5-darwin-amd64");
		assertThatIllegalStateException().isThrownBy(() -> EmbeddedRedisBinary.resourceName("Windows 11", "amd64"))
			.withMessageContaining("Windows 11");
	}

	@Test
	void extensionServerBeforeStartFails() {
		assertThatIllegalStateException().isThrownBy(() -> new RedisServerExtension().server())
			.withMessageContaining("not been started");
	}

}
