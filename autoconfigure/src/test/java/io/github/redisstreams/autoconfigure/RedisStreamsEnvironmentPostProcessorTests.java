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

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisStreamsEnvironmentPostProcessor}.
 */
class RedisStreamsEnvironmentPostProcessorTests {

	private static final String ADAPTIVE = "spring.data.redis.lettuce.cluster.refresh.adaptive";

	@Test
	void adaptiveTopologyRefreshIsOnByDefault() {
		StandardEnvironment environment = new StandardEnvironment();
		new RedisStreamsEnvironmentPostProcessor().postProcessEnvironment(environment, null);
		assertThat(environment.getProperty(ADAPTIVE, Boolean.class)).isTrue();
	}

	@Test
	void theApplicationsOwnSettingWins() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("application", Map.of(ADAPTIVE, "false")));
		new RedisStreamsEnvironmentPostProcessor().postProcessEnvironment(environment, null);
		assertThat(environment.getProperty(ADAPTIVE, Boolean.class)).isFalse();
	}

	@Test
	void aSpringApplicationRunsIt() {
		SpringApplication application = new SpringApplication(Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run()) {
			assertThat(context.getEnvironment().getProperty(ADAPTIVE, Boolean.class)).isTrue();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
