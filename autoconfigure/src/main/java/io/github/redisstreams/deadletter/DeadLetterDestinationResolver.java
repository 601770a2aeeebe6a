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

import io.github.redisstreams.support.StreamKeys;

/**
 * Names the dead-letter stream of a stream. Everything that writes or reads dead letters
 * uses it: the default {@link RedisDeadLetterPublisher}, the {@code deadletters} and
 * {@code redisstreams} Actuator endpoints, the {@code redis.streams.dead.letter.length}
 * gauge and the health indicator. Declare a bean of this type to replace the default,
 * {@link #DEFAULT} ({@code orders} to {@code {orders}:dlq}). <pre class="code">
 * &#064;Bean
 * DeadLetterDestinationResolver deadLetterDestinationResolver() {
 *     return (stream) -&gt; "dead-letters:" + stream;
 * }
 * </pre>
 * <p>
 * The default publisher writes the dead letter and acknowledges the original in one Lua
 * script, so on Redis Cluster the resolved key must be in the stream's hash slot (keep
 * the stream's hash tag, as the default does); on a standalone or Sentinel-managed Redis
 * any key works. Implementations must be thread-safe, fast (called once per dead letter
 * and per endpoint or gauge read), and return the same key for the same stream.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface DeadLetterDestinationResolver {

	/**
	 * The default: the stream's name plus {@code :dlq}, in the stream's hash slot
	 * ({@link StreamKeys#deadLetterStream(String)}).
	 */
	DeadLetterDestinationResolver DEFAULT = StreamKeys::deadLetterStream;

	/**
	 * Return the key of the dead-letter stream of a stream.
	 * @param stream the stream key
	 * @return the dead-letter stream key, not empty and not the stream itself
	 */
	String resolve(String stream);

}
