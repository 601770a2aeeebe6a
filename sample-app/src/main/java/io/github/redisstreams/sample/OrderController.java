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

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Places orders: {@code POST /orders {"customer":"ada","product":"book","quantity":2}}
 * publishes the order to the stream {@code orders}. {@code GET /orders/stats} shows how
 * many were processed and shipped.
 */
@RestController
class OrderController {

	private final StreamPublisher publisher;

	private final OrderProcessor processor;

	private final ShipmentListener shipments;

	OrderController(StreamPublisher publisher, OrderProcessor processor, ShipmentListener shipments) {
		this.publisher = publisher;
		this.processor = processor;
		this.shipments = shipments;
	}

	@PostMapping("/orders")
	@ResponseStatus(HttpStatus.ACCEPTED)
	PlacedOrder place(@RequestBody OrderRequest request) {
		Order order = new Order(UUID.randomUUID().toString(), request.customer(), request.product(),
				request.quantity());
		String entryId = this.publisher.publish("orders", order, Map.of("source", "api"));
		return new PlacedOrder(order.id(), entryId);
	}

	@GetMapping("/orders/stats")
	Map<String, Long> stats() {
		return Map.of("processed", this.processor.getProcessed(), "shipped", this.shipments.getShipped());
	}

	record OrderRequest(String customer, String product, int quantity) {
	}

	record PlacedOrder(String orderId, String entryId) {
	}

}
