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
