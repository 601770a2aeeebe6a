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

package io.github.redisstreams.listener;

/**
 * Where a consumer group that a listener creates starts reading.
 *
 * @since 0.1.0
 */
public enum StartPosition {

	/**
	 * From the first entry of the stream, so that nothing published before the group
	 * existed is skipped ({@code XGROUP CREATE ... 0}).
	 */
	BEGINNING("0"),

	/**
	 * Only entries published after the group was created ({@code XGROUP CREATE ... $}).
	 */
	END("$");

	private final String offset;

	StartPosition(String offset) {
		this.offset = offset;
	}

	/**
	 * Return the offset passed to {@code XGROUP CREATE}.
	 * @return the offset
	 */
	public String getOffset() {
		return this.offset;
	}

}
