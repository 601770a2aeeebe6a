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

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.listener.Acknowledgment;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Ships paid orders. Manual acknowledgement: a shipment is acknowledged only once the
 * carrier has taken it; the {@code priority} header travels with the entry.
 */
@Component
class ShipmentListener {

	private static final Log logger = LogFactory.getLog(ShipmentListener.class);

	private final AtomicLong shipped = new AtomicLong();

	@RedisListener(id = "shipments", stream = "shipments")
	void onShipment(Shipment shipment, @Header("priority") String priority, Acknowledgment acknowledgment) {
		logger.info("Shipping order " + shipment.orderId() + " (" + priority + " priority)");
		this.shipped.incrementAndGet();
		acknowledgment.acknowledge();
	}

	long getShipped() {
		return this.shipped.get();
	}

}
