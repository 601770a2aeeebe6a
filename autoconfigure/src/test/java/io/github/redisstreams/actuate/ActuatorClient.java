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

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * Calls Actuator endpoints over HTTP and returns status and JSON body whatever the
 * status.
 */
final class ActuatorClient {

	private static final JsonMapper jsonMapper = new JsonMapper();

	private final RestClient restClient;

	ActuatorClient(int port) {
		this.restClient = RestClient.builder().baseUrl("http://localhost:" + port + "/actuator").build();
	}

	Response get(String path, Object... uriVariables) {
		return response(this.restClient.get().uri(path, uriVariables).retrieve());
	}

	Response post(String path, Map<String, ?> body, Object... uriVariables) {
		return response(this.restClient.post()
			.uri(path, uriVariables)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve());
	}

	Response delete(String path, Object... uriVariables) {
		return response(this.restClient.delete().uri(path, uriVariables).retrieve());
	}

	private static Response response(RestClient.ResponseSpec spec) {
		ResponseEntity<String> entity = spec.onStatus((status) -> true, (request, response) -> {
		}).toEntity(String.class);
		String body = entity.getBody();
		JsonNode json = (body != null && !body.isBlank() && body.trim().startsWith("{")) ? jsonMapper.readTree(body)
				: MissingNode.getInstance();
		return new Response(entity.getStatusCode().value(), json, body);
	}

	/**
	 * A response.
	 *
	 * @param status the HTTP status
	 * @param json the body, or a missing node if it is not a JSON object
	 * @param body the raw body
	 */
	record Response(int status, JsonNode json, String body) {

	}

}
