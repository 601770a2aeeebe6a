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
import io.github.redisstreams.listener.StreamMessageContext;

import org.springframework.stereotype.Component;

/**
 * Processes orders. Returning normally acknowledges the order; throwing would leave it
 * pending.
 */
@Component
public class OrderListener {

	private static final Log logger = LogFactory.getLog(OrderListener.class);

	private final AtomicLong processed = new AtomicLong();

	@RedisListener(id = "orders", stream = "orders", concurrency = "2")
	void onOrder(Order order, StreamMessageContext context) {
		this.processed.incrementAndGet();
		logger.info("Processed order " + order.id() + " (" + order.quantity() + " x " + order.product() + ") entry "
				+ context.id() + " on " + context.consumer());
	}

	public long getProcessed() {
		return this.processed.get();
	}

}
