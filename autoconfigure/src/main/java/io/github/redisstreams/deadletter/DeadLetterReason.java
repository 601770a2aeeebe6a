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

package io.github.redisstreams.deadletter;

/**
 * Why a message was dead-lettered; the value of the {@code x-reason} field.
 *
 * @since 0.1.0
 */
public enum DeadLetterReason {

	/**
	 * The listener failed on every allowed delivery.
	 */
	RETRIES_EXHAUSTED("retries-exhausted"),

	/**
	 * The listener threw an exception that is not worth retrying.
	 */
	NOT_RETRYABLE("not-retryable"),

	/**
	 * The entry could not be converted to the listener's parameters.
	 */
	CONVERSION_FAILED("conversion-failed"),

	/**
	 * The entry was deleted from the stream (by {@code XDEL} or trimming) while it was
	 * pending: only its id is known.
	 */
	PAYLOAD_LOST("payload-lost"),

	/**
	 * The entry's delivery count had already passed the delivery limit
	 * ({@code max-retries + 1} by default) when it was delivered again, so the listener
	 * was not invoked: earlier deliveries ended without a decision, typically because the
	 * process died while handling it (a crash, an OOM kill, a halt).
	 */
	DELIVERY_LIMIT_EXCEEDED("delivery-limit-exceeded");

	private final String value;

	DeadLetterReason(String value) {
		this.value = value;
	}

	/**
	 * Return the value written to the {@code x-reason} field.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

}
