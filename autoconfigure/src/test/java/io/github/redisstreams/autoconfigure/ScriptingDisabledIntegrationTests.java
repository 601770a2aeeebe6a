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

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.health.RedisStreamsHealthIndicator;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server whose scripting is disabled (EVAL and EVALSHA renamed, as some managed offers
 * do): named at startup, and named at once by a listener that starts anyway (issue 12,
 * input 5).
 */
class ScriptingDisabledIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension().withArgs("--rename-command", "EVAL",
			"eval-disabled-7f3a", "--rename-command", "EVALSHA", "evalsha-disabled-7f3a");

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	@Test
	void theStartupCheckNamesTheMissingCommand() {
		runner().run((context) -> {
			assertThat(context).hasFailed();
			Throwable root = context.getStartupFailure();
			while (root.getCause() != null) {
				root = root.getCause();
			}
			assertThat(root.getMessage()).contains("command EVAL is unknown to the server (scripting disabled, or "
					+ "EVAL renamed?): EVALSHA on 'orders' (listener 'orders' runs its scripts");
		});
	}

	@Test
	void aListenerStartedAnywayIsRefusedAtOnce() {
		runner().withPropertyValues("redis.streams.permission-check=none", "redis.streams.health.failing-threshold=10m")
			.run((context) -> {
				StreamListenerContainer container = context.getBean(RedisStreamListenerRegistry.class)
					.getListenerContainer("orders");
				assertThat(container).isNotNull();
				await().atMost(Duration.ofSeconds(30)).until(container::isRefused);
				assertThat(container.getLastFailure()).contains("ERR unknown command")
					.contains("fix: give the server the command the starter needs");
				Health health = context.getBean(RedisStreamsHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat((List<?>) health.getDetails().get("errors"))
					.anySatisfy((error) -> assertThat(error).asString().contains("is refused by Redis"));
			});
	}

	private static ApplicationContextRunner runner() {
		return StreamsContextRunner.create(redis)
			.withConfiguration(AutoConfigurations.of(RedisStreamsServerCheckAutoConfiguration.class,
					RedisStreamsHealthAutoConfiguration.class))
			.withUserConfiguration(OrdersConfiguration.class);
	}

	static class Orders {

		@RedisListener(id = "orders", stream = "orders")
		void onOrder(Map<String, String> fields) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersConfiguration {

		@Bean
		Orders orders() {
			return new Orders();
		}

	}

}
