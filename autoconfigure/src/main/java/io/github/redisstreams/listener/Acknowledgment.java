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
 * Handle to acknowledge one message explicitly.
 * <p>
 * A listener method that declares an {@code Acknowledgment} parameter runs in manual
 * acknowledgement mode: nothing is acknowledged unless {@link #acknowledge()} is called,
 * and an unacknowledged message stays in the consumer group's pending list, to be
 * delivered again after a restart or reclaimed by another consumer. The call may happen
 * on any thread, also after the method returned; acknowledgements are batched and sent
 * with the consumer's next read.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Acknowledgment {

	/**
	 * Acknowledge the message ({@code XACK}). Calling it more than once has no further
	 * effect.
	 */
	void acknowledge();

}
