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

package io.github.redisstreams.listener.adapter;

import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessageHeaders;

/**
 * Message headers of a stream entry: exactly the map they are created from, every value a
 * {@link String}.
 * <p>
 * {@link MessageHeaders} reserves the names {@value #ID} and {@value #TIMESTAMP} for a
 * generated {@link UUID} and a {@link Long}, and its constructor removes or replaces
 * them. Here they are ordinary entry fields, put back after the constructor, so that
 * {@code get("id")}, {@code @Header("id")} and {@code @Headers} see the field's value.
 * {@link #getId()} and {@link #getTimestamp()} keep their types: they return {@code null}
 * as no header of these types exists.
 */
final class StreamMessageHeaders extends MessageHeaders {

	private static final long serialVersionUID = 1L;

	StreamMessageHeaders(Map<String, Object> headers) {
		super(headers, ID_VALUE_NONE, -1L);
		Map<String, Object> raw = getRawHeaders();
		putIfPresent(headers, raw, ID);
		putIfPresent(headers, raw, TIMESTAMP);
	}

	private static void putIfPresent(Map<String, Object> source, Map<String, Object> target, String name) {
		Object value = source.get(name);
		if (value != null) {
			target.put(name, value);
		}
	}

	/**
	 * Return {@code null}: entries have no generated message id. A field named {@code id}
	 * is read with {@code get("id")}; the entry id is the header
	 * {@code redis_streams_id}.
	 * @return {@code null}
	 */
	@Override
	public @Nullable UUID getId() {
		return (get(ID) instanceof UUID id) ? id : null;
	}

	/**
	 * Return {@code null}: entries have no generated message timestamp. A field named
	 * {@code timestamp} is read with {@code get("timestamp")}; the time at which Redis
	 * added the entry is the header {@code redis_streams_timestamp}.
	 * @return {@code null}
	 */
	@Override
	public @Nullable Long getTimestamp() {
		return (get(TIMESTAMP) instanceof Long timestamp) ? timestamp : null;
	}

}
