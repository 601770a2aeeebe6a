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

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the decisions taken from what a server reports: {@link RedisServerInfo#of}
 * and {@link RedisServerInfo#assertSupported()}.
 */
class RedisServerProbeTests {

	private static final Set<String> REDIS_62 = Set.of("XAUTOCLAIM", "XREADGROUP");

	@Test
	void redisWithXautoclaimIsSupported() {
		RedisServerInfo info = RedisServerInfo.of(null, "6.2.11", null, REDIS_62, "noeviction", true);
		assertThat(info.serverName()).isEqualTo("redis");
		assertThat(info.version()).isEqualTo("6.2.11");
		assertThat(info.getDescription()).isEqualTo("Redis 6.2.11");
		assertThat(info.isSupported()).isTrue();
		assertThat(info.hasCapability("xautoclaim")).isTrue();
		assertThat(info.hasCapability(RedisServerInfo.XACKDEL)).isFalse();
		assertThat(info.warnings()).isEmpty();
		info.assertSupported();
	}

	@Test
	void serverWithoutXautoclaimIsRefusedWhateverItsVersionSays() {
		// a Valkey-like INFO: redis_version is frozen at 7.2.4, which would pass a
		// version
		// check; the decision is taken on the probed commands
		RedisServerInfo info = RedisServerInfo.of("valkey", "7.2.4", "8.0.1", Set.of("XREADGROUP"), "noeviction", true);
		assertThat(info.isSupported()).isFalse();
		assertThatIllegalStateException().isThrownBy(info::assertSupported)
			.withMessageContaining("Valkey 8.0.1")
			.withMessageContaining("6.2 or later")
			.withMessageContaining("XAUTOCLAIM")
			.withMessageNotContaining("7.2.4");
	}

	@Test
	void oldRedisIsRefusedWithItsVersionInTheMessage() {
		RedisServerInfo info = RedisServerInfo.of(null, "6.0.20", null, Set.of("XREADGROUP"), "noeviction", true);
		assertThatIllegalStateException().isThrownBy(info::assertSupported)
			.withMessageContaining("Redis 6.0.20")
			.withMessageContaining("needs Redis 6.2 or later");
	}

	@Test
	void valkeyReportsItsOwnNameAndVersion() {
		RedisServerInfo info = RedisServerInfo.of("valkey", "7.2.4", "8.0.1", REDIS_62, "noeviction", true);
		assertThat(info.serverName()).isEqualTo("valkey");
		assertThat(info.version()).isEqualTo("8.0.1");
		assertThat(info.getDescription()).isEqualTo("Valkey 8.0.1");
		assertThat(info.isSupported()).isTrue();
		assertThat(info.warnings()).isEmpty();
	}

	@Test
	void evictionPolicyOtherThanNoevictionIsAWarning() {
		RedisServerInfo info = RedisServerInfo.of("redis", "7.0.15", null, REDIS_62, "allkeys-lru", true);
		assertThat(info.maxmemoryPolicy()).isEqualTo("allkeys-lru");
		assertThat(info.warnings()).singleElement()
			.asString()
			.contains("allkeys-lru")
			.contains("an evicted stream loses every message and its consumer groups");
	}

	@Test
	void unknownEvictionPolicyIsAWarning() {
		RedisServerInfo info = RedisServerInfo.of("redis", "7.0.15", null, REDIS_62, null, true);
		assertThat(info.maxmemoryPolicy()).isNull();
		assertThat(info.warnings()).singleElement().asString().contains("could not be read");
	}

	@Test
	void appendOnlyOffIsAWarning() {
		RedisServerInfo info = RedisServerInfo.of("redis", "7.0.15", null, REDIS_62, "noeviction", false);
		assertThat(info.appendOnly()).isFalse();
		assertThat(info.warnings()).singleElement()
			.asString()
			.contains("acknowledged publishes can be lost when Redis restarts");
	}

	@Test
	void appendOnlyWarningNamesTheServerItIsAbout() {
		RedisServerInfo info = RedisServerInfo.of("valkey", "7.2.4", "8.1.1", REDIS_62, "noeviction", false);
		assertThat(info.warnings()).singleElement()
			.asString()
			.contains("acknowledged publishes can be lost when Valkey restarts")
			.doesNotContain("Redis");
	}

	@Test
	void unknownAppendOnlyIsNoWarning() {
		RedisServerInfo info = RedisServerInfo.of("redis", "7.0.15", null, REDIS_62, "noeviction", null);
		assertThat(info.appendOnly()).isNull();
		assertThat(info.warnings()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "redis, 6.2.0, true", "redis, 6.2.1, true", "redis, 6.2.2, false", "redis, 6.2.14, false",
			"redis, 7.0.0, true", "redis, 7.0.4, true", "redis, 7.0.5, false", "redis, 7.0.15, false",
			"redis, 7.2.4, false", "redis, 8.2.1, false", "valkey, 7.0.0, false", "redis, 7.0-rc1, false" })
	void versionsWithKnownStreamBugsAreWarnedAbout(String serverName, String version, boolean warned) {
		RedisServerInfo info = RedisServerInfo.of(serverName, version, null, REDIS_62, "noeviction", true);
		assertThat(info.warnings().stream().anyMatch((warning) -> warning.contains("upgrade to"))).isEqualTo(warned);
	}

	@ParameterizedTest
	@CsvSource({ "redis, 6.0.9, false, false", "redis, 6.2.6, true, false", "redis, 8.2.3, true, true",
			"valkey, 8.0.1, true, false", "valkey, 9.2.0, true, true", "redis, unknown, true, false" })
	void capabilitiesAreInferredFromTheVersionWhenCommandInfoIsRefused(String serverName, String version,
			boolean xautoclaim, boolean xackdel) {
		RedisServerInfo info = RedisServerInfo.of(serverName, "valkey".equals(serverName) ? "7.2.4" : version,
				"valkey".equals(serverName) ? version : null, null, "noeviction", true);
		assertThat(info.hasCapability(RedisServerInfo.XAUTOCLAIM)).isEqualTo(xautoclaim);
		assertThat(info.hasCapability(RedisServerInfo.XACKDEL)).isEqualTo(xackdel);
		assertThat(info.isSupported()).isEqualTo(xautoclaim);
		assertThat(info.warnings()).anyMatch((warning) -> warning.contains("refused COMMAND INFO"));
	}

	@Test
	void missingVersionIsReportedAsUnknown() {
		RedisServerInfo info = RedisServerInfo.of(null, null, null, REDIS_62, "noeviction", true);
		assertThat(info.getDescription()).isEqualTo("Redis unknown");
		assertThat(info.isSupported()).isTrue();
	}

	@Test
	void capabilitiesAndPolicyAreNormalized() {
		RedisServerInfo info = RedisServerInfo.of("Redis", "7.0.15", null, Set.of("xautoclaim"), "NoEviction", true);
		assertThat(info.serverName()).isEqualTo("redis");
		assertThat(info.capabilities()).containsExactly("XAUTOCLAIM");
		assertThat(info.maxmemoryPolicy()).isEqualTo("noeviction");
		assertThat(info.warnings()).isEmpty();
	}

}
