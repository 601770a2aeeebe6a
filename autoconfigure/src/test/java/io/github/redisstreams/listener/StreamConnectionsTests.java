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

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long the starter waits for Redis on its own connections (issue 12, input 7).
 */
class StreamConnectionsTests {

	@ParameterizedTest
	@CsvSource(textBlock = """
			PT60S, PT2S, PT5S
			PT60S, PT0.2S, PT5S
			PT60S, PT10S, PT20S
			PT3S, PT2S, PT3S
			""")
	void theWaitIsBoundedByThePollTimeoutNotTheCommandTimeout(Duration commandTimeout, Duration pollTimeout,
			Duration expected) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(),
				LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build());
		assertThat(new StreamConnections(factory).waitBound(pollTimeout)).isEqualTo(expected);
	}

}
