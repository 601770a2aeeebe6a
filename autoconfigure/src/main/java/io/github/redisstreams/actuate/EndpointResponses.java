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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.RedisRefusal;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;

/**
 * Turns what an endpoint operation throws into a JSON error over HTTP, with the status
 * the failure deserves and the most specific message (Redis's own words and the fix, not
 * Spring's "Error in execution"): 404 for a listener or stream that does not exist, 400
 * for an invalid request, 503 when Redis cannot be reached or does not answer in time,
 * 500 for anything else, a refusal included.
 */
final class EndpointResponses {

	private EndpointResponses() {
	}

	/**
	 * Run an operation that always has a result.
	 * @param operation the endpoint's operation
	 * @return the response: 200 with the operation's result, or an error
	 */
	static WebEndpointResponse<Object> respond(Supplier<@Nullable Object> operation) {
		return respond(operation, () -> "Not found");
	}

	/**
	 * Run an operation.
	 * @param operation the endpoint's operation; {@code null} means not found
	 * @param notFound the message of a 404, naming what was not found and what is known
	 * @return the response: 200 with the operation's result, 404 with the message, or an
	 * error
	 */
	static WebEndpointResponse<Object> respond(Supplier<@Nullable Object> operation, Supplier<String> notFound) {
		try {
			Object body = operation.get();
			return (body != null) ? new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK)
					: error(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found", notFound.get());
		}
		catch (InvalidEndpointRequestException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", ex.getMessage());
		}
		catch (DataAccessResourceFailureException | QueryTimeoutException ex) {
			return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "Service Unavailable",
					RedisRefusal.describe(ex));
		}
		catch (DataAccessException | IllegalStateException ex) {
			RedisRefusal refusal = RedisRefusal.of(ex);
			String error = (refusal != null) ? "Refused by Redis" : "Internal Server Error";
			return error(WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR, error, RedisRefusal.describe(ex));
		}
	}

	private static WebEndpointResponse<Object> error(int status, String error, @Nullable String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status);
		body.put("error", error);
		body.put("message", (message != null) ? message : error);
		return new WebEndpointResponse<>(body, status);
	}

}
