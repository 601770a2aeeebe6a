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

package io.github.redisstreams.retry;

/**
 * Thrown by a listener to say that a message will never be processed successfully: it is
 * dead-lettered at once with reason {@code not-retryable}, without further retries. Also
 * recognised as the cause of another exception.
 *
 * @since 0.1.0
 */
public class NonRetryableException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message the message
	 */
	public NonRetryableException(String message) {
		super(message);
	}

	/**
	 * Create an exception.
	 * @param message the message
	 * @param cause the cause
	 */
	public NonRetryableException(String message, Throwable cause) {
		super(message, cause);
	}

}
