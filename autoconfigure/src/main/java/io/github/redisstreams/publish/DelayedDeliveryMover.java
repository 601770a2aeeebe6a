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

package io.github.redisstreams.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.LuaScript;
import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamKeys;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * Moves delayed messages into their streams when they are due (see
 * {@link PublishRequest#deliverAfter(java.time.Duration)}). Every instance with the
 * starter runs one: every poll interval it reads the streams that have delayed messages
 * ({@link StreamKeys#DELAYED_STREAMS}) and runs {@code delayed-move.lua} on each, which
 * adds the due messages to the stream and forgets them in one script, at most a batch at
 * a time, so that any number of movers together add each message exactly once, and an
 * instance that dies at any point loses nothing. A message is due when its due time is
 * not after the mover's clock: the instances' clocks must agree (as NTP keeps them).
 * <p>
 * A failure (Redis down, a refusal such as {@code NOPERM} or a stream key of another
 * type) is logged once per episode, naming the key and the fix, and the messages stay
 * scheduled; the next poll tries again. Polls run on one thread with a fixed delay
 * between them, up to 50 scripts per stream each. Auto-configured
 * ({@code redis.streams.delayed.*}); an application creates one itself only where it has
 * no auto-configuration. Thread-safe; started and stopped by the application context
 * ({@link #stop()} waits up to 1 second for a poll in progress, then interrupts it: each
 * move is one atomic script, so an interrupted poll loses and duplicates nothing).
 *
 * @since 0.5.0
 */
public final class DelayedDeliveryMover implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DelayedDeliveryMover.class);

	/**
	 * The most batches moved from one stream per poll, so that no stream starves the
	 * others.
	 */
	static final int MAX_BATCHES_PER_POLL = 50;

	/**
	 * The most messages one script moves: Redis runs nothing else meanwhile, and a script
	 * that has written cannot be killed.
	 */
	static final int MAX_BATCH_SIZE = 1000;

	private static final LuaScript MOVE = LuaScript.load(DelayedDeliveryMover.class, "delayed-move.lua");

	private static final LuaScript FORGET = LuaScript.load(DelayedDeliveryMover.class, "delayed-forget.lua");

	private final StringRedisTemplate template;

	private final Duration pollInterval;

	private final int batchSize;

	private final DelayedDeliveryMetrics metrics;

	private final Set<String> failing = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Create a mover.
	 * @param connectionFactory the connections to Redis
	 * @param pollInterval how often to look for due messages, at least 1 ms: a message is
	 * added at most this much (plus the moving itself) after its due time
	 * @param batchSize the most messages one script moves, from 1 to 1,000 (Redis runs
	 * nothing else while a script runs)
	 * @param metrics what receives the moves
	 * @throws IllegalArgumentException if an argument is {@code null} or out of range
	 */
	public DelayedDeliveryMover(RedisConnectionFactory connectionFactory, Duration pollInterval, int batchSize,
			DelayedDeliveryMetrics metrics) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(pollInterval, "'pollInterval' must not be null");
		Assert.isTrue(pollInterval.toMillis() >= 1,
				() -> "redis.streams.delayed.poll-interval must be at least 1ms, was " + pollInterval);
		Assert.isTrue(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE,
				() -> "redis.streams.delayed.batch-size must be between 1 and " + MAX_BATCH_SIZE + ", was "
						+ batchSize);
		Assert.notNull(metrics, "'metrics' must not be null");
		this.template = new StringRedisTemplate(connectionFactory);
		this.pollInterval = pollInterval;
		this.batchSize = batchSize;
		this.metrics = metrics;
	}

	@Override
	public void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("redis-streams-delayed-"));
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		executor.scheduleWithFixedDelay(this::pollSafely, 0, this.pollInterval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		executor.shutdown();
		try {
			// a move is one script, atomic in Redis: interrupting a poll that waits for
			// its
			// reply loses nothing and duplicates nothing, so stopping waits only briefly
			// (a poll that waits longer is one whose Redis is unreachable)
			if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
				executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			executor.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	private void pollSafely() {
		try {
			poll(System.currentTimeMillis());
		}
		catch (RuntimeException | Error ex) {
			logger.error("Delayed-delivery poll failed unexpectedly; the next poll tries again", ex);
		}
	}

	/**
	 * Move every message due at a time, from every stream with delayed messages.
	 * @param now the time, in milliseconds since the epoch
	 * @return how many messages were moved
	 */
	int poll(long now) {
		Set<TypedTuple<String>> streams;
		try {
			streams = this.template.opsForZSet().rangeWithScores(StreamKeys.DELAYED_STREAMS, 0, -1);
		}
		catch (RuntimeException ex) {
			failed(StreamKeys.DELAYED_STREAMS, "read the streams with delayed messages from", ex);
			return 0;
		}
		recovered(StreamKeys.DELAYED_STREAMS);
		int moved = 0;
		for (TypedTuple<String> stream : (streams != null) ? streams : Set.<TypedTuple<String>>of()) {
			String key = stream.getValue();
			Double score = stream.getScore();
			if (key != null && score != null) {
				moved += move(key, score.longValue(), now);
			}
		}
		return moved;
	}

	private int move(String stream, long recorded, long now) {
		int moved = 0;
		if (!StreamKeys.canDerive(stream)) {
			// no message can have been scheduled for it (its keys cannot share its slot):
			// recorded by an older version, or by hand
			run(FORGET, 1, StreamKeys.DELAYED_STREAMS, stream, Long.toString(recorded));
			return 0;
		}
		try {
			long remaining;
			int batches = 0;
			long due;
			do {
				List<?> reply = run(MOVE, 3, StreamKeys.delayed(stream), StreamKeys.delayedMessages(stream), stream,
						Long.toString(now), Integer.toString(this.batchSize));
				due = ((Number) reply.get(0)).longValue();
				int count = ((Number) reply.get(1)).intValue();
				remaining = ((Number) reply.get(2)).longValue();
				if (count > 0) {
					this.metrics.moved(stream, count);
					moved += count;
				}
			}
			while (due == this.batchSize && remaining > 0 && ++batches < MAX_BATCHES_PER_POLL);
			this.metrics.scheduled(stream, remaining);
			if (remaining == 0 && recorded < now - DelayedDelivery.INDEX_GRACE.toMillis()) {
				List<?> forgotten = run(FORGET, 1, StreamKeys.DELAYED_STREAMS, stream, Long.toString(recorded));
				if (!forgotten.isEmpty() && forgotten.get(0) instanceof Number removed && removed.longValue() == 1) {
					this.metrics.forgotten(stream);
				}
			}
			recovered(stream);
		}
		catch (RuntimeException ex) {
			failed(stream, "move delayed messages into stream", ex);
		}
		return moved;
	}

	private void failed(String key, String action, RuntimeException ex) {
		if (this.failing.add(key)) {
			String instead = (RedisRefusal.of(ex) == RedisRefusal.NO_PERMISSION)
					? " (or set redis.streams.delayed.enabled=false where this instance is not to move them)" : "";
			logger.warn("Could not " + action + " '" + key + "': " + RedisRefusal.describe(ex) + instead
					+ "; the messages stay scheduled, and the mover tries again every " + this.pollInterval
					+ " (logged once until it succeeds)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Could not " + action + " '" + key + "' again: " + RedisRefusal.mostSpecificMessage(ex));
		}
	}

	private void recovered(String key) {
		if (this.failing.remove(key)) {
			logger.info("Delayed delivery works again for '" + key + "'");
		}
	}

	private List<?> run(LuaScript script, int keys, String... keysAndArgs) {
		byte[][] arguments = new byte[keysAndArgs.length][];
		for (int i = 0; i < keysAndArgs.length; i++) {
			arguments[i] = keysAndArgs[i].getBytes(StandardCharsets.UTF_8);
		}
		Object reply = this.template.execute((RedisCallback<Object>) (connection) -> {
			Object result = script.run(connection, ReturnType.MULTI, keys, arguments);
			return (result != null) ? result : List.of();
		});
		if (reply instanceof Number number) {
			return List.of(number);
		}
		return (reply instanceof List<?> list) ? list : List.of();
	}

}
