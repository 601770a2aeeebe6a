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

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A payment provider that declines the first attempt of a configurable share of orders
 * ({@code sample.payment.failure-rate}), always the same orders, so that retries are
 * visible and every order is paid in the end.
 */
@Component
class PaymentGateway {

	private final double failureRate;

	PaymentGateway(@Value("${sample.payment.failure-rate:0.3}") double failureRate) {
		this.failureRate = failureRate;
	}

	void charge(Order order, long attempt) {
		double bucket = Math.floorMod(order.id().hashCode(), 1000) / 1000.0;
		if (attempt == 1 && bucket < this.failureRate) {
			throw new PaymentDeclinedException("Payment of order " + order.id() + " declined, will retry");
		}
	}

	static class PaymentDeclinedException extends RuntimeException {

		PaymentDeclinedException(String message) {
			super(message);
		}

	}

}
