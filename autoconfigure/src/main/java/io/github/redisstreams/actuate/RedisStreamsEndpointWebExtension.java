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

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.Assert;

/**
 * The {@link RedisStreamsEndpoint} over HTTP: the same operations, and failures as a JSON
 * body ({@code status}, {@code error}, {@code message}) with status 400 (invalid request:
 * an unknown listener or action), 503 (Redis unreachable or too slow) or 500 (anything
 * else, a listener that cannot start included), the message being the most specific one.
 *
 * @since 0.3.0
 */
@EndpointWebExtension(endpoint = RedisStreamsEndpoint.class)
public class RedisStreamsEndpointWebExtension {

	private final RedisStreamsEndpoint delegate;

	/**
	 * Create an extension.
	 * @param delegate the endpoint
	 * @throws IllegalArgumentException if {@code delegate} is {@code null}
	 */
	public RedisStreamsEndpointWebExtension(RedisStreamsEndpoint delegate) {
		Assert.notNull(delegate, "'delegate' must not be null");
		this.delegate = delegate;
	}

	/**
	 * See {@link RedisStreamsEndpoint#redisStreams()}.
	 * @return the response
	 */
	@ReadOperation
	public WebEndpointResponse<Object> redisStreams() {
		return EndpointResponses.respond(this.delegate::redisStreams);
	}

	/**
	 * See {@link RedisStreamsEndpoint#listener(String)}.
	 * @param listenerId the listener id
	 * @return the response
	 */
	@ReadOperation
	public WebEndpointResponse<Object> listener(@Selector String listenerId) {
		return EndpointResponses.respond(() -> this.delegate.listener(listenerId),
				() -> this.delegate.noSuchListener(listenerId));
	}

	/**
	 * See {@link RedisStreamsEndpoint#changeState(String, String)}.
	 * @param listenerId the listener id
	 * @param action {@code start} or {@code stop}
	 * @return the response
	 */
	@WriteOperation
	public WebEndpointResponse<Object> changeState(@Selector String listenerId, String action) {
		return EndpointResponses.respond(() -> this.delegate.changeState(listenerId, action));
	}

}
