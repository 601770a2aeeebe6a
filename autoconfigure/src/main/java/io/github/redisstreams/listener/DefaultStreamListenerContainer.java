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
import java.util.concurrent.TimeUnit;
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
 *
 */
final class DefaultStreamListenerContainer implements StreamListenerContainer {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final long UNBLOCK_RETRY_MILLIS = 250;

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
			checkPollTimeout();
			Duration commandTimeout = this.connections.waitBound(this.settings.values().getPollTimeout());
			ControlConnection control = new ControlConnection(this.connections);
			InstanceLease lease = acquireLease(control, commandTimeout);
			if (this.settings.values().isBroadcast()) {
				startBroadcastGroup(control, commandTimeout);
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
	 * Take the lease of this instance's id, so that consumer names stay unique among live
	 * instances; may change the instance id (see {@link InstanceLease}).
	 */
	private InstanceLease acquireLease(ControlConnection control, Duration commandTimeout) {
		ContainerSettings current = this.configured;
		// the configured group: a broadcast listener's own group follows the instance id
		InstanceLease lease = new InstanceLease(current.stream(), current.values().getConfiguredGroup(),
				commandTimeout);
		String requested = current.values().getInstanceId();
		String instanceId;
		try {
			instanceId = lease.acquire(control.get(), current.listenerId(), requested,
					current.values().isHostNameInstanceId());
		}
		catch (IllegalStateException ex) {
			control.close();
			throw ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			control.close();
			throw new IllegalStateException("Interrupted while starting listener '" + current.listenerId() + "'", ex);
		}
		catch (Exception ex) {
			// Redis is not reachable now: the consumers back off until it is, and the
			// first renewal that reaches it takes the lease
			control.reset();
			lease.assume(requested);
			instanceId = requested;
		}
		this.settings = instanceId.equals(requested) ? current
				: new ContainerSettings(this, current.listenerId(), current.stream(), current.rateLimitStream(),
						current.values().toBuilder().instanceId(instanceId).build());
		return lease;
	}

	/**
	 * A broadcast listener's group follows the instance id the lease gave, and is created
	 * now, at the end of the stream, so that what is published once the listener has
	 * started reaches this instance (consumers would create it a moment later). When
	 * Redis cannot be asked, the consumers create it once it answers.
	 */
	private void startBroadcastGroup(ControlConnection control, Duration commandTimeout) {
		this.groups = new ConsumerGroups(this.settings);
		try {
			this.groups.ensureGroup(control.get(), commandTimeout);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			control.reset();
		}
	}

	private void checkPollTimeout() {
		Duration commandTimeout = this.connections.commandTimeout();
		if (this.settings.values().getPollTimeout().compareTo(commandTimeout) >= 0) {
			throw new IllegalStateException("Listener '" + this.settings.listenerId() + "': the poll timeout ("
					+ this.settings.values().getPollTimeout().toMillis()
					+ " ms, redis.streams.listener.poll-timeout) must be " + "shorter than the Redis command timeout ("
					+ commandTimeout.toMillis()
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
		long deadline = System.nanoTime() + this.settings.values().getShutdownTimeout().toNanos();
		BackgroundTasks tasks = this.background;
		if (tasks != null) {
			tasks.stopReclaiming();
		}
		try {
			for (StreamConsumer consumer : stopping) {
				while (!consumer.isFinished()) {
					long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
					if (remaining <= 0) {
						logger.warn("Listener '" + this.settings.listenerId() + "': consumer '" + consumer.getName()
								+ "' did not finish within the shutdown timeout ("
								+ this.settings.values().getShutdownTimeout().toMillis()
								+ " ms, redis.streams.listener.shutdown-timeout); its in-flight entries stay pending");
						break;
					}
					if (!consumer.awaitFinished(Math.min(remaining, UNBLOCK_RETRY_MILLIS), TimeUnit.MILLISECONDS)) {
						consumer.signalStop();
					}
				}
			}
			if (tasks != null) {
				tasks.stop(deadline);
			}
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
