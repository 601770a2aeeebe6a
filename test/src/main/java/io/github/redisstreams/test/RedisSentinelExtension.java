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

package io.github.redisstreams.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * JUnit Jupiter extension that starts a throwaway {@link RedisSentinel} set-up (a master,
 * a replica and three Sentinels, real {@code redis-server} processes on free loopback
 * ports) before all tests of a class and stops it afterwards. Register it in a static
 * field:
 *
 * <pre class="code">
 * &#064;RegisterExtension
 * static final RedisSentinelExtension sentinel = new RedisSentinelExtension();
 *
 * &#064;DynamicPropertySource
 * static void redis(DynamicPropertyRegistry registry) {
 *     sentinel.registerSpringProperties(registry);
 * }
 * </pre>
 *
 * The processes run the {@code redis-server} selected as for {@link RedisServerExtension}
 * ({@code redis-streams.test.redis=path} or {@code embedded}; with Testcontainers
 * selected, the one on the PATH, else the embedded one). Test and lifecycle methods can
 * declare a {@link RedisSentinel} parameter.
 */
public final class RedisSentinelExtension extends SharedServersExtension<RedisSentinel> {

	private final List<String> args = new ArrayList<>();

	/**
	 * Create an extension with the default arguments.
	 */
	public RedisSentinelExtension() {
		super(RedisSentinel.class);
	}

	/**
	 * Append {@code redis-server} arguments for the master and the replica (not the
	 * Sentinels).
	 * @param args the arguments, for example {@code "--min-replicas-to-write", "1"}
	 * @return this extension
	 * @throws IllegalStateException if the set-up has already been started
	 */
	public synchronized RedisSentinelExtension withArgs(String... args) {
		assertNotStarted("Redis Sentinel set-up");
		this.args.addAll(Arrays.asList(args));
		return this;
	}

	/**
	 * Return the running set-up.
	 * @return the master, replica and Sentinels
	 * @throws IllegalStateException if the set-up has not been started yet
	 */
	public RedisSentinel sentinel() {
		return started("Redis Sentinel set-up");
	}

	/**
	 * Return Spring Boot properties pointing at the Sentinels, for example for
	 * {@code ApplicationContextRunner.withPropertyValues(...)}.
	 * @return {@code spring.data.redis.sentinel.master} and
	 * {@code spring.data.redis.sentinel.nodes} in {@code key=value} form
	 */
	public String[] springProperties() {
		return sentinel().springProperties();
	}

	/**
	 * Register the {@code spring.data.redis.sentinel.master} and
	 * {@code spring.data.redis.sentinel.nodes} properties, for use in a
	 * {@code @DynamicPropertySource} method.
	 * @param registry the registry
	 */
	public void registerSpringProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.sentinel.master", () -> RedisSentinel.MASTER_NAME);
		registry.add("spring.data.redis.sentinel.nodes", () -> String.join(",", sentinel().sentinelNodes()));
	}

	@Override
	RedisSentinel startServers() {
		return RedisSentinel.start(this.args);
	}

}
