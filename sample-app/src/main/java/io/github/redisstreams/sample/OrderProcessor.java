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
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.listener.StreamMessageContext;
import io.github.redisstreams.publish.StreamPublisher;
import io.github.redisstreams.retry.NonRetryableException;

import org.springframework.stereotype.Component;

/**
 * Processes orders: checks the product, charges the payment and publishes the shipment.
 * Returning normally acknowledges the order; a declined payment is retried with back-off;
 * an unknown product will never work and goes to the dead-letter stream at once.
 */
@Component
class OrderProcessor {

	static final Set<String> CATALOG = Set.of("book", "lamp", "kettle", "chair");

	private static final Log logger = LogFactory.getLog(OrderProcessor.class);

	private final PaymentGateway payments;

	private final StreamPublisher publisher;

	private final AtomicLong processed = new AtomicLong();

	OrderProcessor(PaymentGateway payments, StreamPublisher publisher) {
		this.payments = payments;
		this.publisher = publisher;
	}

	@RedisListener(id = "orders", stream = "orders", concurrency = "2")
	void onOrder(Order order, StreamMessageContext context) {
		if (!CATALOG.contains(order.product())) {
			throw new NonRetryableException("Unknown product '" + order.product() + "' in order " + order.id());
		}
		this.payments.charge(order, context.deliveryAttempt());
		this.publisher.publish("shipments",
				new Shipment(order.id(), order.customer(), order.product(), order.quantity()),
				Map.of("priority", (order.quantity() > 3) ? "high" : "normal"));
		this.processed.incrementAndGet();
		logger.info("Order " + order.id() + " paid (" + order.quantity() + " x " + order.product() + ", attempt "
				+ context.deliveryAttempt() + ")");
	}

	long getProcessed() {
		return this.processed.get();
	}

}
