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

import io.lettuce.core.RedisCommandExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * What a failed read of a consumer met, told apart by the server's error: a missing
 * consumer group or stream ({@code NOGROUP}, or a blocked read unblocked because the key
 * was deleted), or a key that holds another kind of value ({@code WRONGTYPE}), which is
 * named by asking the key's {@code TYPE}. Stateless, thread-safe.
 */
final class ReadFailures {

	private ReadFailures() {
	}

	/**
	 * Return whether the read failed because the consumer group or the stream is missing.
	 * @param ex the failure, unwrapped
	 * @return whether the group must be created again
	 */
	static boolean isMissingGroup(Throwable ex) {
		if (!(ex instanceof RedisCommandExecutionException) || ex.getMessage() == null) {
			return false;
		}
		String message = ex.getMessage();
		return message.startsWith("NOGROUP") || message.startsWith("UNBLOCKED the stream key no longer exists");
	}

	/**
	 * Name what the stream's key holds instead of a stream (an old list queue under the
	 * same name, say), so that the log and the health say it rather than "wrong kind of
	 * value".
	 * @param ex the failure, unwrapped
	 * @param connection the consumer's connection, if any
	 * @param stream the stream's key
	 * @param timeout how long to wait for {@code TYPE}
	 * @return the description, or {@code null} when the failure is not {@code WRONGTYPE}
	 * or the key's type could not be read or is a stream (again) or none
	 */
	static @Nullable String wrongType(Throwable ex, @Nullable StreamConnection connection, String stream,
			Duration timeout) {
		if (!isWrongType(ex) || connection == null || !connection.isOpen()) {
			return null;
		}
		try {
			String type = connection.type(stream, timeout);
			return ("stream".equals(type) || "none".equals(type)) ? null
					: "key '" + stream + "' holds a " + type + ", not a stream";
		}
		catch (Exception typeFailure) {
			if (typeFailure instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return null;
		}
	}

	private static boolean isWrongType(Throwable ex) {
		return ex instanceof RedisCommandExecutionException && ex.getMessage() != null
				&& ex.getMessage().startsWith("WRONGTYPE");
	}

}
