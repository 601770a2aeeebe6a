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

package io.github.redisstreams.sample;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.github.redisstreams.publish.StreamPublisher;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Demo traffic: a steady trickle of orders, one every {@code sample.demo.interval}
 * (default 1 s); every fifth one is for an unknown product and ends in the dead-letter
 * stream. On by default; {@code sample.demo.enabled=false} turns it off.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.demo.enabled", matchIfMissing = true)
class DemoTraffic {

	private static final List<String> CUSTOMERS = List.of("ada", "grace", "linus", "barbara");

	private static final List<String> PRODUCTS = List.of("book", "lamp", "kettle", "chair");

	private final StreamPublisher publisher;

	private final AtomicLong count = new AtomicLong();

	DemoTraffic(StreamPublisher publisher) {
		this.publisher = publisher;
	}

	@Scheduled(initialDelayString = "${sample.demo.initial-delay:1s}", fixedDelayString = "${sample.demo.interval:1s}")
	void placeOrder() {
		long n = this.count.incrementAndGet();
		String product = (n % 5 == 0) ? "unicorn" : PRODUCTS.get((int) (n % PRODUCTS.size()));
		Order order = new Order(UUID.randomUUID().toString(), CUSTOMERS.get((int) (n % CUSTOMERS.size())), product,
				1 + (int) (n % 5));
		this.publisher.publish("orders", order, Map.of("source", "demo"));
	}

}
