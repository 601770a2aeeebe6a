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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisServerProbe#documentsArgument(Object, String, String)}: the
 * argument-level capabilities read from {@code COMMAND DOCS}.
 */
class CommandDocsTests {

	private static byte[] b(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** The shape of Redis 8.6's reply, trimmed: {@code [name, [field, value, ...]]}. */
	private static List<Object> xreadgroupDocs(String... tokens) {
		List<Object> arguments = new ArrayList<>();
		for (String token : tokens) {
			arguments.add(List.of(b("name"), b(token.toLowerCase()), b("type"), b("integer"), b("token"), b(token)));
		}
		return List.of(b("xreadgroup"),
				List.of(b("summary"), b("Returns new or historical messages (CLAIM)"), b("arguments"), arguments));
	}

	@Test
	void anArgumentIsFoundByItsTokenInTheCommandsDocs() {
		assertThat(RedisServerProbe.documentsArgument(xreadgroupDocs("COUNT", "BLOCK", "CLAIM"), "XREADGROUP", "CLAIM"))
			.isTrue();
		assertThat(RedisServerProbe.documentsArgument(xreadgroupDocs("COUNT", "BLOCK", "CLAIM"), "xreadgroup", "claim"))
			.isTrue();
	}

	@Test
	void aWordInTheSummaryOrAnotherCommandsArgumentIsNotAnArgument() {
		// Redis 7.0: no CLAIM token, only the word in a sentence
		assertThat(RedisServerProbe.documentsArgument(xreadgroupDocs("COUNT", "BLOCK"), "XREADGROUP", "CLAIM"))
			.isFalse();
		assertThat(RedisServerProbe.documentsArgument(xreadgroupDocs("COUNT", "BLOCK", "CLAIM"), "XADD", "CLAIM"))
			.isFalse();
	}

	@Test
	void repliesWithoutDocsAreNoCapability() {
		assertThat(RedisServerProbe.documentsArgument(null, "XREADGROUP", "CLAIM")).isFalse();
		assertThat(RedisServerProbe.documentsArgument(List.of(), "XREADGROUP", "CLAIM")).isFalse();
		assertThat(RedisServerProbe.documentsArgument("ERR unknown subcommand", "XREADGROUP", "CLAIM")).isFalse();
		// a command the server does not know has a nil (or empty) entry
		assertThat(RedisServerProbe.documentsArgument(Arrays.asList(b("xreadgroup"), null), "XREADGROUP", "CLAIM"))
			.isFalse();
	}

}
