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
import java.util.function.Supplier;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;

/**
 * A rate-limited listener's token bucket in Redis, as one consumer sees it: Bucket4j's
 * bucket under {@link ContainerSettings#rateLimitKey(RateLimit)}, shared by every
 * consumer and instance, reached over the consumer's own connection. Bucket4j changes it
 * by compare-and-swap on that one key: it sends {@code GET} and an {@code EVAL} of its
 * script (and {@code DEL}); the key expires once the bucket would be full again. Knows
 * nothing of reads or waits ({@link ReadPermits} does). Used by the consumer's thread
 * only.
 */
final class PermitBucket {

	private final Bucket bucket;

	private final Duration period;

	/**
	 * Create the bucket of a consumer.
	 * @param key the bucket's key
	 * @param limit the rate limit
	 * @param connection the consumer's current connection
	 * @param timeout how long one bucket operation may take
	 */
	PermitBucket(String key, RateLimit limit, Supplier<StreamConnection> connection, Duration timeout) {
		this.period = limit.getPeriod();
		// keys typed Object: Bucket4j passes them in an Object[]
		RedisApi<Object> api = new RedisApi<>() {

			@Override
			public <V> RedisFuture<V> eval(String script, ScriptOutputType type, Object[] keys, byte[][] params) {
				String[] names = new String[keys.length];
				for (int i = 0; i < keys.length; i++) {
					names[i] = (String) keys[i];
				}
				return connection.get().scripting().eval(script, type, names, params);
			}

			@Override
			public RedisFuture<byte[]> get(Object key) {
				return connection.get().strings().get((String) key);
			}

			@Override
			public RedisFuture<?> delete(Object key) {
				return connection.get().keys().del((String) key);
			}

		};
		BucketConfiguration configuration = BucketConfiguration.builder()
			.addLimit(Bandwidth.builder()
				.capacity(limit.getBurst())
				.refillGreedy(limit.getPermits(), limit.getPeriod())
				.build())
			.build();
		this.bucket = new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(api)
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.requestTimeout(timeout)
			.build()
			.builder()
			.build((Object) key, () -> configuration);
	}

	/**
	 * Take up to {@code wanted} permits.
	 * @param wanted the most permits wanted, at least 1
	 * @return the permits granted, from 0 to {@code wanted}
	 */
	long take(long wanted) {
		return this.bucket.tryConsumeAsMuchAsPossible(wanted);
	}

	/**
	 * Return how long until one permit is available.
	 * @return the time, at least 1 ms and at most one period of the rate
	 */
	Duration untilAvailable() {
		long nanos = this.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
		Duration wait = Duration.ofNanos(Math.max(nanos, 1_000_000L));
		return (wait.compareTo(this.period) > 0) ? this.period : wait;
	}

	/**
	 * Take permits whether or not the bucket has them: it goes into debt, which later
	 * takes wait out.
	 * @param permits how many, at least 1
	 */
	void charge(long permits) {
		this.bucket.consumeIgnoringRateLimits(permits);
	}

	/**
	 * Give back permits a read did not use (up to the bucket's capacity).
	 * @param unused the permits, 0 or more
	 */
	void giveBack(long unused) {
		if (unused > 0) {
			this.bucket.addTokens(unused);
		}
	}

}
