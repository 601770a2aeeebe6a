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

package io.github.redisstreams.support;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One entry read from a Redis Stream: its id, its stream and its fields as raw bytes.
 * <p>
 * An entry that has a {@value StreamHeaders#PAYLOAD} field carries a JSON payload and
 * every other field is a header. An entry without it is a <em>flat</em> entry whose
 * fields are the data themselves, as a plain {@code XADD orders * user_id 123} writes
 * them. An entry with no fields at all is one whose payload was deleted (by {@code XDEL}
 * or trimming) while it was pending.
 * <p>
 * Thread-safe, and unmodifiable through its methods; the constructor does not copy the
 * fields map or its byte arrays, which must not be changed afterwards.
 *
 * @since 0.1.0
 */
public final class StreamEntry {

	private final String id;

	private final String stream;

	private final Map<String, byte[]> fields;

	private @Nullable Map<String, String> stringFields;

	/**
	 * Create an entry.
	 * @param id the entry id
	 * @param stream the stream key
	 * @param fields the fields in stream order
	 * @throws IllegalArgumentException if the id or the stream is empty, or the fields
	 * are {@code null}
	 */
	public StreamEntry(String id, String stream, Map<String, byte[]> fields) {
		Assert.hasText(id, "'id' must not be empty");
		Assert.hasText(stream, "'stream' must not be empty");
		Assert.notNull(fields, "'fields' must not be null");
		this.id = id;
		this.stream = stream;
		this.fields = Collections.unmodifiableMap(fields);
	}

	/**
	 * Return the entry id.
	 * @return the id, for example {@code 1700000000000-0}
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * Return the stream key.
	 * @return the stream
	 */
	public String getStream() {
		return this.stream;
	}

	/**
	 * Return the raw fields in stream order.
	 * @return the fields
	 */
	public Map<String, byte[]> getFields() {
		return this.fields;
	}

	/**
	 * Return the fields decoded as UTF-8 strings, in stream order.
	 * @return the fields as strings
	 */
	public Map<String, String> getFieldsAsStrings() {
		Map<String, String> result = this.stringFields;
		if (result == null) {
			Map<String, String> decoded = new LinkedHashMap<>(this.fields.size() * 2);
			this.fields.forEach((name, value) -> decoded.put(name, decode(value)));
			result = Collections.unmodifiableMap(decoded);
			this.stringFields = result;
		}
		return result;
	}

	/**
	 * Return whether this entry carries a JSON payload in the
	 * {@value StreamHeaders#PAYLOAD} field.
	 * @return whether the payload field is present
	 */
	public boolean hasPayloadField() {
		return this.fields.containsKey(StreamHeaders.PAYLOAD);
	}

	/**
	 * Return the raw payload field.
	 * @return the payload bytes, or {@code null} for a flat entry
	 */
	public byte @Nullable [] getPayload() {
		return this.fields.get(StreamHeaders.PAYLOAD);
	}

	/**
	 * Return whether the entry has no fields, which means that its payload was deleted
	 * from the stream while it was pending.
	 * @return whether the payload is lost
	 */
	public boolean isPayloadLost() {
		return this.fields.isEmpty();
	}

	/**
	 * Return the headers of this entry: every field but the payload for an entry with a
	 * payload field, every field for a flat entry.
	 * @return the headers as strings
	 */
	public Map<String, String> getHeaders() {
		Map<String, String> all = getFieldsAsStrings();
		if (!hasPayloadField()) {
			return all;
		}
		Map<String, String> headers = new LinkedHashMap<>(all);
		headers.remove(StreamHeaders.PAYLOAD);
		return headers;
	}

	private static String decode(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "StreamEntry[stream=" + this.stream + ", id=" + this.id + ", fields=" + this.fields.keySet() + "]";
	}

}
