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

import java.util.Map;
import java.util.UUID;

import io.github.redisstreams.publish.StreamPublisher;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Publishes a few orders when the application starts.
 */
@Component
class OrderPublisher implements ApplicationRunner {

	private final StreamPublisher publisher;

	private final int count;

	OrderPublisher(StreamPublisher publisher, @Value("${sample.orders-on-startup:5}") int count) {
		this.publisher = publisher;
		this.count = count;
	}

	@Override
	public void run(ApplicationArguments args) {
		for (int i = 0; i < this.count; i++) {
			this.publisher.publish("orders", new Order(UUID.randomUUID().toString(), "book", i + 1),
					Map.of("source", "startup"));
		}
	}

}
