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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.support.StreamEntry.Field;

/**
 * Reads the reply of {@code XREADGROUP} for one stream into {@link StreamEntry entries}
 * whose field-value pairs are kept as Redis sent them: bytes, in order, repeated names
 * repeated. Lettuce's own {@code StreamReadOutput} puts the fields into a map keyed by
 * the decoded name, which merges repeated names and replaces bytes that are not UTF-8.
 * <p>
 * Understands RESP2 (an array of {@code [stream, entries]}) and RESP3 (a map of stream to
 * entries); an entry deleted while pending ({@code [id, nil]}) becomes an entry without
 * fields. With {@code CLAIM min-idle-time} (Redis 8.4+) every entry comes as
 * {@code [id, fields, idle-ms, delivery-count]}, where the count is the one before this
 * read (0 for a new entry): the delivery count ({@code count + 1}) of each entry claimed
 * from the pending entries list is recorded. Not thread-safe: Lettuce fills an output
 * from one event-loop thread.
 */
final class EntriesOutput extends CommandOutput<String, byte[], List<StreamEntry>> {

	private static final byte[] EMPTY = new byte[0];

	private final String stream;

	private final List<StreamEntry> entries = new ArrayList<>();

	private boolean streamNameRead;

	private boolean keepStreamName;

	private @Nullable String id;

	private byte @Nullable [] name;

	private @Nullable List<Field> fields;

	private boolean bodyRead;

	private int numbersRead;

	/**
	 * The depth Lettuce reports when the current entry's id is complete (the entry's
	 * array is one level up), {@link #AWAITING_DEPTH} right after the id, or
	 * {@link #NO_ENTRY}.
	 */
	private int entryDepth = NO_ENTRY;

	private static final int NO_ENTRY = -2;

	private static final int AWAITING_DEPTH = -1;

	private final @Nullable Map<String, Long> claimed;

	private EntriesOutput(RedisCodec<String, byte[]> codec, String stream, @Nullable Map<String, Long> claimed) {
		super(codec, List.of());
		this.stream = stream;
		this.claimed = claimed;
	}

	/**
	 * Send {@code XREADGROUP GROUP group consumer COUNT count [BLOCK ms] STREAMS stream
	 * id}.
	 * @param connection the connection
	 * @param group the consumer group
	 * @param consumer the consumer name
	 * @param count the maximum number of entries
	 * @param blockMillis how long to block, in milliseconds; negative not to block
	 * @param stream the stream key
	 * @param id {@code >} for new entries, or an id to read this consumer's pending
	 * entries after it
	 * @return the entries, empty if none
	 */
	static RedisFuture<List<StreamEntry>> readGroup(StreamConnection connection, String group, String consumer,
			long count, long blockMillis, String stream, String id) {
		return readGroup(connection, group, consumer, count, blockMillis, -1, null, stream, id);
	}

	/**
	 * Send {@code XREADGROUP GROUP group consumer COUNT count [BLOCK ms] [CLAIM
	 * min-idle-time] STREAMS stream id}.
	 * @param connection the connection
	 * @param group the consumer group
	 * @param consumer the consumer name
	 * @param count the maximum number of entries, claimed and new together
	 * @param blockMillis how long to block, in milliseconds; negative not to block
	 * @param claimMinIdleMillis the {@code CLAIM} argument, in milliseconds; negative for
	 * none
	 * @param claimed where the delivery counts of the claimed entries go, by id (filled
	 * before the future completes); {@code null} without {@code CLAIM}
	 * @param stream the stream key
	 * @param id {@code >} for new entries, or an id to read this consumer's pending
	 * entries after it
	 * @return the entries, claimed ones first, empty if none
	 */
	static RedisFuture<List<StreamEntry>> readGroup(StreamConnection connection, String group, String consumer,
			long count, long blockMillis, long claimMinIdleMillis, @Nullable Map<String, Long> claimed, String stream,
			String id) {
		CommandArgs<String, byte[]> args = new CommandArgs<>(StreamConnections.CODEC).add("GROUP")
			.add(group)
			.add(consumer)
			.add("COUNT")
			.add(count);
		if (blockMillis >= 0) {
			args.add("BLOCK").add(blockMillis);
		}
		if (claimMinIdleMillis >= 0) {
			args.add("CLAIM").add(claimMinIdleMillis);
		}
		args.add("STREAMS").addKey(stream).add(id);
		return connection.base()
			.dispatch(CommandType.XREADGROUP, new EntriesOutput(StreamConnections.CODEC, stream, claimed), args);
	}

	@Override
	public void set(long integer) {
		// with CLAIM, every entry is [id, fields, idle, delivery count before this read]:
		// 0 for a new entry, at least 1 for one claimed from the pending entries list
		if (this.id != null && this.bodyRead && ++this.numbersRead == 2 && integer > 0 && this.claimed != null) {
			this.claimed.put(this.id, integer + 1);
		}
	}

	@Override
	public void set(@Nullable ByteBuffer bytes) {
		if (!this.streamNameRead) {
			if (bytes != null) {
				this.streamNameRead = true;
				this.keepStreamName = true;
			}
			return;
		}
		if (this.id == null) {
			this.id = (bytes != null) ? StandardCharsets.US_ASCII.decode(bytes).toString() : null;
			this.entryDepth = (this.id != null) ? AWAITING_DEPTH : NO_ENTRY;
			return;
		}
		if (this.name == null) {
			this.bodyRead = true;
			if (bytes != null) {
				this.name = copy(bytes);
			}
			return;
		}
		List<Field> current = this.fields;
		if (current == null) {
			current = new ArrayList<>();
			this.fields = current;
		}
		current.add(new Field(this.name, (bytes != null) ? copy(bytes) : EMPTY));
		this.name = null;
	}

	@Override
	public void multi(int count) {
		if (this.id != null && this.name == null && count == -1) {
			// an entry deleted while pending: [id, nil]
			this.bodyRead = true;
		}
	}

	@Override
	public void complete(int depth) {
		if (this.entryDepth == AWAITING_DEPTH) {
			// the id's own completion: the depth of the entry's array, whatever the
			// protocol nests it in (RESP2 [[stream, entries]] or RESP3 {stream: entries})
			this.entryDepth = depth;
			return;
		}
		if (this.id != null && depth == this.entryDepth - 1) {
			List<Field> body = this.fields;
			this.entries.add(new StreamEntry(this.id, this.stream, (body != null) ? body : List.of()));
			this.bodyRead = false;
			this.numbersRead = 0;
			this.entryDepth = NO_ENTRY;
			this.id = null;
			this.name = null;
			this.fields = null;
		}
		if (depth == 2 && this.keepStreamName) {
			this.keepStreamName = false;
		}
		if (depth == 1) {
			if (this.keepStreamName) {
				this.keepStreamName = false;
			}
			else {
				this.streamNameRead = false;
			}
		}
	}

	@Override
	public List<StreamEntry> get() {
		return this.entries;
	}

	private static byte[] copy(ByteBuffer bytes) {
		byte[] copy = new byte[bytes.remaining()];
		bytes.get(copy);
		return copy;
	}

}
