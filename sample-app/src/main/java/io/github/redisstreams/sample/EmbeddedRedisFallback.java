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

package io.github.redisstreams.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.redisstreams.test.RedisServer;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets the sample run with nothing installed but a JDK: when no Redis answers at the
 * configured address, it starts a local one (the {@code redis-server} on the PATH, else
 * the Redis binary shipped in embedded-redis) on a free port, points the application at
 * it, and stops it when the application stops. A Redis that answers, or
 * {@code sample.embedded-redis.enabled=false}, leaves everything as configured.
 */
class EmbeddedRedisFallback implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisFallback.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (!environment.getProperty("sample.embedded-redis.enabled", Boolean.class, true)
				|| environment.containsProperty("spring.data.redis.url")) {
			return;
		}
		String host = environment.getProperty("spring.data.redis.host", "localhost");
		int port = environment.getProperty("spring.data.redis.port", Integer.class, 6379);
		if (answers(host, port)) {
			logger.info("Using the Redis at " + host + ":" + port);
			return;
		}
		RedisServer server = RedisServer.createLocal(List.of());
		environment.getPropertySources()
			.addFirst(new MapPropertySource("embeddedRedis",
					Map.of("spring.data.redis.host", server.host(), "spring.data.redis.port", server.port())));
		context.addApplicationListener((event) -> {
			if (event instanceof ContextClosedEvent) {
				server.close();
			}
		});
		logger.warn("No Redis answered at " + host + ":" + port + ": started an embedded Redis " + server.version()
				+ " (" + server.kind() + ") on " + server.host() + ":" + server.port()
				+ " for this run; it stops with the application and keeps nothing");
	}

	private static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[64];
			int read = in.read(reply);
			// +PONG, or -NOAUTH from a server that wants a password: a Redis either way
			return read > 0 && (reply[0] == '+' || reply[0] == '-');
		}
		catch (IOException ex) {
			return false;
		}
	}

}
