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
 * JUnit Jupiter extension that starts a throwaway real Redis server before all tests of a
 * class and stops it afterwards. Register it in a static field:
 *
 * <pre class="code">
 * &#064;RegisterExtension
 * static final RedisServerExtension redis = new RedisServerExtension().withAppendOnly();
 * </pre>
 *
 * The kind of server is selected as described in {@link RedisServer#create(List)}. Test
 * and lifecycle methods can declare a {@link RedisServer} parameter to get the running
 * server.
 */
public final class RedisServerExtension extends SharedServersExtension<RedisServer> {

	private static final List<String> APPEND_ONLY_ARGS = List.of("--appendonly", "yes", "--appendfsync", "always");

	private final List<String> args = new ArrayList<>();

	private boolean appendOnly;

	/**
	 * Create an extension for a server with the default arguments.
	 */
	public RedisServerExtension() {
		super(RedisServer.class);
	}

	/**
	 * Append extra {@code redis-server} arguments. They are applied after the defaults
	 * (and after {@link #withAppendOnly()}), so they win.
	 * @param args the arguments, for example {@code "--maxmemory-policy", "allkeys-lru"}
	 * @return this extension
	 */
	public synchronized RedisServerExtension withArgs(String... args) {
		assertNotStarted("Redis server");
		this.args.addAll(Arrays.asList(args));
		return this;
	}

	/**
	 * Enable append-only persistence ({@code --appendonly yes --appendfsync always}) so
	 * that written data survives {@link #kill()} and {@link #restart()}.
	 * @return this extension
	 */
	public synchronized RedisServerExtension withAppendOnly() {
		assertNotStarted("Redis server");
		this.appendOnly = true;
		return this;
	}

	/**
	 * Return the running server.
	 * @return the server
	 * @throws IllegalStateException if the server has not been started yet
	 */
	public RedisServer server() {
		return started("Redis server");
	}

	/**
	 * Return the host of the server.
	 * @return the host
	 * @see RedisServer#host()
	 */
	public String host() {
		return server().host();
	}

	/**
	 * Return the port of the server.
	 * @return the port
	 * @see RedisServer#port()
	 */
	public int port() {
		return server().port();
	}

	/**
	 * Kill the server without giving it a chance to save anything.
	 * @see RedisServer#kill()
	 */
	public void kill() {
		server().kill();
	}

	/**
	 * Stop the server gracefully.
	 * @see RedisServer#stop()
	 */
	public void stop() {
		server().stop();
	}

	/**
	 * Start the server again on the same port and wait until it answers {@code PING}.
	 * @see RedisServer#start()
	 */
	public void start() {
		server().start();
	}

	/**
	 * Stop the server, then start it again.
	 * @see RedisServer#restart()
	 */
	public void restart() {
		server().restart();
	}

	/**
	 * Return Spring Boot properties pointing at the server, for example for
	 * {@code ApplicationContextRunner.withPropertyValues(...)}.
	 * @return the {@code spring.data.redis.host} and {@code spring.data.redis.port}
	 * properties in {@code key=value} form
	 */
	public String[] springProperties() {
		RedisServer server = server();
		return new String[] { "spring.data.redis.host=" + server.host(), "spring.data.redis.port=" + server.port() };
	}

	/**
	 * Register the {@code spring.data.redis.host} and {@code spring.data.redis.port}
	 * properties, for use in a {@code @DynamicPropertySource} method. The values are
	 * resolved lazily, so they stay valid after the server is restarted.
	 * @param registry the registry
	 */
	public void registerSpringProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", this::host);
		registry.add("spring.data.redis.port", this::port);
	}

	@Override
	RedisServer startServers() {
		List<String> serverArgs = new ArrayList<>();
		if (this.appendOnly) {
			serverArgs.addAll(APPEND_ONLY_ARGS);
		}
		serverArgs.addAll(this.args);
		return RedisServer.create(serverArgs);
	}

}
