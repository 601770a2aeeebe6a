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
 * JUnit Jupiter extension that starts a throwaway {@link RedisCluster} (three masters,
 * three replicas, real {@code redis-server} processes on free loopback ports) before all
 * tests of a class and stops it afterwards. Register it in a static field:
 *
 * <pre class="code">
 * &#064;RegisterExtension
 * static final RedisClusterExtension cluster = new RedisClusterExtension();
 *
 * &#064;DynamicPropertySource
 * static void redis(DynamicPropertyRegistry registry) {
 *     cluster.registerSpringProperties(registry);
 * }
 * </pre>
 *
 * The nodes run the {@code redis-server} selected as for {@link RedisServerExtension}
 * ({@code redis-streams.test.redis=path} or {@code embedded}; with Testcontainers
 * selected, the one on the PATH, else the embedded one). Test and lifecycle methods can
 * declare a {@link RedisCluster} parameter.
 */
public final class RedisClusterExtension extends SharedServersExtension<RedisCluster> {

	private final List<String> args = new ArrayList<>();

	/**
	 * Create an extension with the default arguments.
	 */
	public RedisClusterExtension() {
		super(RedisCluster.class);
	}

	/**
	 * Append {@code redis-server} arguments for every node, applied after the cluster's
	 * own ({@code --cluster-node-timeout 2000} and others), so they win.
	 * @param args the arguments, for example {@code "--min-replicas-to-write", "1"}
	 * @return this extension
	 * @throws IllegalStateException if the cluster has already been started
	 */
	public synchronized RedisClusterExtension withArgs(String... args) {
		assertNotStarted("Redis Cluster");
		this.args.addAll(Arrays.asList(args));
		return this;
	}

	/**
	 * Return the running cluster.
	 * @return the cluster
	 * @throws IllegalStateException if the cluster has not been started yet
	 */
	public RedisCluster cluster() {
		return started("Redis Cluster");
	}

	/**
	 * Return Spring Boot properties pointing at the cluster, for example for
	 * {@code ApplicationContextRunner.withPropertyValues(...)}.
	 * @return the {@code spring.data.redis.cluster.nodes} property in {@code key=value}
	 * form
	 */
	public String[] springProperties() {
		return new String[] { cluster().springProperty() };
	}

	/**
	 * Register the {@code spring.data.redis.cluster.nodes} property, for use in a
	 * {@code @DynamicPropertySource} method.
	 * @param registry the registry
	 */
	public void registerSpringProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.cluster.nodes", () -> String.join(",", cluster().seedNodes()));
	}

	@Override
	RedisCluster startServers() {
		return RedisCluster.start(this.args);
	}

}
