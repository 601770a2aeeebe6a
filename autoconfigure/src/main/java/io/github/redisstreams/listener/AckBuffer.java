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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Entry ids waiting to be acknowledged by one consumer. Handlers and manual
 * acknowledgements add ids from any thread; the consumer drains them into one multi-id
 * {@code XACK} that it pipelines with its next read.
 */
final class AckBuffer {

	private final ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();

	void add(String id) {
		this.ids.add(id);
	}

	boolean isEmpty() {
		return this.ids.isEmpty();
	}

	List<String> drain() {
		List<String> drained = new ArrayList<>();
		String id;
		while ((id = this.ids.poll()) != null) {
			drained.add(id);
		}
		return drained;
	}

	/**
	 * Put ids back after a failed {@code XACK}, so that they are sent again.
	 * @param failed the ids that were not acknowledged
	 */
	void restore(List<String> failed) {
		this.ids.addAll(failed);
	}

}
