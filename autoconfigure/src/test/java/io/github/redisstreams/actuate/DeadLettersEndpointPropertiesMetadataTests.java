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

package io.github.redisstreams.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.autoconfigure.DeadLettersEndpointProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata generated for
 * {@link DeadLettersEndpointProperties}.
 */
class DeadLettersEndpointPropertiesMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final String PREFIX = "management.endpoint.deadletters.";

	private final Map<String, JsonNode> properties = new LinkedHashMap<>();

	@BeforeEach
	void readMetadata() throws IOException {
		JsonMapper jsonMapper = new JsonMapper();
		for (URL url : Collections.list(getClass().getClassLoader().getResources(METADATA))) {
			try (InputStream content = url.openStream()) {
				for (JsonNode property : jsonMapper.readTree(content).path("properties")) {
					String name = property.path("name").asString();
					if (name.startsWith(PREFIX)) {
						this.properties.put(name, property);
					}
				}
			}
		}
	}

	@Test
	void everyPropertyIsDescribed() {
		assertThat(this.properties).containsKeys(PREFIX + "show-values", PREFIX + "roles", PREFIX + "access");
		assertThat(this.properties).allSatisfy(
				(name, property) -> assertThat(property.path("description").asString()).as("description of %s", name)
					.isNotBlank());
		assertThat(this.properties.get(PREFIX + "show-values").path("sourceType").asString())
			.isEqualTo(DeadLettersEndpointProperties.class.getName());
		// the endpoint is read-only unless write access is granted
		assertThat(this.properties.get(PREFIX + "access").path("defaultValue").asString()).isEqualTo("read_only");
		assertThat(this.properties.get(PREFIX + "show-values").path("defaultValue").asString()).isEqualTo("never");
	}

}
