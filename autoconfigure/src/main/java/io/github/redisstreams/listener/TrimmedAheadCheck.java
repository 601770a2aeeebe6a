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
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.support.LuaScript;

/**
 * Warns at startup when a listener's stream is trimmed by someone else: the stream has
 * deleted entries that the listener's group had not read yet: its first entry is past the
 * group's {@code last-delivered-id}, and more entries were added after that position
 * ({@code XINFO STREAM}'s {@code entries-added} minus the group's {@code entries-read},
 * Redis 7.0+) than the stream holds. That is what {@code XADD ... MAXLEN} or an
 * {@code XTRIM} by a publisher does to a group that lags: the entries are gone before the
 * listener sees them, without a trace. The starter's own retention never trims past what
 * a group still needs, so it never causes this warning. Best effort: on Redis 6.2, or
 * when Redis cannot be asked, nothing is checked.
 */
final class TrimmedAheadCheck {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final LuaScript RESET_ENTRIES_READ = LuaScript.load(TrimmedAheadCheck.class,
			"reset-entries-read.lua");

	private TrimmedAheadCheck() {
	}

	/**
	 * Check a listener's stream and group, and warn if entries the group had not read
	 * were deleted.
	 * @return the warning, or {@code null}
	 */
	static @Nullable String check(ControlConnection control, ContainerSettings settings, Duration timeout) {
		try {
			StreamConnection connection = control.get();
			Map<String, Object> stream = Claimed
				.fields(connection.await(connection.streams().xinfoStream(settings.stream()), timeout));
			if (!(stream.get("entries-added") instanceof Number added)
					|| !(stream.get("length") instanceof Number length)
					|| !(stream.get("first-entry") instanceof List<?> first) || first.isEmpty()) {
				return null;
			}
			String firstId = Claimed.string(first.get(0));
			for (Object group : connection.await(connection.streams().xinfoGroups(settings.stream()), timeout)) {
				Map<String, Object> info = Claimed.fields(group);
				if (!settings.group().equals(Claimed.string(info.get("name")))) {
					continue;
				}
				String lastDelivered = Claimed.string(info.get("last-delivered-id"));
				// trimming removes from the head: when the first entry is past what the
				// group
				// read, every entry in the stream is unread to it, and more were added
				// after
				// its position than the stream holds, the others were trimmed unread
				if (isZero(lastDelivered) || !(info.get("entries-read") instanceof Number read)
						|| compare(firstId, lastDelivered) <= 0
						|| added.longValue() - read.longValue() <= length.longValue()) {
					return null;
				}
				long lost = added.longValue() - read.longValue() - length.longValue();
				String property = "redis.streams.listeners" + (settings.listenerId().contains(".")
						? "[" + settings.listenerId() + "]" : "." + settings.listenerId()) + ".retention";
				String warning = "Listener '" + settings.listenerId() + "': stream '" + settings.stream()
						+ "' has had entries deleted that group '" + settings.group() + "' had not read yet (" + lost
						+ " entries after " + lastDelivered + ", the last one it read): something trims it ahead of "
						+ "its consumers, such as a publisher's XADD ... MAXLEN or an XTRIM, and those entries never "
						+ "reached this listener. Let the starter trim it instead: " + property + ".max-length or "
						+ property + ".max-age never trims past what a group still needs";
				// Redis keeps counting the trimmed entries as unread: count them as read,
				// so
				// that the lag is right and the same gap is not reported at every start
				Scripts.run(connection, RESET_ENTRIES_READ, timeout, new String[] { settings.stream() },
						settings.group(), lastDelivered, Long.toString(added.longValue() - length.longValue()));
				logger.warn(warning);
				return warning;
			}
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.debug("Listener '" + settings.listenerId() + "': could not check whether stream '"
					+ settings.stream() + "' is trimmed ahead of its group: " + ex);
		}
		return null;
	}

	private static boolean isZero(String id) {
		return id.isEmpty() || "0-0".equals(id);
	}

	/** Compare two entry ids: milliseconds, then sequence. */
	static int compare(String a, String b) {
		long[] x = parse(a);
		long[] y = parse(b);
		int ms = Long.compareUnsigned(x[0], y[0]);
		return (ms != 0) ? ms : Long.compareUnsigned(x[1], y[1]);
	}

	private static long[] parse(String id) {
		int dash = id.indexOf('-');
		return (dash < 0) ? new long[] { Long.parseUnsignedLong(id), 0 } : new long[] {
				Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1)) };
	}

}
