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

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The lifecycle the server extensions share: started before the first test class that
 * uses the extension (or when a parameter asks for it), stopped after the last one, so
 * that nested classes share one set of servers.
 *
 * @param <T> what the extension starts: a server, a cluster or a Sentinel set-up
 */
abstract class SharedServersExtension<T extends AutoCloseable>
		implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private final Class<T> type;

	private @Nullable T servers;

	private int activeContainers;

	SharedServersExtension(Class<T> type) {
		this.type = type;
	}

	/**
	 * Start the servers; called once, under this extension's lock.
	 * @return the running servers
	 */
	abstract T startServers();

	final synchronized boolean isStarted() {
		return this.servers != null;
	}

	final synchronized T started(String what) {
		if (this.servers == null) {
			throw new IllegalStateException(what + " has not been started; register " + getClass().getSimpleName()
					+ " with @RegisterExtension on a static field");
		}
		return this.servers;
	}

	final void assertNotStarted(String what) {
		if (isStarted()) {
			throw new IllegalStateException(what + " has already been started");
		}
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		startIfNecessary();
		synchronized (this) {
			this.activeContainers++;
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		T toClose = null;
		synchronized (this) {
			this.activeContainers--;
			if (this.activeContainers <= 0) {
				this.activeContainers = 0;
				toClose = this.servers;
				this.servers = null;
			}
		}
		if (toClose != null) {
			toClose.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == this.type;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return startIfNecessary();
	}

	final synchronized T startIfNecessary() {
		if (this.servers == null) {
			this.servers = startServers();
		}
		return this.servers;
	}

}
