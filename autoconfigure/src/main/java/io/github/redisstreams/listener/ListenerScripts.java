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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.listener.StreamConnections.StreamConnection;
import io.github.redisstreams.support.StreamEntry;
import io.github.redisstreams.support.StreamEntry.Field;

/**
 * The Lua scripts behind retries and reclaiming. Each runs atomically in Redis, reads the
 * server's clock, and handles both reply shapes of the commands it calls: Redis 6.2
 * replies {@code nil} for an entry deleted while pending and keeps it pending, Redis 7.x
 * drops it from the pending list and omits it (or, for {@code XAUTOCLAIM}, lists it as a
 * third element). Parsing these replies in Lua also avoids Lettuce 7.5's misreading of
 * them.
 * <p>
 * A failed entry waiting for its retry is <em>parked</em>: owned by the reserved consumer
 * {@value #PARKING_CONSUMER} and listed in the group's retry schedule (a sorted set of
 * due times, {@code StreamKeys.retrySchedule}). No consumer's own pending list holds it,
 * so a reconnecting consumer does not deliver it early, and the reclaimer puts it back
 * where it was.
 */
final class ListenerScripts {

	/**
	 * The consumer that owns entries waiting for their retry.
	 */
	static final String PARKING_CONSUMER = "redis-streams:retry-scheduled";

	// Parks failed entries: each one still owned by its expected owner moves to the
	// parking consumer (XCLAIM JUSTID, not a delivery) and gets its due time (server
	// clock).
	// KEYS: stream, schedule; ARGV: group, parking consumer, then id, delay ms, expected
	// owner for each entry. Replies {number parked}.
	private static final Script SCHEDULE_RETRIES = new Script("""
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			local parked = 0
			local claim, zadd = {}, {}
			local function flush()
				if #claim > 0 then
					redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(claim))
					redis.call('ZADD', KEYS[2], unpack(zadd))
					parked = parked + #claim - 1
					claim, zadd = {}, {}
				end
			end
			for i = 3, #ARGV, 3 do
				local id = ARGV[i]
				local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
				if #p > 0 and p[1][2] == ARGV[i + 2] then
					if #claim == 0 then
						claim[1] = 'JUSTID'
					end
					table.insert(claim, #claim, id)
					zadd[#zadd + 1] = now + tonumber(ARGV[i + 1])
					zadd[#zadd + 1] = id
					if #claim > 500 then
						flush()
					end
				end
			end
			flush()
			return {parked}
			""");

	// Claims one entry to a consumer with a counting XCLAIM; collects the entry and its
	// delivery count, or its id when the payload is gone (nil on 6.2, omitted on 7.x).
	// KEYS[1]: stream; ARGV[1]: group
	private static final String CLAIM_FUNCTION = """
			local function claim(id, consumer, entries, counts, lost)
				local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], consumer, 0, id)
				if claimed[1] then
					entries[#entries + 1] = claimed[1]
					counts[#counts + 1] = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)[1][4]
				else
					lost[#lost + 1] = id
				end
			end
			""";

	// Claims the due entries to a consumer: one ZREM, one XPENDING per entry (is it still
	// pending, with which count), then one counting XCLAIM per 500 entries. An entry the
	// XCLAIM does not return was deleted from the stream (nil on 6.2, omitted on 7.x).
	// KEYS: stream, schedule; ARGV: group, consumer, count
	private static final Script CLAIM_DUE = new Script("""
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
			local entries, counts, lost = {}, {}, {}
			if #due > 0 then
				for i = 1, #due, 500 do
					redis.call('ZREM', KEYS[2], unpack(due, i, math.min(i + 499, #due)))
				end
				local ids, before = {}, {}
				for _, id in ipairs(due) do
					local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
					if #p > 0 then
						ids[#ids + 1] = id
						before[id] = p[1][4]
					end
				end
				for i = 1, #ids, 500 do
					local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0,
						unpack(ids, i, math.min(i + 499, #ids)))
					local got = {}
					for _, entry in ipairs(claimed) do
						if entry then
							got[entry[1]] = entry
						end
					end
					for j = i, math.min(i + 499, #ids) do
						local id = ids[j]
						if got[id] then
							entries[#entries + 1] = got[id]
							counts[#counts + 1] = before[id] + 1
						else
							lost[#lost + 1] = id
						end
					end
				end
			end
			local wait = -1
			local nxt = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
			if #nxt > 0 then
				wait = math.max(0, tonumber(nxt[2]) - now)
			end
			return {entries, counts, lost, wait}
			""");

	// KEYS: stream, schedule; ARGV: group, claimer, min idle ms, cursor, count, parking
	// consumer
	private static final Script RECLAIM = new Script(CLAIM_FUNCTION + """
			local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5], 'JUSTID')
			local deleted = r[3] or {}
			for _, id in ipairs(deleted) do
				redis.call('ZREM', KEYS[2], id)
			end
			local entries, counts, lost = {}, {}, {}
			for _, id in ipairs(r[2]) do
				if redis.call('ZSCORE', KEYS[2], id) then
					redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[6], 0, id, 'JUSTID')
				else
					claim(id, ARGV[2], entries, counts, lost)
				end
			end
			return {r[1], entries, counts, lost, deleted}
			""");

	// KEYS: stream; ARGV: group, consumer, ids...
	private static final Script REFRESH = new Script("""
			local refreshed = 0
			for i = 3, #ARGV do
				local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
				if #p > 0 and p[1][2] == ARGV[2] then
					redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
					refreshed = refreshed + 1
				end
			end
			return refreshed
			""");

	// KEYS: stream; ARGV: group, idle threshold ms, protected consumer names...
	private static final Script REMOVE_DEAD_CONSUMERS = new Script("""
			local protected = {}
			for i = 3, #ARGV do
				protected[ARGV[i]] = true
			end
			local removed = {}
			for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
				local info = {}
				for i = 1, #c, 2 do
					info[c[i]] = c[i + 1]
				end
				local idle = tonumber(info['inactive'])
				if idle == nil or idle < 0 then
					idle = tonumber(info['idle'])
				end
				if not protected[info['name']] and tonumber(info['pending']) == 0 and idle > tonumber(ARGV[2]) then
					redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
					removed[#removed + 1] = info['name']
				end
			end
			return removed
			""");

	private ListenerScripts() {
	}

	/**
	 * Park failed entries and schedule their next delivery, in one script sent without
	 * waiting (so that it is pipelined with what follows on the connection). The script's
	 * text is sent ({@code EVAL}), so that no {@code NOSCRIPT} can come back.
	 * @return the reply: the number of entries parked, in a one-element list
	 */
	static RedisFuture<List<Object>> parkRequests(StreamConnection connection, ContainerSettings settings,
			List<RetryParking.Request> requests) {
		byte[][] values = new byte[2 + requests.size() * 3][];
		values[0] = bytes(settings.group());
		values[1] = bytes(PARKING_CONSUMER);
		int i = 2;
		for (RetryParking.Request request : requests) {
			values[i++] = bytes(request.id());
			values[i++] = bytes(Long.toString(request.delay().toMillis()));
			values[i++] = bytes(request.owner());
		}
		return connection.scripting().eval(SCHEDULE_RETRIES.text(), ScriptOutputType.MULTI, keys(settings), values);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Claim the entries whose retry is due to {@code consumer}.
	 */
	static Claimed claimDue(StreamConnection connection, ContainerSettings settings, String consumer, int count,
			Duration timeout) throws Exception {
		List<Object> result = run(connection, CLAIM_DUE, timeout, keys(settings), settings.group(), consumer,
				Integer.toString(count));
		long wait = ((Number) result.get(3)).longValue();
		return new Claimed(settings.stream(), result.get(0), result.get(1), result.get(2), null,
				(wait >= 0) ? Duration.ofMillis(wait) : null);
	}

	/**
	 * Claim entries idle for longer than the minimum idle time to {@code claimer},
	 * following the cursor one step.
	 */
	static Reclaimed reclaim(StreamConnection connection, ContainerSettings settings, String claimer, String cursor,
			int count, Duration timeout) throws Exception {
		List<Object> result = run(connection, RECLAIM, timeout, keys(settings), settings.group(), claimer,
				Long.toString(settings.values().getMinIdleTime().toMillis()), cursor, Integer.toString(count),
				PARKING_CONSUMER);
		return new Reclaimed(string(result.get(0)),
				new Claimed(settings.stream(), result.get(1), result.get(2), result.get(3), result.get(4), null));
	}

	/**
	 * Reset the idle time of entries still owned by {@code consumer}.
	 */
	static long refresh(StreamConnection connection, ContainerSettings settings, String consumer, List<String> ids,
			Duration timeout) throws Exception {
		List<String> args = new ArrayList<>();
		args.add(settings.group());
		args.add(consumer);
		args.addAll(ids);
		List<Object> result = run(connection, REFRESH, timeout, new String[] { settings.stream() },
				args.toArray(String[]::new));
		return result.isEmpty() ? 0 : ((Number) result.get(0)).longValue();
	}

	/**
	 * Remove consumers with nothing pending that were idle for longer than the timeout.
	 */
	static List<String> removeDeadConsumers(StreamConnection connection, ContainerSettings settings,
			List<String> protectedNames, Duration timeout) throws Exception {
		List<String> args = new ArrayList<>();
		args.add(settings.group());
		args.add(Long.toString(settings.values().getDeadConsumerTimeout().toMillis()));
		args.add(PARKING_CONSUMER);
		args.addAll(protectedNames);
		List<Object> result = run(connection, REMOVE_DEAD_CONSUMERS, timeout, new String[] { settings.stream() },
				args.toArray(String[]::new));
		return result.stream().map(ListenerScripts::string).toList();
	}

	private static String[] keys(ContainerSettings settings) {
		return new String[] { settings.stream(), settings.retrySchedule() };
	}

	@SuppressWarnings("unchecked")
	static List<Object> run(StreamConnection connection, Script script, Duration timeout, String[] keys, String... args)
			throws Exception {
		RedisScriptingAsyncCommands<String, byte[]> scripting = connection.scripting();
		byte[][] values = new byte[args.length][];
		for (int i = 0; i < args.length; i++) {
			values[i] = args[i].getBytes(StandardCharsets.UTF_8);
		}
		Object result;
		try {
			result = scripting.evalsha(script.sha(), ScriptOutputType.MULTI, keys, values)
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof RedisNoScriptException)) {
				throw ex;
			}
			result = scripting.eval(script.text(), ScriptOutputType.MULTI, keys, values)
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		return (result instanceof List<?> list) ? (List<Object>) list : List.of();
	}

	static String string(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(value);
	}

	/**
	 * Entries claimed by a script, their delivery counts, and ids whose payload is gone.
	 */
	static final class Claimed {

		final List<StreamEntry> entries = new ArrayList<>();

		final Map<String, Long> deliveryCounts = new LinkedHashMap<>();

		/** Ids claimed but deleted from the stream: still pending on 6.2. */
		final List<String> lost = new ArrayList<>();

		/**
		 * Ids deleted from the stream that Redis 7.x already dropped from the pending
		 * list.
		 */
		final List<String> deleted = new ArrayList<>();

		final @Nullable Duration nextDue;

		Claimed(String stream, Object entries, Object counts, Object lost, @Nullable Object deleted,
				@Nullable Duration nextDue) {
			this.nextDue = nextDue;
			List<?> entryList = (List<?>) entries;
			List<?> countList = (List<?>) counts;
			for (int i = 0; i < entryList.size(); i++) {
				List<?> entry = (List<?>) entryList.get(i);
				String id = string(entry.get(0));
				List<Field> fields = new ArrayList<>();
				if (entry.size() > 1 && entry.get(1) instanceof List<?> pairs) {
					for (int j = 0; j + 1 < pairs.size(); j += 2) {
						fields.add(new Field((byte[]) pairs.get(j), (byte[]) pairs.get(j + 1)));
					}
				}
				this.entries.add(new StreamEntry(id, stream, fields));
				this.deliveryCounts.put(id, ((Number) countList.get(i)).longValue());
			}
			((List<?>) lost).forEach((id) -> this.lost.add(string(id)));
			if (deleted instanceof List<?> deletedList) {
				deletedList.forEach((id) -> this.deleted.add(string(id)));
			}
		}

		boolean isEmpty() {
			return this.entries.isEmpty() && this.lost.isEmpty() && this.deleted.isEmpty();
		}

	}

	record Reclaimed(String cursor, Claimed claimed) {

	}

	record Script(String text, String sha) {

		Script(String text) {
			this(text, sha1(text));
		}

		private static String sha1(String text) {
			try {
				return HexFormat.of()
					.formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
