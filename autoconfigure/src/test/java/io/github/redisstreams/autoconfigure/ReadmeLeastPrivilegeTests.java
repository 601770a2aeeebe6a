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
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules README's "Running with least privilege" gives are the ones
 * {@link LeastPrivilegeIntegrationTests} runs the starter with.
 */
class ReadmeLeastPrivilegeTests {

	private static final String PREFIX = "ACL SETUSER app on >secret ";

	@Test
	void theReadmesRulesAreTheTestedOnes() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		int start = readme.indexOf(PREFIX);
		assertThat(start).as("the README gives the least-privilege rules").isPositive();
		int end = readme.indexOf("```", start);
		String rules = readme.substring(start + PREFIX.length(), end).trim().replaceAll("\\s+", " ");
		assertThat(rules).isEqualTo(LeastPrivilegeIntegrationTests.LEAST_PRIVILEGE);
	}

}
