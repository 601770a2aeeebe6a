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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.support.StreamHeaders;

/**
 * The workload: orders of a fixed JSON size in the {@code StreamPublisher} format (the
 * JSON in the field {@code payload}, plus one header field).
 */
final class Workload {

	/**
	 * The consumer group of every scenario (also the {@code spring.application.name} of
	 * the starter's contexts, so its default group).
	 */
	static final String GROUP = "benchmark";

	/**
	 * The header field every entry carries.
	 */
	static final String HEADER = "tenant";

	private static final byte[] HEADER_VALUE = "acme".getBytes(StandardCharsets.UTF_8);

	private final JsonMapper jsonMapper;

	private final ObjectReader orderReader;

	private final String note;

	Workload(JsonMapper jsonMapper, int payloadSize) {
		this.jsonMapper = jsonMapper;
		this.orderReader = jsonMapper.readerFor(Order.class);
		int unpadded = jsonMapper.writeValueAsBytes(order(0, System.nanoTime(), "")).length;
		this.note = "x".repeat(Math.max(0, payloadSize - unpadded));
	}

	JsonMapper jsonMapper() {
		return this.jsonMapper;
	}

	/**
	 * Return the size of one payload in bytes.
	 * @return the payload size
	 */
	int payloadBytes() {
		return payload(0, System.nanoTime()).length;
	}

	Order order(long sequence, long sentAtNanos) {
		return order(sequence, sentAtNanos, this.note);
	}

	private static Order order(long sequence, long sentAtNanos, String note) {
		return new Order(String.format("o-%09d", sequence), "customer-" + (sequence % 1000), "book",
				1 + (int) (sequence % 5), 1999 + sequence % 10_000, note, sentAtNanos);
	}

	byte[] payload(long sequence, long sentAtNanos) {
		return this.jsonMapper.writeValueAsBytes(order(sequence, sentAtNanos));
	}

	/**
	 * Return the fields of one entry.
	 * @param sequence the order number
	 * @param sentAtNanos the send time to embed
	 * @return the fields: {@code payload} and the header
	 */
	Map<String, byte[]> entry(long sequence, long sentAtNanos) {
		Map<String, byte[]> fields = new LinkedHashMap<>(4);
		fields.put(StreamHeaders.PAYLOAD, payload(sequence, sentAtNanos));
		fields.put(HEADER, HEADER_VALUE);
		return fields;
	}

	/**
	 * Read an order the fastest way Jackson offers: a prepared reader, from bytes.
	 * @param json the payload
	 * @return the order
	 */
	Order read(byte[] json) {
		return this.orderReader.readValue(json);
	}

	/**
	 * Return the entries to add for a fill, in order.
	 * @param count how many
	 * @return the entries
	 */
	List<Map<String, byte[]>> entries(int count) {
		List<Map<String, byte[]>> entries = new ArrayList<>(count);
		long now = System.nanoTime();
		for (int i = 0; i < count; i++) {
			entries.add(entry(i, now));
		}
		return entries;
	}

}
