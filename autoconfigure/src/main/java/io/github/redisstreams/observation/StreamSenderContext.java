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

package io.github.redisstreams.observation;

import java.util.Map;

import io.micrometer.observation.transport.SenderContext;

/**
 * Context of a publish. Trace context is written into the entry's fields
 * ({@code traceparent}, {@code tracestate}) when tracing is on. One context per publish;
 * not thread-safe.
 *
 * @since 0.1.0
 */
public class StreamSenderContext extends SenderContext<Map<String, String>> {

	private final String stream;

	/**
	 * Create a context.
	 * @param stream the stream key
	 * @param fields the entry's fields, to which trace context is added
	 */
	public StreamSenderContext(String stream, Map<String, String> fields) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		});
		setCarrier(fields);
		setRemoteServiceName("redis");
		this.stream = stream;
	}

	/**
	 * Return the key of the stream the entry is added to.
	 * @return the stream key
	 */
	public String getStream() {
		return this.stream;
	}

}
