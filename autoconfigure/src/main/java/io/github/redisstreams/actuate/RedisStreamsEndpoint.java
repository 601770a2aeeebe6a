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

package io.github.redisstreams.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterDestinationResolver;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamStatistics;
import io.github.redisstreams.support.StreamStatistics.ConsumerStatistics;
import io.github.redisstreams.support.StreamStatisticsReader;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * {@link Endpoint @Endpoint} that shows every {@code @RedisListener} with the statistics
 * of its stream and consumer group, and starts or stops a listener.
 * <p>
 * Statistics are read from Redis at each request ({@code TIME}, {@code XLEN},
 * {@code XINFO GROUPS}, {@code XINFO CONSUMERS}, the {@code XPENDING} summary and
 * {@code ZCARD} of the retry schedule). When Redis cannot be reached, the listeners are
 * still reported, and every stream reports the {@code error} instead of its statistics.
 * Starting and stopping are write operations, refused unless write access is granted
 * ({@code management.endpoint.redisstreams.access=unrestricted}). Thread-safe.
 *
 * @since 0.1.0
 */
@Endpoint(id = "redisstreams", defaultAccess = Access.READ_ONLY)
public class RedisStreamsEndpoint {

	private final RedisStreamListenerRegistry registry;

	private final StreamStatisticsReader statisticsReader;

	private final StringRedisTemplate redisTemplate;

	/**
	 * Create an endpoint.
	 * @param registry the registry of the listeners
	 * @param connectionFactory the connection factory statistics are read with
	 * @throws IllegalArgumentException if an argument is {@code null}
	 */
	public RedisStreamsEndpoint(RedisStreamListenerRegistry registry, RedisConnectionFactory connectionFactory) {
		this(registry, connectionFactory, DeadLetterDestinationResolver.DEFAULT);
	}

	/**
	 * Create an endpoint.
	 * @param registry the registry of the listeners
	 * @param connectionFactory the connection factory statistics are read with
	 * @param destinationResolver names the dead-letter stream of each stream
	 * @throws IllegalArgumentException if an argument is {@code null}
	 */
	public RedisStreamsEndpoint(RedisStreamListenerRegistry registry, RedisConnectionFactory connectionFactory,
			DeadLetterDestinationResolver destinationResolver) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(destinationResolver, "'destinationResolver' must not be null");
		this.registry = registry;
		this.statisticsReader = new StreamStatisticsReader(connectionFactory, destinationResolver::resolve);
		this.redisTemplate = new StringRedisTemplate(connectionFactory);
	}

	/**
	 * Return every listener and the statistics of every stream and group they consume.
	 * @return the listeners and streams
	 */
	@ReadOperation
	public RedisStreamsDescriptor redisStreams() {
		Sampling sampling = new Sampling();
		List<ListenerDescriptor> listeners = new ArrayList<>();
		Map<String, StreamDescriptor> streams = new LinkedHashMap<>();
		List<StreamListenerContainer> containers = new ArrayList<>(this.registry.getListenerContainers());
		// a stable order: registration follows the JVM's order of methods
		containers.sort(Comparator.comparing(StreamListenerContainer::getListenerId));
		for (StreamListenerContainer container : containers) {
			List<Sample> partitions = sampling.partitions(container);
			Sample sample = sampling.sample(container, partitions);
			listeners.add(describe(container, sample));
			for (Sample stream : partitions.isEmpty() ? List.of(sample) : partitions) {
				streams.putIfAbsent(stream.stream() + '\n' + stream.group(), stream.descriptor());
			}
		}
		return new RedisStreamsDescriptor(listeners, List.copyOf(streams.values()));
	}

	/**
	 * Return the message for a listener id that is not known.
	 * @param listenerId the listener id, as requested
	 * @return the message, naming the known listeners
	 */
	String noSuchListener(String listenerId) {
		return "No listener with id '" + listenerId + "'; known listeners: " + this.registry.getListenerContainerIds();
	}

	/**
	 * Return one listener with the statistics of its stream and group.
	 * @param listenerId the listener id
	 * @return the listener, or {@code null} if there is no such listener
	 */
	@ReadOperation
	public @Nullable ListenerDetailsDescriptor listener(@Selector String listenerId) {
		StreamListenerContainer container = this.registry.getListenerContainer(listenerId);
		return (container != null) ? details(container) : null;
	}

	/**
	 * Start or stop a listener. Stopping is graceful: in-flight handlers finish within
	 * the shutdown timeout and what was not processed stays pending.
	 * @param listenerId the listener id
	 * @param action {@code start} or {@code stop}
	 * @return the listener in its new state
	 * @throws InvalidEndpointRequestException if there is no such listener or the action
	 * is unknown
	 * @throws IllegalStateException if the listener cannot start (see
	 * {@link StreamListenerContainer})
	 */
	@WriteOperation
	public ListenerDetailsDescriptor changeState(@Selector String listenerId, String action) {
		String normalized = action.trim().toLowerCase(Locale.ROOT);
		if (!normalized.equals("start") && !normalized.equals("stop")) {
			throw new InvalidEndpointRequestException("Unknown action '" + action + "'; use 'start' or 'stop'",
					"Unknown action");
		}
		StreamListenerContainer container = this.registry.getListenerContainer(listenerId);
		if (container == null) {
			throw new InvalidEndpointRequestException(noSuchListener(listenerId), "No such listener");
		}
		if (normalized.equals("start")) {
			this.registry.startListener(listenerId);
		}
		else {
			this.registry.stopListener(listenerId);
		}
		return details(container);
	}

	private ListenerDetailsDescriptor details(StreamListenerContainer container) {
		Sampling sampling = new Sampling();
		List<Sample> partitions = sampling.partitions(container);
		Sample sample = sampling.sample(container, partitions);
		return new ListenerDetailsDescriptor(describe(container, sample), sample.descriptor(),
				partitions.stream().map(Sample::descriptor).toList());
	}

	private ListenerDescriptor describe(StreamListenerContainer container, Sample sample) {
		Map<String, ConsumerStatistics> known = new LinkedHashMap<>();
		StreamStatistics statistics = sample.statistics();
		if (statistics != null) {
			statistics.consumers().forEach((consumer) -> known.put(consumer.name(), consumer));
		}
		List<ConsumerDescriptor> consumers = new ArrayList<>();
		for (String name : container.getConsumerNames()) {
			ConsumerStatistics consumer = known.get(name);
			consumers
				.add((consumer != null) ? ConsumerDescriptor.of(consumer) : new ConsumerDescriptor(name, null, null));
		}
		return new ListenerDescriptor(container.getListenerId(), container.getStream(), container.getGroup(),
				container.isRunning() ? "running" : "stopped", container.isAutoStartup(), container.isHealthy(),
				container.isFailing(), container.getFailedAttempts(), container.getSettings().getConcurrency(),
				consumers, container.getSettings().getPartitions());
	}

	private List<String> groupNames(String stream) {
		try {
			List<String> names = new ArrayList<>();
			for (XInfoGroup group : this.redisTemplate.opsForStream().groups(stream)) {
				names.add(group.groupName());
			}
			return names;
		}
		catch (RedisSystemException ex) {
			// ERR no such key
			return Collections.emptyList();
		}
	}

	private static String errorMessage(RuntimeException ex) {
		return RedisRefusal.describe(ex);
	}

	private static @Nullable Long millis(@Nullable Duration duration) {
		return (duration != null) ? duration.toMillis() : null;
	}

	/**
	 * Reads statistics for one response. After Redis failed to answer once, every further
	 * stream reports the same error at once, so that a response waits for at most one
	 * command timeout.
	 */
	private final class Sampling {

		private @Nullable String unavailable;

		/**
		 * One sample per partition of a partitioned listener's stream; none otherwise.
		 */
		List<Sample> partitions(StreamListenerContainer container) {
			if (container.getSettings().getPartitions() == 0) {
				return List.of();
			}
			List<Sample> samples = new ArrayList<>();
			for (StreamListenerContainer partition : container.getStreamContainers()) {
				samples.add(sample(partition.getStream(), partition.getGroup()));
			}
			return samples;
		}

		/**
		 * The listener's stream: sampled for a plain one, its partitions' samples
		 * combined for a partitioned one (failed if any partition failed).
		 */
		Sample sample(StreamListenerContainer container, List<Sample> partitions) {
			if (partitions.isEmpty()) {
				return sample(container.getStream(), container.getGroup());
			}
			// each partition has its own, in its descriptor
			String deadLetterStream = null;
			List<StreamStatistics> each = new ArrayList<>();
			for (Sample partition : partitions) {
				if (partition.statistics() == null) {
					return Sample.failed(container.getStream(), container.getGroup(), deadLetterStream,
							"partition '" + partition.stream() + "': " + partition.descriptor().error());
				}
				each.add(partition.statistics());
			}
			StreamStatistics combined = StreamStatistics.combine(container.getStream(), container.getGroup(), each);
			List<String> groups = partitions.get(0).descriptor().groups();
			return new Sample(container.getStream(), container.getGroup(), combined, StreamDescriptor.of(combined,
					(groups != null) ? groups : List.of(container.getGroup()), deadLetterStream));
		}

		Sample sample(String stream, String group) {
			String deadLetterStream = RedisStreamsEndpoint.this.statisticsReader.deadLetterStream(stream);
			if (this.unavailable != null) {
				return Sample.failed(stream, group, deadLetterStream, this.unavailable);
			}
			try {
				StreamStatistics statistics = RedisStreamsEndpoint.this.statisticsReader.read(stream, group);
				List<String> groups = groupNames(stream);
				return new Sample(stream, group, statistics, StreamDescriptor.of(statistics, groups, deadLetterStream));
			}
			catch (RuntimeException ex) {
				String error = errorMessage(ex);
				if (ex instanceof DataAccessResourceFailureException || ex instanceof QueryTimeoutException) {
					this.unavailable = error;
				}
				return Sample.failed(stream, group, deadLetterStream, error);
			}
		}

	}

	private record Sample(String stream, String group, @Nullable StreamStatistics statistics,
			StreamDescriptor descriptor) {

		static Sample failed(String stream, String group, @Nullable String deadLetterStream, String error) {
			return new Sample(stream, group, null, StreamDescriptor.failed(stream, group, deadLetterStream, error));
		}

	}

	/**
	 * Every listener, and the statistics of every stream and group they consume.
	 *
	 * @param listeners the listeners, sorted by id
	 * @param streams the streams, one per distinct stream and group, in the order of
	 * their first listener; a partitioned stream's partitions each have one
	 * @since 0.1.0
	 */
	public record RedisStreamsDescriptor(List<ListenerDescriptor> listeners,
			List<StreamDescriptor> streams) implements OperationResponseBody {

	}

	/**
	 * One listener with the statistics of its stream and group.
	 *
	 * @param listener the listener
	 * @param stream the statistics of its stream and group; for a partitioned stream,
	 * those of its partitions summed (see
	 * {@link StreamStatistics#combine(String, String, List)})
	 * @param partitions the statistics of each partition, in partition order; empty for a
	 * plain stream
	 * @since 0.1.0
	 */
	public record ListenerDetailsDescriptor(ListenerDescriptor listener, StreamDescriptor stream,
			List<StreamDescriptor> partitions) implements OperationResponseBody {

	}

	/**
	 * One listener.
	 *
	 * @param id the listener id
	 * @param stream the stream it consumes
	 * @param group its consumer group
	 * @param state {@code running} or {@code stopped}
	 * @param autoStartup whether it starts with the application
	 * @param healthy whether it runs and all its consumer loops are alive
	 * @param failing whether a consumer currently fails to talk to Redis
	 * @param failedAttempts how many attempts to talk to Redis failed since it was
	 * created
	 * @param concurrency the number of consumers
	 * @param consumers the consumers of this instance, with what Redis reports about them
	 * (for a partitioned stream, summed over the partitions)
	 * @param partitions the number of partitions ({@code <stream>:{0}} ...), {@code 0}
	 * for a plain stream
	 * @since 0.1.0
	 */
	public record ListenerDescriptor(String id, String stream, String group, String state, boolean autoStartup,
			boolean healthy, boolean failing, long failedAttempts, int concurrency, List<ConsumerDescriptor> consumers,
			int partitions) {

	}

	/**
	 * One consumer of a group, as Redis reports it ({@code XINFO CONSUMERS}).
	 *
	 * @param name the consumer name
	 * @param pending the number of entries it holds, or {@code null} if Redis does not
	 * know the consumer (yet) or could not be asked
	 * @param idle milliseconds since it last read or claimed, or {@code null} if Redis
	 * does not know the consumer (yet) or could not be asked
	 * @since 0.1.0
	 */
	public record ConsumerDescriptor(String name, @Nullable Long pending, @Nullable Long idle) {

		static ConsumerDescriptor of(ConsumerStatistics statistics) {
			return new ConsumerDescriptor(statistics.name(), statistics.pending(), millis(statistics.idle()));
		}

	}

	/**
	 * The state of a stream and a consumer group. When Redis could not be asked, only the
	 * names and the {@code error} are set.
	 *
	 * @param stream the stream key
	 * @param group the consumer group
	 * @param exists whether the stream and the group exist
	 * @param length the number of entries in the stream
	 * @param groups the names of all consumer groups of the stream
	 * @param pending the number of entries delivered to the group and not yet
	 * acknowledged
	 * @param lag the number of entries not yet delivered to the group, or {@code null}
	 * where Redis does not report it (before 7.0, or after entries were deleted)
	 * @param oldestPendingAge milliseconds since the oldest pending entry was published,
	 * or {@code null} when nothing is pending
	 * @param deadLetterStream the key of the dead-letter stream; {@code null} in the
	 * summary of a partitioned stream, whose partitions each have their own
	 * @param deadLetterLength the number of dead letters
	 * @param retryScheduled the number of entries waiting for a retry
	 * @param consumers all consumers of the group, of every instance
	 * @param error why Redis could not be asked, or {@code null}
	 * @since 0.1.0
	 */
	public record StreamDescriptor(String stream, String group, @Nullable Boolean exists, @Nullable Long length,
			@Nullable List<String> groups, @Nullable Long pending,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Long lag, @Nullable Long oldestPendingAge,
			@Nullable String deadLetterStream, @Nullable Long deadLetterLength, @Nullable Long retryScheduled,
			@Nullable List<ConsumerDescriptor> consumers, @Nullable String error) {

		static StreamDescriptor of(StreamStatistics statistics, List<String> groups,
				@Nullable String deadLetterStream) {
			return new StreamDescriptor(statistics.stream(), statistics.group(), statistics.exists(),
					statistics.length(), groups, statistics.pending(), statistics.lag(),
					millis(statistics.oldestPendingAge()), deadLetterStream, statistics.deadLetterLength(),
					statistics.retryScheduled(), statistics.consumers().stream().map(ConsumerDescriptor::of).toList(),
					null);
		}

		static StreamDescriptor failed(String stream, String group, @Nullable String deadLetterStream, String error) {
			return new StreamDescriptor(stream, group, null, null, null, null, null, null, deadLetterStream, null, null,
					null, error);
		}

	}

}
