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

package io.github.redisstreams.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata that the configuration processor generates for
 * {@link RedisStreamsProperties}, {@link RedisStreamsHealthProperties} and
 * {@link DeadLettersEndpointProperties}.
 */
class ConfigurationMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final List<String> PREFIXES = List.of("redis.streams.", "management.endpoint.deadletters.",
			"management.endpoint.redisstreams.");

	private static final String DEAD_LETTERS = "management.endpoint.deadletters.";

	private final Map<String, JsonNode> properties = new LinkedHashMap<>();

	@BeforeEach
	void readMetadata() throws IOException {
		JsonMapper jsonMapper = new JsonMapper();
		for (URL url : Collections.list(getClass().getClassLoader().getResources(METADATA))) {
			try (InputStream content = url.openStream()) {
				for (JsonNode property : jsonMapper.readTree(content).path("properties")) {
					String name = property.path("name").asString();
					if (PREFIXES.stream().anyMatch(name::startsWith)) {
						this.properties.put(name, property);
					}
				}
			}
		}
	}

	@Test
	void expectedPropertiesExist() {
		assertThat(this.properties).containsKeys("redis.streams.enabled", "redis.streams.listener.concurrency",
				"redis.streams.listener.poll-timeout", "redis.streams.listener.batch-size",
				"redis.streams.listener.shutdown-timeout", "redis.streams.listener.group",
				"redis.streams.listener.instance-id", "redis.streams.listener.start-position",
				"redis.streams.listener.auto-startup", "redis.streams.listener.recovery.delay",
				"redis.streams.listener.recovery.multiplier", "redis.streams.listener.recovery.max-delay",
				"redis.streams.listener.recovery.jitter", "redis.streams.listeners");
	}

	@Test
	void everyPropertyHasADescription() {
		assertThat(this.properties).isNotEmpty();
		assertThat(this.properties).allSatisfy(
				(name, property) -> assertThat(property.path("description").asString()).as("description of %s", name)
					.isNotBlank());
	}

	@Test
	void everyPropertyHasAType() {
		assertThat(this.properties).isNotEmpty();
		assertThat(this.properties).allSatisfy(
				(name, property) -> assertThat(property.path("type").asString()).as("type of %s", name).isNotBlank());
	}

	@Test
	void defaultValuesMatchTheProperties() {
		assertThat(defaultValue("redis.streams.enabled")).isEqualTo("true");
		assertThat(defaultValue("redis.streams.listener.auto-startup")).isEqualTo("true");
		assertThat(defaultValue("redis.streams.listener.concurrency")).isEqualTo("1");
		assertThat(defaultValue("redis.streams.listener.batch-size")).isEqualTo("500");
		assertThat(defaultValue("redis.streams.listener.poll-timeout")).isEqualTo("2s");
		assertThat(defaultValue("redis.streams.listener.shutdown-timeout")).isEqualTo("10s");
		assertThat(defaultValue("redis.streams.listener.start-position")).isEqualTo("beginning");
		assertThat(defaultValue("redis.streams.listener.recovery.delay")).isEqualTo("200ms");
		assertThat(defaultValue("redis.streams.listener.recovery.multiplier")).isEqualTo("2");
		assertThat(defaultValue("redis.streams.listener.recovery.max-delay")).isEqualTo("10s");
		assertThat(defaultValue("redis.streams.listener.recovery.jitter")).isEqualTo("100ms");
	}

	@Test
	void deadLettersEndpointPropertiesAreDescribedAndReadOnlyByDefault() {
		assertThat(this.properties).containsKeys(DEAD_LETTERS + "show-values", DEAD_LETTERS + "roles",
				DEAD_LETTERS + "access");
		assertThat(this.properties.get(DEAD_LETTERS + "show-values").path("sourceType").asString())
			.isEqualTo(DeadLettersEndpointProperties.class.getName());
		// the endpoint is read-only unless write access is granted
		assertThat(defaultValue(DEAD_LETTERS + "access")).isEqualTo("read_only");
		assertThat(defaultValue(DEAD_LETTERS + "show-values")).isEqualTo("never");
	}

	private String defaultValue(String name) {
		assertThat(this.properties).containsKey(name);
		return this.properties.get(name).path("defaultValue").asString();
	}

}
