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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Redis keeps an entry's field-value pairs as the producer wrote them: names and values
 * are bytes (not necessarily UTF-8), and a name may appear more than once
 * ({@code XADD s * tag red tag blue}). {@link #getFieldList()} returns them exactly so,
 * and the starter copies them from there when it dead-letters or redrives an entry. The
 * map views ({@link #getFields()}, {@link #getFieldsAsStrings()}, {@link #getHeaders()})
 * decode names as UTF-8 and keep the <em>last</em> value of a repeated name, as Lettuce
 * and Spring Data Redis do.
 * <p>
 * Thread-safe, and unmodifiable through its methods; the constructors do not copy the
 * fields or their byte arrays, which must not be changed afterwards.
 *
 * @since 0.1.0
 */
public final class StreamEntry {

	private static final byte[] PAYLOAD_NAME = StreamHeaders.PAYLOAD.getBytes(StandardCharsets.UTF_8);

	private final String id;

	private final String stream;

	private final List<Field> fieldList;

	private @Nullable Map<String, byte[]> fields;

	private @Nullable Map<String, String> stringFields;

	/**
	 * Create an entry from a map of fields.
	 * @param id the entry id
	 * @param stream the stream key
	 * @param fields the fields in stream order, names encoded as UTF-8
	 * @throws IllegalArgumentException if the id or the stream is empty, or the fields
	 * are {@code null}
	 */
	public StreamEntry(String id, String stream, Map<String, byte[]> fields) {
		this(id, stream, toList(fields));
		this.fields = Collections.unmodifiableMap(fields);
	}

	/**
	 * Create an entry from its field-value pairs as Redis holds them.
	 * @param id the entry id
	 * @param stream the stream key
	 * @param fields the field-value pairs in stream order, repeated names included
	 * @throws IllegalArgumentException if the id or the stream is empty, or the fields
	 * are {@code null}
	 * @since 0.2.0
	 */
	public StreamEntry(String id, String stream, List<Field> fields) {
		Assert.hasText(id, "'id' must not be empty");
		Assert.hasText(stream, "'stream' must not be empty");
		Assert.notNull(fields, "'fields' must not be null");
		this.id = id;
		this.stream = stream;
		this.fieldList = Collections.unmodifiableList(fields);
	}

	private static List<Field> toList(Map<String, byte[]> fields) {
		Assert.notNull(fields, "'fields' must not be null");
		List<Field> list = new ArrayList<>(fields.size());
		fields.forEach((name, value) -> list.add(new Field(name.getBytes(StandardCharsets.UTF_8), value)));
		return list;
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
	 * Return the field-value pairs exactly as Redis holds them: in stream order, names
	 * and values as bytes, repeated names repeated.
	 * @return the fields, unmodifiable
	 * @since 0.2.0
	 */
	public List<Field> getFieldList() {
		return this.fieldList;
	}

	/**
	 * Return the raw fields in stream order, names decoded as UTF-8; of a repeated name
	 * the last value.
	 * @return the fields, unmodifiable
	 */
	public Map<String, byte[]> getFields() {
		Map<String, byte[]> result = this.fields;
		if (result == null) {
			Map<String, byte[]> map = new LinkedHashMap<>(this.fieldList.size() * 2);
			for (Field field : this.fieldList) {
				map.put(field.nameAsString(), field.value());
			}
			result = Collections.unmodifiableMap(map);
			this.fields = result;
		}
		return result;
	}

	/**
	 * Return the fields decoded as UTF-8 strings, in stream order; of a repeated name the
	 * last value.
	 * @return the fields as strings, unmodifiable
	 */
	public Map<String, String> getFieldsAsStrings() {
		Map<String, String> result = this.stringFields;
		if (result == null) {
			Map<String, String> decoded = new LinkedHashMap<>(this.fieldList.size() * 2);
			for (Field field : this.fieldList) {
				decoded.put(field.nameAsString(), decode(field.value()));
			}
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
		return getPayload() != null;
	}

	/**
	 * Return the raw payload field (of a repeated {@value StreamHeaders#PAYLOAD} field,
	 * the last value).
	 * @return the payload bytes, or {@code null} for a flat entry
	 */
	public byte @Nullable [] getPayload() {
		for (int i = this.fieldList.size() - 1; i >= 0; i--) {
			Field field = this.fieldList.get(i);
			if (Arrays.equals(field.name(), PAYLOAD_NAME)) {
				return field.value();
			}
		}
		return null;
	}

	/**
	 * Return whether the entry has no fields, which means that its payload was deleted
	 * from the stream while it was pending.
	 * @return whether the payload is lost
	 */
	public boolean isPayloadLost() {
		return this.fieldList.isEmpty();
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
		return "StreamEntry[stream=" + this.stream + ", id=" + this.id + ", fields=" + getFields().keySet() + "]";
	}

	/**
	 * One field-value pair of an entry, as bytes. The arrays are not copied and must not
	 * be changed.
	 *
	 * @since 0.2.0
	 */
	public static final class Field {

		private final byte[] name;

		private final byte[] value;

		/**
		 * Create a field.
		 * @param name the name
		 * @param value the value
		 * @throws IllegalArgumentException if either is {@code null}
		 */
		public Field(byte[] name, byte[] value) {
			Assert.notNull(name, "'name' must not be null");
			Assert.notNull(value, "'value' must not be null");
			this.name = name;
			this.value = value;
		}

		/**
		 * Create a field from a name and a value given as text, both encoded as UTF-8.
		 * @param name the name
		 * @param value the value
		 * @return the field
		 */
		public static Field of(String name, String value) {
			return new Field(name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
		}

		/**
		 * Return the name as bytes.
		 * @return the name
		 */
		public byte[] name() {
			return this.name;
		}

		/**
		 * Return the value as bytes.
		 * @return the value
		 */
		public byte[] value() {
			return this.value;
		}

		/**
		 * Return the name decoded as UTF-8 (bytes that are not UTF-8 become U+FFFD).
		 * @return the name as text
		 */
		public String nameAsString() {
			return decode(this.name);
		}

		/**
		 * Return whether the name is the given text encoded as UTF-8.
		 * @param text the text
		 * @return whether the name is that text
		 */
		public boolean nameEquals(String text) {
			return Arrays.equals(this.name, text.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return this == other || (other instanceof Field field && Arrays.equals(this.name, field.name)
					&& Arrays.equals(this.value, field.value));
		}

		@Override
		public int hashCode() {
			return 31 * Arrays.hashCode(this.name) + Arrays.hashCode(this.value);
		}

		@Override
		public String toString() {
			return nameAsString();
		}

	}

}
