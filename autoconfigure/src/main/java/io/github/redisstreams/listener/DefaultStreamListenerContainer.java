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
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.retry.StreamErrorHandler;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Runs one listener: {@code concurrency} consumers of one stream in one consumer group,
 * each on its own thread with its own dedicated Redis connection.
 * <p>
 * Delivery is at least once: an entry is acknowledged only after its handler returned
 * normally (or, in manual mode, after the handler acknowledged it). An entry whose
 * handler throws stays in the group's pending list. Containers are created and owned by
 * the {@code RedisStreamListenerRegistry}, which starts them with the application
 * context; they are not beans.
 * <p>
 * The steps of a start are {@link ContainerStart}'s, the wait for stopping consumers
 * {@link ConsumerShutdown}'s. Thread-safe: start and stop hold a lock.
 */
final class DefaultStreamListenerContainer implements StreamListenerContainer {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private volatile ContainerSettings settings;

	/** The settings as configured: every start leases their instance id afresh. */
	private final ContainerSettings configured;

	private final StreamConnections connections;

	private final StreamMessageHandler handler;

	private final DeadLetterPublisher deadLetterPublisher;

	private ConsumerGroups groups;

	private final FailureEpisodes episodes;

	private final ReentrantLock lifecycleLock = new ReentrantLock();

	private final SimpleAsyncTaskExecutor executor;

	private volatile List<StreamConsumer> consumers = Collections.emptyList();

	private @Nullable BackgroundTasks background;

	private final Instrumentation instrumentation;

	private final StreamErrorHandler errorHandler;

	private volatile boolean running;

	private volatile boolean stopping;

	DefaultStreamListenerContainer(String listenerId, String stream, String rateLimitStream, ListenerSettings settings,
			RedisConnectionFactory connectionFactory, StreamMessageHandler handler,
			DeadLetterPublisher deadLetterPublisher, StreamErrorHandler errorHandler, Instrumentation instrumentation) {
		this.settings = new ContainerSettings(this, listenerId, stream, rateLimitStream, settings);
		this.configured = this.settings;
		this.connections = new StreamConnections(connectionFactory);
		this.handler = handler;
		this.deadLetterPublisher = deadLetterPublisher;
		this.errorHandler = errorHandler;
		this.instrumentation = instrumentation;
		this.groups = new ConsumerGroups(this.settings);
		this.episodes = new FailureEpisodes(listenerId);
		this.executor = new SimpleAsyncTaskExecutor(this.settings.threadNamePrefix());
	}

	@Override
	public ListenerSettings getSettings() {
		return this.settings.values();
	}

	@Override
	public String getListenerId() {
		return this.settings.listenerId();
	}

	@Override
	public String getStream() {
		return this.settings.stream();
	}

	@Override
	public String getRateLimitStream() {
		return this.settings.rateLimitStream();
	}

	@Override
	public List<String> getConsumerNames() {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < this.settings.values().getConcurrency(); i++) {
			names.add(this.settings.consumerName(i));
		}
		return names;
	}

	@Override
	public boolean isHealthy() {
		return this.running && (this.stopping || this.consumers.stream().noneMatch(StreamConsumer::isFinished));
	}

	@Override
	public boolean isFailing() {
		return this.episodes.isFailing();
	}

	@Override
	public @Nullable Duration getFailingFor() {
		return this.episodes.failingFor();
	}

	@Override
	public @Nullable String getLastFailure() {
		return this.episodes.lastFailure();
	}

	@Override
	public boolean isRefused() {
		return this.episodes.isRefused();
	}

	@Override
	public long getFailedAttempts() {
		return this.episodes.getFailedAttempts();
	}

	@Override
	public boolean isAutoStartup() {
		return this.settings.values().isAutoStartup();
	}

	@Override
	public void start() {
		this.lifecycleLock.lock();
		try {
			if (this.running) {
				return;
			}
			ContainerStart.checkPollTimeout(this.settings, this.connections);
			Duration commandTimeout = this.connections.waitBound(this.settings.values().getPollTimeout());
			ControlConnection control = new ControlConnection(this.connections);
			ContainerStart.Leased leased = ContainerStart.acquireLease(this, this.configured, control, commandTimeout);
			this.settings = leased.settings();
			InstanceLease lease = leased.lease();
			if (this.settings.values().isBroadcast()) {
				this.groups = ContainerStart.startBroadcastGroup(this.settings, control, commandTimeout);
			}
			TrimmedAheadCheck.check(control, this.settings, commandTimeout);
			EntryProcessor processor = new EntryProcessor(this.settings, this.handler, this.deadLetterPublisher,
					this.errorHandler, this.instrumentation);
			ReadClaim readClaim = ReadClaim.forSettings(this.settings);
			List<StreamConsumer> started = new ArrayList<>();
			for (int i = 0; i < this.settings.values().getConcurrency(); i++) {
				String name = this.settings.consumerName(i);
				StreamConsumer consumer = new StreamConsumer(this.settings, name, new RedisEntryReader(this.settings,
						name, this.connections, this.groups, this.instrumentation.metrics(), readClaim), processor,
						this.episodes);
				started.add(consumer);
				this.executor.execute(consumer);
			}
			this.consumers = Collections.unmodifiableList(started);
			List<String> protectedConsumers = new ArrayList<>(getConsumerNames());
			protectedConsumers.add(this.settings.claimerName());
			this.background = BackgroundTasks.start(this.settings, control, lease, this.consumers, protectedConsumers,
					commandTimeout, this.instrumentation.metrics(), readClaim);
			this.running = true;
			logger.info("Listener '" + this.settings.listenerId() + "' started: stream '" + this.settings.stream()
					+ "', group '" + this.settings.group() + "', consumers " + getConsumerNames());
		}
		finally {
			this.lifecycleLock.unlock();
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
		try {
			ConsumerShutdown.await(this.settings, stopping, this.background);
			this.background = null;
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
		return "StreamListenerContainer[" + this.settings.listenerId() + "]";
	}

}
