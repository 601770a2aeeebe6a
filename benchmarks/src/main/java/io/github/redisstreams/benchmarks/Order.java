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

package io.github.redisstreams.benchmarks;

/**
 * The message every scenario publishes and consumes, as JSON in the entry's
 * {@code payload} field.
 *
 * @param id the order id
 * @param customer the customer
 * @param product the product
 * @param quantity the quantity
 * @param amountCents the amount in cents
 * @param note padding that brings the JSON to the configured payload size
 * @param sentAtNanos {@link System#nanoTime()} when the entry was published, for the
 * latency runs (publisher and consumers share the JVM)
 */
public record Order(String id, String customer, String product, int quantity, long amountCents, String note,
		long sentAtNanos) {

}
