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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's property table and the configuration metadata list the same properties, so
 * that the documentation cannot drift from the code.
 */
class ReadmePropertiesTests {

	private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([a-z0-9.\\-<>*\\[\\]]+)` \\|\\s*([^|]*?)\\s*\\|",
			Pattern.MULTILINE);

	private static final Set<String> OUR_PREFIXES = Set.of("redis.streams.", "management.endpoint.deadletters.",
			"management.endpoint.redisstreams.", "management.health.redisstreams.");

	@Test
	void everyPropertyInTheMetadataIsDocumentedInTheReadmeAndViceVersa() throws IOException {
		Set<String> metadata = metadataProperties().keySet();
		Set<String> readme = readmeProperties().keySet();
		assertThat(metadata).as("configuration metadata").isNotEmpty();
		assertThat(readme).as("properties in the README's table but not in the metadata")
			.allSatisfy((property) -> assertThat(metadata).contains(property));
		assertThat(metadata).as("properties in the metadata but not in the README's table")
			.allSatisfy((property) -> assertThat(readme).contains(property));
	}

	@Test
	void everyDefaultInTheMetadataIsTheOneInTheReadme() throws IOException {
		Map<String, String> readme = readmeProperties();
		metadataProperties().forEach((property, defaultValue) -> {
			if (defaultValue != null && readme.containsKey(property)) {
				assertThat(readme.get(property).replace("`", "").toLowerCase(Locale.ROOT))
					.as("README default of " + property)
					.contains(defaultValue.toLowerCase(Locale.ROOT).replace('_', '-'));
			}
		});
	}

	private Map<String, @Nullable String> metadataProperties() throws IOException {
		Map<String, @Nullable String> properties = new TreeMap<>();
		JsonMapper mapper = new JsonMapper();
		for (String name : new String[] { "META-INF/spring-configuration-metadata.json",
				"META-INF/additional-spring-configuration-metadata.json" }) {
			Enumeration<URL> resources = getClass().getClassLoader().getResources(name);
			while (resources.hasMoreElements()) {
				try (InputStream in = resources.nextElement().openStream()) {
					for (JsonNode property : mapper.readTree(in).path("properties")) {
						String name1 = property.path("name").asString();
						if (isOurs(name1)) {
							JsonNode defaultValue = property.get("defaultValue");
							properties.put(name1,
									(defaultValue != null && !defaultValue.isNull()) ? defaultValue.asString() : null);
						}
					}
				}
			}
		}
		return properties;
	}

	private Map<String, String> readmeProperties() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		int start = readme.indexOf("\n## Configuration properties");
		assertThat(start).as("the README has a 'Configuration properties' section").isPositive();
		int end = readme.indexOf("\n## ", start + 1);
		String section = readme.substring(start, (end > 0) ? end : readme.length());
		Map<String, String> properties = new TreeMap<>();
		Matcher matcher = TABLE_ROW.matcher(section);
		while (matcher.find()) {
			// a map property is documented with its key placeholder:
			// redis.streams.listeners.<id>.*, redis.streams.publish.partitions.<stream>
			String property = matcher.group(1).replaceAll("\\.<[a-z-]+>.*$", "");
			if (isOurs(property)) {
				properties.put(property, matcher.group(2));
			}
		}
		return properties;
	}

	private static boolean isOurs(String property) {
		return OUR_PREFIXES.stream().anyMatch(property::startsWith);
	}

}
