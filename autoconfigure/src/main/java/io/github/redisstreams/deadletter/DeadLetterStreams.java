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

package io.github.redisstreams.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.support.StreamEntry.Field;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The operations on dead letters: list and page them (newest first), count them by
 * reason, redrive them to their stream (by ids, the oldest ones, or by reason) and purge
 * them. The {@code deadletters} Actuator endpoint maps onto this bean; applications
 * without Actuator use it directly.
 * <p>
 * Every operation addresses a stream by its name ({@code orders}); its dead-letter stream
 * is the one the {@link DeadLetterDestinationResolver} names. Dead letters are returned
 * as {@link StreamEntry entries} whose field-value pairs are the bytes Redis holds, in
 * order, repeated names included.
 * <p>
 * Redriving adds a dead letter's fields, without the {@link DeadLetterHeaders#RESERVED
 * reserved fields}, as a new entry of its stream with
 * {@value DeadLetterHeaders#REDRIVEN_FROM} set to the dead letter's id, and deletes the
 * dead letter, atomically (one Lua script, or for entries too wide for a script one
 * {@code WATCH}/{@code MULTI}/{@code EXEC} transaction). A redrive that a crash
 * interrupted, or that a caller repeats, therefore never adds the same dead letter twice
 * and never loses it: what was redriven is gone from the dead-letter stream and reported
 * as not found. Dead letters whose payload was lost are skipped.
 * <p>
 * Thread-safe. Each method borrows a connection from the factory for its duration and
 * throws Spring's {@code DataAccessException} if Redis fails; bulk operations stop at the
 * first failure, and what they did before it stays done.
 *
 * @since 0.2.0
 */
public class DeadLetterStreams {

	/**
	 * The most dead letters per page, and per redrive or purge call.
	 */
	public static final int MAX_BATCH_SIZE = 1000;

	private static final int SCAN_SLICE = 500;

	private static final Pattern ENTRY_ID = Pattern.compile("\\d+-\\d+");

	private final RedisConnectionFactory connectionFactory;

	private final DeadLetterDestinationResolver destinationResolver;

	/**
	 * Create the service.
	 * @param connectionFactory the connection factory
	 * @param destinationResolver names the dead-letter stream of each stream
	 * @throws IllegalArgumentException if an argument is {@code null}
	 */
	public DeadLetterStreams(RedisConnectionFactory connectionFactory,
			DeadLetterDestinationResolver destinationResolver) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(destinationResolver, "'destinationResolver' must not be null");
		this.connectionFactory = connectionFactory;
		this.destinationResolver = destinationResolver;
	}

	/**
	 * Return the key of the dead-letter stream of a stream.
	 * @param stream the stream
	 * @return the dead-letter stream key
	 * @throws IllegalArgumentException if the stream is empty
	 * @throws IllegalStateException if the resolver names an empty key or the stream
	 * itself
	 */
	public String deadLetterStream(String stream) {
		Assert.hasText(stream, "'stream' must not be empty");
		return resolve(this.destinationResolver, stream);
	}

	static String resolve(DeadLetterDestinationResolver resolver, String stream) {
		String deadLetterStream = resolver.resolve(stream);
		if (!StringUtils.hasText(deadLetterStream) || deadLetterStream.equals(stream)) {
			throw new IllegalStateException("The DeadLetterDestinationResolver named '" + deadLetterStream
					+ "' as the dead-letter stream of stream '" + stream + "'; it must be a key of its own");
		}
		return deadLetterStream;
	}

	/**
	 * Return how many dead letters a stream has ({@code XLEN}).
	 * @param stream the stream
	 * @return the number of dead letters, 0 if there is no dead-letter stream
	 */
	public long size(String stream) {
		byte[] key = bytes(deadLetterStream(stream));
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Long size = connection.streamCommands().xLen(key);
			return (size != null) ? size : 0;
		}
	}

	/**
	 * Return a page of dead letters, newest first ({@code XREVRANGE} and {@code XLEN} in
	 * one script). Pages are stable while dead letters are added: new ones are newer than
	 * every page already read.
	 * @param stream the stream
	 * @param count the most dead letters to return, 1 to {@value #MAX_BATCH_SIZE}
	 * @param before only dead letters older than this id (exclusive), usually the
	 * {@link Page#next() next} of the previous page; {@code null} for the newest
	 * @return the page
	 * @throws IllegalArgumentException if the count is out of range or the id is not of
	 * the form {@code <milliseconds>-<sequence>}
	 */
	public Page page(String stream, int count, @Nullable String before) {
		checkCount(count);
		if (before != null) {
			checkId(before);
		}
		String deadLetterStream = deadLetterStream(stream);
		Object reply;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			reply = DeadLetterScripts.PAGE.run(connection, ReturnType.MULTI, 1, bytes(deadLetterStream),
					bytes((before != null) ? "(" + before : "+"), bytes(Integer.toString(count + 1)));
		}
		List<?> result = (List<?>) reply;
		Assert.state(result != null && result.size() == 2, () -> "Unexpected reply of the page script: " + reply);
		List<StreamEntry> deadLetters = new ArrayList<>();
		for (Object item : (List<?>) result.get(1)) {
			deadLetters.add(entry(deadLetterStream, (List<?>) item));
		}
		String next = null;
		if (deadLetters.size() > count) {
			deadLetters = deadLetters.subList(0, count);
			next = deadLetters.get(count - 1).getId();
		}
		return new Page(stream, deadLetterStream, ((Number) result.get(0)).longValue(), List.copyOf(deadLetters), next);
	}

	/**
	 * Count the dead letters of a stream by their {@value DeadLetterHeaders#REASON}, in
	 * slices of {@value #SCAN_SLICE} so that Redis is never blocked long and payloads are
	 * not sent. Dead letters without a reason are counted under the empty string.
	 * @param stream the stream
	 * @return the number of dead letters per reason, in the order first met (oldest
	 * first)
	 */
	public Map<String, Long> countByReason(String stream) {
		Map<String, Long> counts = new LinkedHashMap<>();
		scan(deadLetterStream(stream), Long.MAX_VALUE, (id, reason) -> {
			counts.merge(reason, 1L, Long::sum);
			return true;
		});
		return counts;
	}

	/**
	 * Redrive the given dead letters.
	 * @param stream the stream
	 * @param ids the ids of the dead letters, at most {@value #MAX_BATCH_SIZE}
	 * @return what was redriven, skipped and not found
	 * @throws IllegalArgumentException if an id is invalid or there are too many
	 */
	public RedriveResult redrive(String stream, Collection<String> ids) {
		return redriveIds(stream, deadLetterStream(stream), checkIds(ids));
	}

	/**
	 * Redrive the oldest dead letters.
	 * @param stream the stream
	 * @param count how many, 1 to {@value #MAX_BATCH_SIZE}
	 * @return what was redriven, skipped and not found
	 * @throws IllegalArgumentException if the count is out of range
	 */
	public RedriveResult redriveOldest(String stream, int count) {
		checkCount(count);
		String deadLetterStream = deadLetterStream(stream);
		List<String> ids = new ArrayList<>();
		scan(deadLetterStream, count, (id, reason) -> ids.add(id));
		return redriveIds(stream, deadLetterStream, ids);
	}

	/**
	 * Redrive the oldest dead letters with a reason.
	 * @param stream the stream
	 * @param reason the {@value DeadLetterHeaders#REASON}, for example
	 * {@code retries-exhausted}
	 * @param count the most to redrive, 1 to {@value #MAX_BATCH_SIZE}
	 * @return what was redriven, skipped and not found
	 * @throws IllegalArgumentException if the reason is empty or the count is out of
	 * range
	 */
	public RedriveResult redriveByReason(String stream, String reason, int count) {
		Assert.hasText(reason, "'reason' must not be empty");
		checkCount(count);
		String deadLetterStream = deadLetterStream(stream);
		List<String> ids = new ArrayList<>();
		scan(deadLetterStream, Long.MAX_VALUE, (id, candidate) -> {
			if (candidate.equals(reason)) {
				ids.add(id);
			}
			return ids.size() < count;
		});
		return redriveIds(stream, deadLetterStream, ids);
	}

	/**
	 * Delete the given dead letters ({@code XDEL}).
	 * @param stream the stream
	 * @param ids the ids of the dead letters, at most {@value #MAX_BATCH_SIZE}
	 * @return how many were deleted
	 * @throws IllegalArgumentException if an id is invalid or there are too many
	 */
	public long purge(String stream, Collection<String> ids) {
		List<String> selected = checkIds(ids);
		if (selected.isEmpty()) {
			return 0;
		}
		byte[] key = bytes(deadLetterStream(stream));
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Long removed = connection.streamCommands().xDel(key, selected.toArray(String[]::new));
			return (removed != null) ? removed : 0;
		}
	}

	/**
	 * Delete every dead letter of a stream: its dead-letter stream is deleted
	 * ({@code XLEN} and {@code DEL} in one script).
	 * @param stream the stream
	 * @return how many dead letters it held
	 */
	public long purgeAll(String stream) {
		byte[] key = bytes(deadLetterStream(stream));
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Object removed = DeadLetterScripts.PURGE.run(connection, ReturnType.INTEGER, 1, key);
			return (removed instanceof Number number) ? number.longValue() : 0;
		}
	}

	private RedriveResult redriveIds(String stream, String deadLetterStream, List<String> ids) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return DeadLetterRedrive.redrive(connection, stream, deadLetterStream, ids);
		}
	}

	private void scan(String deadLetterStream, long limit, IdReasonVisitor visitor) {
		byte[] key = bytes(deadLetterStream);
		byte[] reasonField = bytes(DeadLetterHeaders.REASON);
		String start = "-";
		long visited = 0;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			while (visited < limit) {
				List<?> slice = (List<?>) DeadLetterScripts.SCAN.run(connection, ReturnType.MULTI, 1, key, bytes(start),
						bytes(Long.toString(Math.min(SCAN_SLICE, limit - visited))), reasonField);
				if (slice == null || slice.isEmpty()) {
					return;
				}
				for (int i = 0; i + 1 < slice.size(); i += 2) {
					visited++;
					if (!visitor.visit(string(slice.get(i)), string(slice.get(i + 1)))) {
						return;
					}
				}
				start = "(" + string(slice.get(slice.size() - 2));
			}
		}
	}

	static StreamEntry entry(String stream, List<?> reply) {
		String id = string(reply.get(0));
		List<Field> fields = new ArrayList<>();
		if (reply.size() > 1 && reply.get(1) instanceof List<?> pairs) {
			for (int i = 0; i + 1 < pairs.size(); i += 2) {
				fields.add(new Field((byte[]) pairs.get(i), (byte[]) pairs.get(i + 1)));
			}
		}
		return new StreamEntry(id, stream, fields);
	}

	private static void checkCount(int count) {
		Assert.isTrue(count >= 1 && count <= MAX_BATCH_SIZE,
				() -> "Invalid count " + count + "; it must be between 1 and " + MAX_BATCH_SIZE);
	}

	private static void checkId(String id) {
		Assert.isTrue(ENTRY_ID.matcher(id).matches(),
				() -> "Invalid entry id '" + id + "'; ids have the form <milliseconds>-<sequence>");
	}

	private static List<String> checkIds(Collection<String> ids) {
		Assert.notNull(ids, "'ids' must not be null");
		Set<String> valid = new LinkedHashSet<>();
		for (String id : ids) {
			String trimmed = id.trim();
			checkId(trimmed);
			valid.add(trimmed);
		}
		Assert.isTrue(valid.size() <= MAX_BATCH_SIZE, () -> "At most " + MAX_BATCH_SIZE + " ids per call");
		return List.copyOf(valid);
	}

	static String string(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	@FunctionalInterface
	private interface IdReasonVisitor {

		boolean visit(String id, String reason);

	}

	/**
	 * A page of dead letters, newest first.
	 *
	 * @param stream the stream whose dead letters they are
	 * @param deadLetterStream the key of its dead-letter stream
	 * @param size the number of dead letters in the dead-letter stream
	 * @param deadLetters the dead letters of this page, newest first
	 * @param next the id to pass as {@code before} for the next page, {@code null} if
	 * this page is the last
	 */
	public record Page(String stream, String deadLetterStream, long size, List<StreamEntry> deadLetters,
			@Nullable String next) {

	}

	/**
	 * The outcome of a redrive.
	 *
	 * @param stream the stream the dead letters went back to
	 * @param deadLetterStream the key of the dead-letter stream
	 * @param redriven the dead letters redriven, with the ids of their new entries
	 * @param skipped the dead letters left in place, with why
	 * @param notFound the ids not (or no longer) in the dead-letter stream
	 */
	public record RedriveResult(String stream, String deadLetterStream, List<Redriven> redriven, List<Skipped> skipped,
			List<String> notFound) {

	}

	/**
	 * A redriven dead letter.
	 *
	 * @param deadLetterId the id the dead letter had
	 * @param id the id of the new entry in the stream
	 */
	public record Redriven(String deadLetterId, String id) {

	}

	/**
	 * A dead letter that was not redriven.
	 *
	 * @param id its id
	 * @param reason why: {@code payload-lost} (nothing to redrive), {@code no-fields} (no
	 * producer fields), or {@code aborted-by-concurrent-writes} (a dead letter too wide
	 * for a script whose transaction concurrent writes aborted 20 times; try again)
	 */
	public record Skipped(String id, String reason) {

	}

}
