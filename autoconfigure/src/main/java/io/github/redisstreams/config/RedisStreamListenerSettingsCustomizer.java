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

package io.github.redisstreams.config;

import io.github.redisstreams.listener.ListenerSettings;

/**
 * Changes the settings of listeners in code, after the properties and the
 * {@code @RedisListener} attributes were applied. Every bean of this type is applied to
 * every listener, in {@link org.springframework.core.annotation.Order @Order}; it decides
 * by listener id which ones it changes. <pre class="code">
 * &#064;Bean
 * RedisStreamListenerSettingsCustomizer bulkImports() {
 *     return (listenerId, settings) -&gt; {
 *         if (listenerId.equals("imports")) {
 *             settings.batchSize(500).maxRetries(10);
 *         }
 *     };
 * }
 * </pre>
 * <p>
 * Called on the thread that registers the listener (the application start, or a later
 * registration), once per listener; it must not keep the builder.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface RedisStreamListenerSettingsCustomizer {

	/**
	 * Customize the settings of one listener. An exception thrown here fails the
	 * listener's creation: the default container factory rethrows it as an
	 * {@link IllegalStateException} that names the listener and the customizer.
	 * @param listenerId the listener id
	 * @param settings the settings so far; validated after every customizer ran
	 */
	void customize(String listenerId, ListenerSettings.Builder settings);

}
