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

import java.util.ArrayList;
import java.util.List;

import io.github.redisstreams.deadletter.DeadLetterStreams.RedriveResult;
import io.github.redisstreams.deadletter.DeadLetterStreams.Redriven;
import io.github.redisstreams.deadletter.DeadLetterStreams.Skipped;
import io.github.redisstreams.support.StreamEntry.Field;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.Assert;

import static io.github.redisstreams.deadletter.DeadLetterStreams.bytes;
import static io.github.redisstreams.deadletter.DeadLetterStreams.entry;
import static io.github.redisstreams.deadletter.DeadLetterStreams.string;

/**
 * The writing half of {@link DeadLetterStreams}: moves dead letters back to their stream,
 * each atomically ({@code redrive.lua}, or a transaction for one too wide for a script).
 */
final class DeadLetterRedrive {

	private static final int MAX_TRANSACTION_ATTEMPTS = 20;

	private static final byte[][] REDRIVE_ARGUMENTS = redriveArguments();

	private DeadLetterRedrive() {
	}

	static RedriveResult redrive(RedisConnection connection, String stream, String deadLetterStream, List<String> ids) {
		List<Redriven> redriven = new ArrayList<>();
		List<Skipped> skipped = new ArrayList<>();
		List<String> notFound = new ArrayList<>();
		byte[] deadLetterKey = bytes(deadLetterStream);
		byte[] streamKey = bytes(stream);
		for (String id : ids) {
			byte[][] keysAndArgs = new byte[REDRIVE_ARGUMENTS.length + 3][];
			keysAndArgs[0] = deadLetterKey;
			keysAndArgs[1] = streamKey;
			keysAndArgs[2] = bytes(id);
			System.arraycopy(REDRIVE_ARGUMENTS, 0, keysAndArgs, 3, REDRIVE_ARGUMENTS.length);
			List<?> reply = (List<?>) DeadLetterScripts.REDRIVE.run(connection, ReturnType.MULTI, 2, keysAndArgs);
			Assert.state(reply != null && !reply.isEmpty(), () -> "Unexpected reply of the redrive script: " + reply);
			long outcome = ((Number) reply.get(0)).longValue();
			if (outcome == 3) {
				outcome = redriveInTransaction(connection, deadLetterKey, streamKey, id, redriven, skipped);
			}
			else if (outcome == 1) {
				redriven.add(new Redriven(id, string(reply.get(1))));
			}
			else if (outcome == 2) {
				skipped.add(new Skipped(id, string(reply.get(1))));
			}
			if (outcome == 0) {
				notFound.add(id);
			}
		}
		return new RedriveResult(stream, deadLetterStream, List.copyOf(redriven), List.copyOf(skipped),
				List.copyOf(notFound));
	}

	/**
	 * A dead letter too wide for a script: {@code WATCH} the dead-letter stream, read the
	 * dead letter, then add the new entry and delete the dead letter in one
	 * {@code MULTI}/{@code EXEC}, tried again if a concurrent write aborted it. On Redis
	 * Cluster the commands are sent in order: a crash between them can redrive the dead
	 * letter twice, never lose it.
	 */
	private static long redriveInTransaction(RedisConnection connection, byte[] deadLetterKey, byte[] streamKey,
			String id, List<Redriven> redriven, List<Skipped> skipped) {
		boolean transactions = !(connection instanceof RedisClusterConnection);
		for (int attempt = 1; attempt <= MAX_TRANSACTION_ATTEMPTS; attempt++) {
			if (transactions) {
				connection.watch(deadLetterKey);
			}
			// XREVRANGE from the id itself: the dead letter, or an older one if it is
			// gone
			List<?> page = (List<?>) DeadLetterScripts.PAGE.run(connection, ReturnType.MULTI, 1, deadLetterKey,
					bytes(id), bytes("1"));
			List<?> found = (page != null && page.size() == 2) ? (List<?>) page.get(1) : List.of();
			if (found.isEmpty() || !id.equals(string(((List<?>) found.get(0)).get(0)))) {
				if (transactions) {
					connection.unwatch();
				}
				return 0;
			}
			List<byte[]> args = new ArrayList<>();
			args.add(streamKey);
			args.add(bytes("*"));
			for (Field field : entry(string(deadLetterKey), (List<?>) found.get(0)).getFieldList()) {
				if (!DeadLetterHeaders.isReserved(field.nameAsString())) {
					args.add(field.name());
					args.add(field.value());
				}
			}
			args.add(bytes(DeadLetterHeaders.REDRIVEN_FROM));
			args.add(bytes(id));
			byte[][] xadd = args.toArray(byte[][]::new);
			if (!transactions) {
				Object newId = connection.execute("XADD", xadd);
				connection.streamCommands().xDel(deadLetterKey, id);
				redriven.add(new Redriven(id, string(newId)));
				return 1;
			}
			connection.multi();
			connection.execute("XADD", xadd);
			connection.streamCommands().xDel(deadLetterKey, id);
			List<Object> results = connection.exec();
			if (results != null && results.size() == 2) {
				redriven.add(new Redriven(id, string(results.get(0))));
				return 1;
			}
		}
		skipped.add(new Skipped(id, "aborted-by-concurrent-writes"));
		return 2;
	}

	private static byte[][] redriveArguments() {
		List<byte[]> args = new ArrayList<>();
		args.add(bytes(DeadLetterHeaders.REASON));
		args.add(bytes(DeadLetterReason.PAYLOAD_LOST.getValue()));
		args.add(bytes(DeadLetterHeaders.REDRIVEN_FROM));
		args.add(bytes(Integer.toString(DeadLetterScripts.MAX_SCRIPT_ARGUMENTS)));
		DeadLetterHeaders.RESERVED.forEach((name) -> args.add(bytes(name)));
		return args.toArray(byte[][]::new);
	}

}
