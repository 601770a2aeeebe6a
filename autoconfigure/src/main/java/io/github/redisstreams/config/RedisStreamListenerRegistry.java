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

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.StreamListenerContainer;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Owns the container of every {@code @RedisListener}: creates them once all singletons
 * exist, starts those that auto-start with the application context, stops them all on
 * shutdown, and lets code start and stop a listener by id.
 * <p>
 * Thread-safe: endpoints may be registered, and listeners looked up, started and stopped,
 * from any thread. Set the container factory before the registry is initialized.
 *
 * @since 0.1.0
 */
public class RedisStreamListenerRegistry
		implements SmartLifecycle, BeanFactoryAware, SmartInitializingSingleton, DisposableBean {

	/**
	 * The lifecycle phase: late, so that listeners start after, and stop before, the
	 * beans they call.
	 */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	private final ReentrantLock lock = new ReentrantLock();

	private final Map<String, RedisStreamListenerEndpoint> endpoints = new LinkedHashMap<>();

	private final Map<String, StreamListenerContainer> containers = new LinkedHashMap<>();

	private @Nullable BeanFactory beanFactory;

	private @Nullable RedisStreamListenerContainerFactory containerFactory;

	private boolean initialized;

	private volatile boolean running;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = beanFactory;
	}

	/**
	 * Set the factory that creates containers. Default: the bean named
	 * {@value RedisStreamListenerConfigUtils#DEFAULT_CONTAINER_FACTORY_BEAN_NAME}.
	 * @param containerFactory the container factory
	 */
	public void setContainerFactory(RedisStreamListenerContainerFactory containerFactory) {
		this.containerFactory = containerFactory;
	}

	/**
	 * Register an endpoint. Endpoints registered after startup get their container at
	 * once, started if the registry is running and the listener auto-starts.
	 * @param endpoint the endpoint
	 * @throws IllegalArgumentException if {@code endpoint} is {@code null}
	 * @throws IllegalStateException if another listener has the same id, or consumes the
	 * same stream in the same group, or the container factory rejects the endpoint's
	 * settings, or the container fails to start
	 */
	public void registerEndpoint(RedisStreamListenerEndpoint endpoint) {
		Assert.notNull(endpoint, "'endpoint' must not be null");
		this.lock.lock();
		try {
			RedisStreamListenerEndpoint existing = this.endpoints.putIfAbsent(endpoint.getId(), endpoint);
			if (existing != null) {
				throw new IllegalStateException(
						"Two listeners have the id '" + endpoint.getId() + "': " + existing.getDescription() + " and "
								+ endpoint.getDescription() + "; give them distinct ids with @RedisListener(id = ...)");
			}
			if (this.initialized) {
				StreamListenerContainer container;
				try {
					container = createContainer(endpoint);
				}
				catch (RuntimeException ex) {
					this.endpoints.remove(endpoint.getId());
					throw ex;
				}
				if (this.running && container.isAutoStartup()) {
					container.start();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.lock.lock();
		try {
			for (RedisStreamListenerEndpoint endpoint : this.endpoints.values()) {
				createContainer(endpoint);
			}
			this.initialized = true;
		}
		finally {
			this.lock.unlock();
		}
	}

	private StreamListenerContainer createContainer(RedisStreamListenerEndpoint endpoint) {
		StreamListenerContainer container = getContainerFactory().createContainer(endpoint);
		for (StreamListenerContainer other : this.containers.values()) {
			String shared = sharedStream(container, other);
			if (shared != null) {
				throw new IllegalStateException("Listeners '" + other.getListenerId() + "' and '" + endpoint.getId()
						+ "' (" + endpoint.getDescription() + ") both consume stream '" + shared + "' in group '"
						+ container.getGroup()
						+ "'; competing methods in one group would each get a random share of the messages. "
						+ "Use one listener method, or distinct groups");
			}
		}
		this.containers.put(endpoint.getId(), container);
		return container;
	}

	/** A stream (or partition) both read in the same group, or null. */
	private static @Nullable String sharedStream(StreamListenerContainer one, StreamListenerContainer other) {
		for (StreamListenerContainer a : one.getStreamContainers()) {
			for (StreamListenerContainer b : other.getStreamContainers()) {
				if (a.getStream().equals(b.getStream()) && a.getGroup().equals(b.getGroup())) {
					return a.getStream();
				}
			}
		}
		return null;
	}

	private RedisStreamListenerContainerFactory getContainerFactory() {
		if (this.containerFactory == null) {
			Assert.state(this.beanFactory != null, "No BeanFactory to look up the container factory in");
			this.containerFactory = this.beanFactory.getBean(
					RedisStreamListenerConfigUtils.DEFAULT_CONTAINER_FACTORY_BEAN_NAME,
					RedisStreamListenerContainerFactory.class);
		}
		return this.containerFactory;
	}

	/**
	 * Return the container of a listener.
	 * @param id the listener id
	 * @return the container, or {@code null} if there is no such listener
	 * @throws IllegalArgumentException if {@code id} is empty
	 */
	public @Nullable StreamListenerContainer getListenerContainer(String id) {
		Assert.hasText(id, "'id' must not be empty");
		this.lock.lock();
		try {
			return this.containers.get(id);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the ids of all listeners.
	 * @return the listener ids, in registration order
	 */
	public Set<String> getListenerContainerIds() {
		this.lock.lock();
		try {
			return Collections.unmodifiableSet(new LinkedHashSet<>(this.containers.keySet()));
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return all containers.
	 * @return the containers, in registration order
	 */
	public Collection<StreamListenerContainer> getListenerContainers() {
		this.lock.lock();
		try {
			return List.copyOf(this.containers.values());
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Start one listener; does nothing if it is running.
	 * @param id the listener id
	 * @throws IllegalArgumentException if there is no such listener
	 * @throws IllegalStateException if the container cannot start (see
	 * {@link StreamListenerContainer})
	 */
	public void startListener(String id) {
		getRequiredContainer(id).start();
	}

	/**
	 * Stop one listener gracefully: in-flight handlers finish within the shutdown
	 * timeout; what was not processed stays pending. Blocks until the listener stopped,
	 * for up to about its
	 * {@link io.github.redisstreams.listener.ListenerSettings#getShutdownTimeout()
	 * shutdown timeout}.
	 * @param id the listener id
	 * @throws IllegalArgumentException if there is no such listener
	 */
	public void stopListener(String id) {
		getRequiredContainer(id).stop();
	}

	private StreamListenerContainer getRequiredContainer(String id) {
		StreamListenerContainer container = getListenerContainer(id);
		if (container == null) {
			throw new IllegalArgumentException(
					"No listener with id '" + id + "'; known listeners: " + getListenerContainerIds());
		}
		return container;
	}

	@Override
	public void start() {
		for (StreamListenerContainer container : getListenerContainers()) {
			if (container.isAutoStartup()) {
				container.start();
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		List<CompletableFuture<Void>> stops = new ArrayList<>();
		for (StreamListenerContainer container : getListenerContainers()) {
			stops.add(CompletableFuture.runAsync(container::stop,
					(task) -> new Thread(task, "redis-streams-stop-" + container.getListenerId()).start()));
		}
		CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

	@Override
	public void destroy() {
		stop();
	}

}
