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

package io.github.redisstreams.observation;

import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;

import io.github.redisstreams.support.StreamEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DefaultStreamListenerObservationConvention}.
 */
class DefaultStreamListenerObservationConventionTests {

	private final DefaultStreamListenerObservationConvention convention = new DefaultStreamListenerObservationConvention();

	@Test
	void lowCardinalityKeyValuesNameTheListenerOutcomeAndException() {
		StreamReceiverContext context = context("orders", "1-0");
		assertThat(keys(this.convention.getLowCardinalityKeyValues(context)))
			.containsExactlyInAnyOrderEntriesOf(Map.of("messaging.system", "redis", "stream", "orders", "group",
					"billing", "listener.id", "billing-listener", "outcome", "success", "exception", "none"));
		context.setError(new IllegalStateException("boom"));
		context.setOutcome(StreamReceiverContext.RETRY);
		assertThat(keys(this.convention.getLowCardinalityKeyValues(context))).containsEntry("outcome", "retry")
			.containsEntry("exception", "IllegalStateException");
	}

	@Test
	void lowCardinalityKeyValuesAreComputedOncePerListenerOutcomeAndException() {
		KeyValues first = this.convention.getLowCardinalityKeyValues(context("orders", "1-0"));
		assertThat(this.convention.getLowCardinalityKeyValues(context("orders", "2-0"))).isSameAs(first);
		StreamReceiverContext failed = context("orders", "3-0");
		failed.setError(new IllegalStateException("boom"));
		KeyValues failedKeyValues = this.convention.getLowCardinalityKeyValues(failed);
		assertThat(failedKeyValues).isNotEqualTo(first);
		StreamReceiverContext otherStream = context("orders:{1}", "1-0");
		assertThat(keys(this.convention.getLowCardinalityKeyValues(otherStream))).containsEntry("stream", "orders:{1}");
	}

	@Test
	void pastTheCacheLimitKeyValuesAreStillRight() {
		for (int i = 0; i < DefaultStreamListenerObservationConvention.MAX_CACHED_KEY_VALUES + 10; i++) {
			String stream = "stream-" + i;
			assertThat(keys(this.convention.getLowCardinalityKeyValues(context(stream, "1-0")))).containsEntry("stream",
					stream);
		}
	}

	@Test
	void highCardinalityKeyValuesNameTheEntryConsumerAndAttempt() {
		assertThat(keys(this.convention.getHighCardinalityKeyValues(context("orders", "7-1"))))
			.containsExactlyInAnyOrderEntriesOf(Map.of("messaging.message.id", "7-1", "messaging.consumer.name",
					"pod-a-0", "messaging.delivery.attempt", "2"));
	}

	private static StreamReceiverContext context(String stream, String id) {
		return new StreamReceiverContext(new StreamEntry(id, stream, Map.of("payload", new byte[] { '1' })), "billing",
				"pod-a-0", "billing-listener", 2);
	}

	private static Map<String, String> keys(KeyValues keyValues) {
		return keyValues.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
	}

}
