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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * Runs a listener of a partitioned stream: one {@link DefaultStreamListenerContainer} per
 * partition ({@code orders:{0}} to {@code orders:{n-1}}), each with the listener's
 * consumers, reclaimer and instance lease of its own, so that every partition is read in
 * its own Redis Cluster hash slot. Starts and stops them together; reports the worst of
 * their states.
 * <p>
 * Thread-safe as its partitions' containers are.
 */
final class PartitionedStreamListenerContainer implements StreamListenerContainer {

	private final String listenerId;

	private final String stream;

	private final ListenerSettings settings;

	private final List<StreamListenerContainer> partitions;

	private final ReentrantLock lifecycleLock = new ReentrantLock();

	/**
	 * Create a container of the given partitions' containers.
	 * @param listenerId the listener id
	 * @param stream the partitioned stream's name, without the partition suffix
	 * @param settings the listener's settings, with the number of partitions
	 * @param partitions one container per partition, in partition order
	 */
	PartitionedStreamListenerContainer(String listenerId, String stream, ListenerSettings settings,
			List<StreamListenerContainer> partitions) {
		this.listenerId = listenerId;
		this.stream = stream;
		this.settings = settings;
		this.partitions = List.copyOf(partitions);
	}

	@Override
	public String getListenerId() {
		return this.listenerId;
	}

	/**
	 * Return the partitioned stream's name; {@link #getStreamContainers()} have the keys
	 * of the partitions.
	 * @return the stream's name, such as {@code orders}
	 */
	@Override
	public String getStream() {
		return this.stream;
	}

	@Override
	public ListenerSettings getSettings() {
		return this.settings;
	}

	@Override
	public List<StreamListenerContainer> getStreamContainers() {
		return this.partitions;
	}

	@Override
	public List<String> getConsumerNames() {
		Set<String> names = new LinkedHashSet<>();
		for (StreamListenerContainer partition : this.partitions) {
			names.addAll(partition.getConsumerNames());
		}
		return List.copyOf(names);
	}

	@Override
	public boolean isHealthy() {
		return this.partitions.stream().allMatch(StreamListenerContainer::isHealthy);
	}

	@Override
	public boolean isFailing() {
		return this.partitions.stream().anyMatch(StreamListenerContainer::isFailing);
	}

	@Override
	public @Nullable Duration getFailingFor() {
		Duration longest = null;
		for (StreamListenerContainer partition : this.partitions) {
			Duration failingFor = partition.getFailingFor();
			if (failingFor != null && (longest == null || failingFor.compareTo(longest) > 0)) {
				longest = failingFor;
			}
		}
		return longest;
	}

	@Override
	public @Nullable String getLastFailure() {
		for (StreamListenerContainer partition : this.partitions) {
			String failure = partition.getLastFailure();
			if (failure != null) {
				return "partition '" + partition.getStream() + "': " + failure;
			}
		}
		return null;
	}

	@Override
	public boolean isRefused() {
		return this.partitions.stream().anyMatch(StreamListenerContainer::isRefused);
	}

	@Override
	public long getFailedAttempts() {
		return this.partitions.stream().mapToLong(StreamListenerContainer::getFailedAttempts).sum();
	}

	@Override
	public boolean isAutoStartup() {
		return this.settings.isAutoStartup();
	}

	/**
	 * Start every partition's container; if one cannot start, stop those already started
	 * and rethrow its failure. Serialized with {@link #stop()}.
	 */
	@Override
	public void start() {
		this.lifecycleLock.lock();
		try {
			List<StreamListenerContainer> started = new ArrayList<>();
			try {
				for (StreamListenerContainer partition : this.partitions) {
					partition.start();
					started.add(partition);
				}
			}
			catch (RuntimeException ex) {
				try {
					stopAll(started);
				}
				catch (RuntimeException stopFailure) {
					ex.addSuppressed(stopFailure);
				}
				throw ex;
			}
		}
		finally {
			this.lifecycleLock.unlock();
		}
	}

	/**
	 * Stop every partition's container at once, so that the whole stop takes about one
	 * shutdown timeout, not one per partition. Serialized with {@link #start()}.
	 */
	@Override
	public void stop() {
		this.lifecycleLock.lock();
		try {
			stopAll(this.partitions);
		}
		finally {
			this.lifecycleLock.unlock();
		}
	}

	private void stopAll(List<StreamListenerContainer> containers) {
		List<CompletableFuture<Void>> stops = new ArrayList<>();
		for (StreamListenerContainer container : containers) {
			stops.add(CompletableFuture.runAsync(container::stop,
					(task) -> new Thread(task, "redis-streams-stop-" + container.getStream()).start()));
		}
		try {
			CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	/**
	 * Return whether any partition's container runs: outside {@link #start()} and
	 * {@link #stop()}, either all or none do (a start that fails stops those it started),
	 * and a partly running listener must still be stopped.
	 */
	@Override
	public boolean isRunning() {
		return this.partitions.stream().anyMatch(StreamListenerContainer::isRunning);
	}

	@Override
	public String toString() {
		return "PartitionedStreamListenerContainer[listenerId=" + this.listenerId + ", stream=" + this.stream
				+ ", partitions=" + this.partitions.size() + "]";
	}

}
