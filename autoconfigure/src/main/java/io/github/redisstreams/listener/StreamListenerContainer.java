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
import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.deadletter.DeadLetterPublisher;
import io.github.redisstreams.observation.StreamListenerObservationConvention;
import io.github.redisstreams.retry.StreamErrorHandler;
import io.github.redisstreams.support.StreamKeys;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * Runs one listener: {@code concurrency} consumers of one consumer group, each on its own
 * thread with its own Redis connection, plus the reclaimer of the group's idle pending
 * entries. Created by the container factory for each {@code @RedisListener} method, or by
 * {@link #builder(String, String, ListenerSettings)} for a listener declared in code.
 * <p>
 * {@link #start()} and {@link #stop()} may be called from any thread; {@code stop()}
 * waits for in-flight handlers up to {@link ListenerSettings#getShutdownTimeout()}. The
 * state methods are thread-safe and cheap (no Redis call). {@code start()} throws an
 * {@link IllegalStateException} if the poll timeout is not shorter than the Redis command
 * timeout ({@code spring.data.redis.timeout}), or if a live instance holds the lease of a
 * configured {@code redis.streams.listener.instance-id} for the same stream and group.
 *
 * @since 0.2.0
 */
public interface StreamListenerContainer extends SmartLifecycle {

	/**
	 * Return the listener id, unique in the application.
	 * @return the listener id
	 */
	String getListenerId();

	/**
	 * Return the key of the stream this container reads.
	 * @return the stream key
	 */
	String getStream();

	/**
	 * Return the containers that each read one stream: this container itself, or, for a
	 * listener of a partitioned stream ({@link ListenerSettings#getPartitions()} above
	 * 0), one container per partition, whose {@link #getStream()} is the partition's key
	 * ({@code orders:{0}}, ...). Statistics, health and endpoints read streams through
	 * these.
	 * @return the containers, in partition order
	 * @since 0.4.0
	 */
	default List<StreamListenerContainer> getStreamContainers() {
		return List.of(this);
	}

	/**
	 * Return the stream whose rate limit this container shares: its own, or for the
	 * container of one partition, the partitioned stream's name ({@code orders} for
	 * {@code orders:{3}}), so that all partitions of a listener take permits from one
	 * bucket.
	 * @return the stream key or partitioned stream's name
	 * @since 0.5.0
	 */
	default String getRateLimitStream() {
		return getStream();
	}

	/**
	 * Return the consumer group this container reads through.
	 * @return the consumer group
	 */
	default String getGroup() {
		return getSettings().getGroup();
	}

	/**
	 * Return the settings of this container.
	 * @return the settings
	 */
	ListenerSettings getSettings();

	/**
	 * Return the names of the consumers this container runs (or ran last).
	 * @return the consumer names, {@code <instance-id>-<index>}
	 */
	List<String> getConsumerNames();

	/**
	 * Return whether every consumer of this running container is alive. A consumer loop
	 * that ended while the container should be running means it died.
	 * @return whether all consumer loops are alive
	 */
	boolean isHealthy();

	/**
	 * Return whether a consumer currently fails to talk to Redis.
	 * @return whether a failure episode is in progress
	 */
	boolean isFailing();

	/**
	 * Return how long the current failure episode has lasted: since the first failed
	 * attempt of the first consumer that started failing, whoever asks and whenever.
	 * @return the duration, or {@code null} when no consumer is failing (and for
	 * implementations that do not track it)
	 * @since 0.2.0
	 */
	default @Nullable Duration getFailingFor() {
		return null;
	}

	/**
	 * Return what the latest failed attempt to talk to Redis was: what the consumer was
	 * doing and the message of the most specific cause (Redis's own words where it
	 * refused, for example {@code key 'orders' holds a list, not a stream}).
	 * @return the description, or {@code null} when no consumer is failing (and for
	 * implementations that do not track it)
	 * @since 0.2.0
	 */
	default @Nullable String getLastFailure() {
		return null;
	}

	/**
	 * Return whether the latest failed attempt was a refusal that Redis repeats until its
	 * cause is fixed ({@code NOPERM}, {@code WRONGTYPE}, {@code READONLY}, an unknown
	 * command), rather than a transient failure such as a lost connection.
	 * {@link #getLastFailure()} then names the fix.
	 * @return whether the listener is refused by Redis
	 * @since 0.2.0
	 */
	default boolean isRefused() {
		return false;
	}

	/**
	 * Return how many attempts to talk to Redis failed since this container was created,
	 * across all its consumers. Each failed attempt is followed by a back-off delay.
	 * @return the number of failed attempts
	 */
	long getFailedAttempts();

	/**
	 * Start building a container.
	 * @param listenerId the listener id, not empty
	 * @param stream the stream key, not empty
	 * @param settings the settings
	 * @return a builder
	 * @throws IllegalArgumentException if the listener id or the stream is empty, or the
	 * settings are {@code null}
	 */
	static Builder builder(String listenerId, String stream, ListenerSettings settings) {
		return new Builder(listenerId, stream, settings);
	}

	/**
	 * Builds a {@link StreamListenerContainer}. Not thread-safe.
	 */
	final class Builder {

		private final String listenerId;

		private final String stream;

		private final ListenerSettings settings;

		private @Nullable RedisConnectionFactory connectionFactory;

		private @Nullable StreamMessageHandler handler;

		private @Nullable DeadLetterPublisher deadLetterPublisher;

		private StreamErrorHandler errorHandler = StreamErrorHandler.DEFAULT;

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @Nullable StreamListenerObservationConvention observationConvention;

		private ListenerMetrics metrics = ListenerMetrics.NONE;

		private Builder(String listenerId, String stream, ListenerSettings settings) {
			Assert.hasText(listenerId, "'listenerId' must not be empty");
			Assert.hasText(stream, "'stream' must not be empty");
			Assert.notNull(settings, "'settings' must not be null");
			this.listenerId = listenerId;
			this.stream = stream;
			this.settings = settings;
		}

		/**
		 * Set the application's connection factory (required); it must be a
		 * {@code LettuceConnectionFactory}.
		 * @param connectionFactory the connection factory
		 * @return this builder
		 */
		public Builder connectionFactory(RedisConnectionFactory connectionFactory) {
			this.connectionFactory = connectionFactory;
			return this;
		}

		/**
		 * Set the handler that processes every entry (required).
		 * @param handler the handler
		 * @return this builder
		 */
		public Builder handler(StreamMessageHandler handler) {
			this.handler = handler;
			return this;
		}

		/**
		 * Set where messages that will not be processed go (required).
		 * @param deadLetterPublisher the dead-letter publisher
		 * @return this builder
		 */
		public Builder deadLetterPublisher(DeadLetterPublisher deadLetterPublisher) {
			this.deadLetterPublisher = deadLetterPublisher;
			return this;
		}

		/**
		 * Set what decides about failed deliveries. Default:
		 * {@link StreamErrorHandler#DEFAULT}, the listener's retry policy.
		 * @param errorHandler the error handler
		 * @return this builder
		 */
		public Builder errorHandler(StreamErrorHandler errorHandler) {
			this.errorHandler = errorHandler;
			return this;
		}

		/**
		 * Set the registry that observes every invocation and an optional custom
		 * convention. Default: no observation.
		 * @param observationRegistry the registry
		 * @param convention the convention, or {@code null} for the default
		 * @return this builder
		 */
		public Builder observation(ObservationRegistry observationRegistry,
				@Nullable StreamListenerObservationConvention convention) {
			this.observationRegistry = observationRegistry;
			this.observationConvention = convention;
			return this;
		}

		/**
		 * Set what receives the container's counts. Default: nothing.
		 * @param metrics the listener metrics
		 * @return this builder
		 */
		public Builder metrics(ListenerMetrics metrics) {
			this.metrics = metrics;
			return this;
		}

		/**
		 * Build the container; it is not started. A container built here is not in the
		 * {@code RedisStreamListenerRegistry}: the application starts and stops it, and
		 * the endpoints, gauges and health do not see it. Give it an instance id or group
		 * of its own, so that its consumer names do not collide with an annotated
		 * listener's.
		 * @return the container
		 * @throws IllegalArgumentException if a required part is missing
		 * @throws IllegalStateException if the connection factory is not a
		 * {@code LettuceConnectionFactory}
		 */
		public StreamListenerContainer build() {
			Assert.notNull(this.connectionFactory, "'connectionFactory' must not be null");
			Assert.notNull(this.handler, "'handler' must not be null");
			Assert.notNull(this.deadLetterPublisher, "'deadLetterPublisher' must not be null");
			Assert.notNull(this.errorHandler, "'errorHandler' must not be null");
			Assert.notNull(this.observationRegistry, "'observationRegistry' must not be null");
			Assert.notNull(this.metrics, "'metrics' must not be null");
			Instrumentation instrumentation = new Instrumentation(this.observationRegistry, this.observationConvention,
					this.metrics);
			instrumentation.checkConventionUsed(this.listenerId, this.settings);
			int partitions = this.settings.getPartitions();
			if (partitions == 0) {
				return new DefaultStreamListenerContainer(this.listenerId, this.stream, this.stream, this.settings,
						this.connectionFactory, this.handler, this.deadLetterPublisher, this.errorHandler,
						instrumentation);
			}
			StreamKeys.checkPartitionable(this.stream);
			ListenerSettings perPartition = this.settings.toBuilder().partitions(0).build();
			List<StreamListenerContainer> containers = new ArrayList<>();
			for (int partition = 0; partition < partitions; partition++) {
				containers.add(new DefaultStreamListenerContainer(this.listenerId,
						StreamKeys.partition(this.stream, partition), this.stream, perPartition, this.connectionFactory,
						this.handler, this.deadLetterPublisher, this.errorHandler, instrumentation));
			}
			return new PartitionedStreamListenerContainer(this.listenerId, this.stream, this.settings, containers);
		}

	}

}
