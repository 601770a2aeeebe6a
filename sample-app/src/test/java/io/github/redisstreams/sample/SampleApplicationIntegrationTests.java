package io.github.redisstreams.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.test.RedisServerExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * The sample application processes the orders it publishes on startup, against a real
 * throwaway Redis.
 */
@SpringBootTest(properties = "sample.orders-on-startup=3")
class SampleApplicationIntegrationTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerSpringProperties(registry);
	}

	@Autowired
	private OrderListener listener;

	@Test
	void ordersPublishedOnStartupAreProcessed() {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.getProcessed() == 3);
	}

}
