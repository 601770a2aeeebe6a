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

package io.github.redisstreams.actuate;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.Assert;

/**
 * The {@link DeadLettersEndpoint} over HTTP: the same operations, and failures as a JSON
 * body ({@code status}, {@code error}, {@code message}) with status 400 (invalid
 * request), 503 (Redis unreachable or too slow) or 500 (anything else, a refusal such as
 * {@code NOPERM} included), the message being Redis's own words and the fix.
 *
 * @since 0.3.0
 */
@EndpointWebExtension(endpoint = DeadLettersEndpoint.class)
public class DeadLettersEndpointWebExtension {

	private final DeadLettersEndpoint delegate;

	/**
	 * Create an extension.
	 * @param delegate the endpoint
	 * @throws IllegalArgumentException if {@code delegate} is {@code null}
	 */
	public DeadLettersEndpointWebExtension(DeadLettersEndpoint delegate) {
		Assert.notNull(delegate, "'delegate' must not be null");
		this.delegate = delegate;
	}

	/**
	 * See {@link DeadLettersEndpoint#deadLetterStreams()}.
	 * @return the response
	 */
	@ReadOperation
	public WebEndpointResponse<Object> deadLetterStreams() {
		return EndpointResponses.respond(this.delegate::deadLetterStreams);
	}

	/**
	 * See
	 * {@link DeadLettersEndpoint#deadLetters(String, Integer, String, SecurityContext)}.
	 * @param stream the stream, or the key of its dead-letter stream
	 * @param count the maximum number of dead letters to return
	 * @param before return only dead letters older than this id
	 * @param securityContext the security context
	 * @return the response
	 */
	@ReadOperation
	public WebEndpointResponse<Object> deadLetters(@Selector String stream, @Nullable Integer count,
			@Nullable String before, SecurityContext securityContext) {
		return EndpointResponses.respond(() -> this.delegate.deadLetters(stream, count, before, securityContext),
				() -> this.delegate.unknownStream(stream));
	}

	/**
	 * See {@link DeadLettersEndpoint#redrive(String, List, Integer)}.
	 * @param stream the stream, or the key of its dead-letter stream
	 * @param ids the ids of the dead letters to redrive
	 * @param count how many of the oldest dead letters to redrive
	 * @return the response
	 */
	@WriteOperation
	public WebEndpointResponse<Object> redrive(@Selector String stream, @Nullable List<String> ids,
			@Nullable Integer count) {
		return EndpointResponses.respond(() -> this.delegate.redrive(stream, ids, count));
	}

	/**
	 * See {@link DeadLettersEndpoint#purge(String, List)}.
	 * @param stream the stream, or the key of its dead-letter stream
	 * @param ids the ids of the dead letters to delete
	 * @return the response
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> purge(@Selector String stream, @Nullable List<String> ids) {
		return EndpointResponses.respond(() -> this.delegate.purge(stream, ids));
	}

}
