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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Failed entries of one consumer waiting to be parked for their retry. The consumer sends
 * them as one script (see {@link RetrySchedule#park}) pipelined with its next read,
 * instead of one round trip per failure. Used by the consumer's thread only; not
 * thread-safe.
 */
final class RetryParking {

	private List<Request> requests = new ArrayList<>();

	void add(String id, Duration delay, String owner) {
		this.requests.add(new Request(id, delay, owner));
	}

	boolean isEmpty() {
		return this.requests.isEmpty();
	}

	List<Request> drain() {
		List<Request> drained = this.requests;
		this.requests = new ArrayList<>();
		return drained;
	}

	/**
	 * One entry to park.
	 *
	 * @param id the entry id
	 * @param delay the delay before its next delivery
	 * @param owner the consumer that must still own it for the parking to happen
	 */
	record Request(String id, Duration delay, String owner) {

	}

}
