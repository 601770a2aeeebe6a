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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.observation.StreamListenerObservationConvention;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * Runs one listener: {@code concurrency} consumers of one stream in one consumer group,
 * each on its own thread with its own dedicated Redis connection.
 * <p>
 * Delivery is at least once: an entry is acknowledged only after its handler returned
 * normally (or, in manual mode, after the handler acknowledged it). An entry whose
 * handler throws stays in the group's pending list. Containers are created and owned by
 * the {@code RedisStreamListenerRegistry}, which starts them with the application
 * context; they are not beans.
 *
 * @since 0.1.0
 */
public class RedisStreamListenerContainer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisStreamListenerContainer.class);

	private static final long UNBLOCK_RETRY_MILLIS = 250;

	private final ContainerSettings settings;

	private final StreamConnections connections;

	private final StreamMessageHandler handler;

	private final DeadLetterPublisher deadLetterPublisher;

	private final ConsumerGroups groups;

	private final FailureEpisodes episodes;

	private final ReentrantLock lifecycleLock = new ReentrantLock();

	private final SimpleAsyncTaskExecutor executor;

	private volatile List<StreamConsumer> consumers = Collections.emptyList();

	private @Nullable ScheduledThreadPoolExecutor scheduler;

	private @Nullable PendingReclaimer reclaimer;

	private @Nullable ControlConnection control;

	private Instrumentation instrumentation = Instrumentation.NONE;

	private volatile boolean running;

	private volatile boolean stopping;

	/**
	 * Create a container.
	 * @param settings the resolved settings
	 * @param connectionFactory the application's connection factory; must be a
	 * {@code LettuceConnectionFactory}
	 * @param handler the handler that processes every entry
	 * @param deadLetterPublisher where messages that will not be processed go
	 */
	public RedisStreamListenerContainer(ContainerSettings settings, RedisConnectionFactory connectionFactory,
			StreamMessageHandler handler, DeadLetterPublisher deadLetterPublisher) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(handler, "'handler' must not be null");
		Assert.notNull(deadLetterPublisher, "'deadLetterPublisher' must not be null");
		this.settings = settings;
		this.connections = new StreamConnections(connectionFactory);
		this.handler = handler;
		this.deadLetterPublisher = deadLetterPublisher;
		this.groups = new ConsumerGroups(settings);
		this.episodes = new FailureEpisodes(settings.listenerId());
		this.executor = new SimpleAsyncTaskExecutor("redis-streams-" + settings.listenerId() + "-");
	}

	/**
	 * Set where this container reports: observations (timers and traces), an optional
	 * custom convention, and metrics. Default: nothing is reported.
	 * @param observationRegistry the observation registry
	 * @param convention a custom observation convention, or {@code null} for the default
	 * @param metrics the listener metrics
	 */
	public void setInstrumentation(ObservationRegistry observationRegistry,
			@Nullable StreamListenerObservationConvention convention, ListenerMetrics metrics) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		Assert.notNull(metrics, "'metrics' must not be null");
		this.instrumentation = new Instrumentation(observationRegistry, convention, metrics);
	}

	/**
	 * Return the settings of this container.
	 * @return the settings
	 */
	public ContainerSettings getSettings() {
		return this.settings;
	}

	/**
	 * Return the listener id.
	 * @return the listener id
	 */
	public String getListenerId() {
		return this.settings.listenerId();
	}

	/**
	 * Return the names of the consumers this container runs (or ran last).
	 * @return the consumer names
	 */
	public List<String> getConsumerNames() {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < this.settings.concurrency(); i++) {
			names.add(this.settings.consumerName(i));
		}
		return names;
	}

	/**
	 * Return whether every consumer of this running container is alive. A consumer loop
	 * that ended while the container should be running means it died.
	 * @return whether all consumer loops are alive
	 */
	public boolean isHealthy() {
		return this.running && (this.stopping || this.consumers.stream().noneMatch(StreamConsumer::isFinished));
	}

	/**
	 * Return whether a consumer currently fails to talk to Redis.
	 * @return whether a failure episode is in progress
	 */
	public boolean isFailing() {
		return this.episodes.isFailing();
	}

	/**
	 * Return how many attempts to talk to Redis failed since this container was created,
	 * across all its consumers. Each failed attempt is followed by a back-off delay.
	 * @return the number of failed attempts
	 */
	public long getFailedAttempts() {
		return this.episodes.getFailedAttempts();
	}

	@Override
	public boolean isAutoStartup() {
		return this.settings.autoStartup();
	}

	@Override
	public void start() {
		this.lifecycleLock.lock();
		try {
			if (this.running) {
				return;
			}
			checkPollTimeout();
			Duration commandTimeout = this.connections.commandTimeout();
			EntryProcessor processor = new EntryProcessor(this.settings, this.handler, this.deadLetterPublisher,
					commandTimeout, this.instrumentation);
			List<StreamConsumer> started = new ArrayList<>();
			for (int i = 0; i < this.settings.concurrency(); i++) {
				StreamConsumer consumer = new StreamConsumer(this.settings, i, this.connections, this.groups, processor,
						this.episodes, this.instrumentation.metrics());
				started.add(consumer);
				this.executor.execute(consumer);
			}
			this.consumers = Collections.unmodifiableList(started);
			startBackgroundTasks(processor, commandTimeout);
			this.running = true;
			logger.info("Listener '" + this.settings.listenerId() + "' started: stream '" + this.settings.stream()
					+ "', group '" + this.settings.group() + "', consumers " + getConsumerNames());
		}
		finally {
			this.lifecycleLock.unlock();
		}
	}

	private void startBackgroundTasks(EntryProcessor processor, Duration commandTimeout) {
		ControlConnection control = new ControlConnection(this.connections);
		List<String> protectedConsumers = new ArrayList<>(getConsumerNames());
		protectedConsumers.add(this.settings.claimerName());
		PendingReclaimer reclaimer = new PendingReclaimer(this.settings, control, processor, protectedConsumers,
				commandTimeout, this.instrumentation.metrics());
		List<StreamConsumer> started = this.consumers;
		ClaimRefresher refresher = new ClaimRefresher(this.settings, control, () -> {
			List<@Nullable HeldEntries> held = new ArrayList<>();
			started.forEach((consumer) -> held.add(consumer.getHeld()));
			held.add(reclaimer.getHeld());
			return held;
		}, commandTimeout);
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2,
				new CustomizableThreadFactory("redis-streams-" + this.settings.listenerId() + "-reclaim-"));
		long interval = this.settings.reclaimInterval().toMillis();
		scheduler.scheduleWithFixedDelay(reclaimer, interval, interval, TimeUnit.MILLISECONDS);
		long refreshPeriod = Math.max(50, this.settings.minIdleTime().toMillis() / 4);
		scheduler.scheduleAtFixedRate(refresher, refreshPeriod, refreshPeriod, TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
		this.reclaimer = reclaimer;
		this.control = control;
	}

	private void stopBackgroundTasks(long deadline) throws InterruptedException {
		if (this.reclaimer != null) {
			this.reclaimer.stop();
		}
		if (this.scheduler != null) {
			this.scheduler.shutdown();
			long remaining = Math.max(0, deadline - System.nanoTime());
			if (!this.scheduler.awaitTermination(remaining, TimeUnit.NANOSECONDS)) {
				logger.warn("Listener '" + this.settings.listenerId() + "': the reclaimer did not finish within the "
						+ "shutdown timeout; the entries it holds stay pending");
			}
		}
		if (this.control != null) {
			this.control.close();
		}
		this.scheduler = null;
		this.reclaimer = null;
		this.control = null;
	}

	private void checkPollTimeout() {
		Duration commandTimeout = this.connections.commandTimeout();
		if (this.settings.pollTimeout().compareTo(commandTimeout) >= 0) {
			throw new IllegalStateException("Listener '" + this.settings.listenerId() + "': the poll timeout ("
					+ this.settings.pollTimeout().toMillis() + " ms, redis.streams.listener.poll-timeout) must be "
					+ "shorter than the Redis command timeout (" + commandTimeout.toMillis()
					+ " ms, spring.data.redis.timeout), or every blocking read would time out");
		}
	}

	/**
	 * Stop reading, wait up to the shutdown timeout for in-flight handlers, send the
	 * acknowledgements they produced and leave everything else pending.
	 */
	@Override
	public void stop() {
		this.lifecycleLock.lock();
		try {
			if (!this.running) {
				return;
			}
			this.stopping = true;
			try {
				List<StreamConsumer> stopped = this.consumers;
				stopped.forEach(StreamConsumer::signalStop);
				awaitConsumers(stopped);
				this.running = false;
			}
			finally {
				this.stopping = false;
			}
			logger.info("Listener '" + this.settings.listenerId() + "' stopped");
		}
		finally {
			this.lifecycleLock.unlock();
		}
	}

	private void awaitConsumers(List<StreamConsumer> stopping) {
		long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		if (this.reclaimer != null) {
			this.reclaimer.stop();
		}
		try {
			for (StreamConsumer consumer : stopping) {
				while (!consumer.isFinished()) {
					long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
					if (remaining <= 0) {
						logger.warn("Listener '" + this.settings.listenerId() + "': consumer '" + consumer.getName()
								+ "' did not finish within the shutdown timeout ("
								+ this.settings.shutdownTimeout().toMillis()
								+ " ms, redis.streams.listener.shutdown-timeout); its in-flight entries stay pending");
						break;
					}
					if (!consumer.awaitFinished(Math.min(remaining, UNBLOCK_RETRY_MILLIS), TimeUnit.MILLISECONDS)) {
						consumer.signalStop();
					}
				}
			}
			stopBackgroundTasks(deadline);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "RedisStreamListenerContainer[" + this.settings.listenerId() + "]";
	}

}
