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

package io.github.redisstreams.support;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refusals as Redis 6.2, 7.x, 8.x and Valkey word them, directly and inside scripts (the
 * Redis 8.6.3 and Valkey 8.1.1 wordings were read off those servers).
 */
class RedisRefusalTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
							NOPERM this user has no permissions to access one of the keys used as arguments | NO_PERMISSION
							NOPERM User app has no permissions to run the 'zrange' command | NO_PERMISSION
							ERR Error running script (call to f_1): @user_script:44: @user_script: 44: The user executing the script can't run this command or subcommand | NO_PERMISSION
							ERR Error running script (call to f_1): @user_script:9: @user_script: 9: The user executing the script can't access at least one of the keys mentioned in the command | NO_PERMISSION
							ERR The user executing the script can't run this command or subcommand script: fe4e86a5, on @user_script:4. | NO_PERMISSION
					ERR The user executing the script can't access at least one of the keys mentioned in the command script: fe4e86a5, on @user_script:4. | NO_PERMISSION
					ERR ACL failure in script: User app has no permissions to run the 'xrevrange' command script: 9765e6cf, on @user_script:1. | NO_PERMISSION
					ERR ACL failure in script: No permissions to access a key script: ac03f63a, on @user_script:1. | NO_PERMISSION
					NOPERM No permissions to access a key | NO_PERMISSION
					WRONGTYPE Operation against a key holding the wrong kind of value | WRONG_TYPE
					WRONGTYPE Operation against a key holding the wrong kind of value script: fe4e86a5, on @user_script:4. | WRONG_TYPE
							ERR Error running script (call to f_1): @user_script:3: WRONGTYPE Operation against a key holding the wrong kind of value | WRONG_TYPE
							READONLY You can't write against a read only replica. | READ_ONLY
							ERR Error running script (call to f_1): @user_script:3: @user_script: 3: -READONLY You can't write against a read only replica. | READ_ONLY
							NOREPLICAS Not enough good replicas to write. | NO_REPLICAS
							ERR Error running script (call to f_1): @user_script:3: @user_script: 3: -NOREPLICAS Not enough good replicas to write. | NO_REPLICAS
							NOREPLICAS Not enough good replicas to write. script: fe4e86a5, on @user_script:4. | NO_REPLICAS
							MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error. | MISCONFIGURED_PERSISTENCE
							MISCONF Valkey is configured to save RDB snapshots, but it's currently unable to persist to disk. | MISCONFIGURED_PERSISTENCE
							MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'. | MASTER_DOWN
							ERR unknown command 'XAUTOCLAIM', with args beginning with: | UNKNOWN_COMMAND
							ERR Error running script (call to f_1): @user_script:1: @user_script: 1: Unknown Redis command called from Lua script | UNKNOWN_COMMAND
							ERR unknown subcommand 'CREATECONSUMER'. Try XGROUP HELP. | UNKNOWN_SUBCOMMAND
							""")
	void refusalsAreNamedWhereverRedisSaysThem(String message, RedisRefusal expected) {
		assertThat(RedisRefusal.of(new RedisCommandExecutionException(message))).isEqualTo(expected);
		assertThat(RedisRefusal.of(new IllegalStateException("wrapped", new RedisCommandExecutionException(message))))
			.isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			OOM command not allowed when used memory > 'maxmemory'.
			BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.
			LOADING Redis is loading the dataset in memory
			CLUSTERDOWN The cluster is down
			TRYAGAIN Multiple keys request during rehashing of slot
			ERR Error running script (call to f_1): @user_script:3: user_script:3: attempt to compare nil with number
			""")
	void otherFailuresAreTransient(String message) {
		assertThat(RedisRefusal.of(new RedisCommandExecutionException(message))).isNull();
		assertThat(RedisRefusal.of(new RedisCommandTimeoutException("Command timed out after 2 second(s)"))).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					ERR The user executing the script can't run this command or subcommand script: %s, on @user_script:44.
					ERR Error running script (call to f_%s): @user_script:44: @user_script: 44: The user executing the script can't run this command or subcommand
					""")
	void aRefusalInsideAScriptOfTheStarterNamesTheScriptAndItsCommands(String template) {
		LuaScript script = LuaScript.load(getClass(), "/io/github/redisstreams/listener/claim-due.lua");
		String described = RedisRefusal.describe(new RedisCommandExecutionException(template.formatted(script.sha())));
		assertThat(described)
			.contains("(in script /io/github/redisstreams/listener/claim-due.lua, which calls "
					+ "ZRANGEBYSCORE, ZREM, XPENDING, XCLAIM, ZRANGE)")
			.endsWith("; fix: grant the Redis user that command and key pattern (ACL SETUSER; see "
					+ "'Running with least privilege' in the README)");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					ERR The user executing the script can't run this command or subcommand script: 0123456789012345678901234567890123456789, on @user_script:1.
					NOPERM User app has no permissions to run the 'xack' command
					""")
	void otherMessagesNameNoScript(String message) {
		assertThat(RedisRefusal.describe(new RedisCommandExecutionException(message))).doesNotContain("in script");
	}

}
