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

import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.topology.TopologyComparators;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link ClusterTopologyProbe}'s choice among the views the nodes answer.
 */
class ClusterTopologyProbeTests {

	// before: a (epoch 1) serves 0-5460 with replica d; after d took over (epoch 4)
	private static final String BEFORE = """
			aaaa 127.0.0.1:7001@17001 master - 0 0 1 connected 0-5460
			bbbb 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-10922
			cccc 127.0.0.1:7003@17003 myself,master - 0 0 3 connected 10923-16383
			dddd 127.0.0.1:7004@17004 slave aaaa 0 0 1 connected
			""";

	private static final String AFTER = """
			aaaa 127.0.0.1:7001@17001 master,fail - 0 0 1 connected
			bbbb 127.0.0.1:7002@17002 myself,master - 0 0 2 connected 5461-10922
			cccc 127.0.0.1:7003@17003 master - 0 0 3 connected 10923-16383
			dddd 127.0.0.1:7004@17004 master - 0 0 4 connected 0-5460
			""";

	@Test
	void theViewWithTheHighestMasterEpochWins() {
		Partitions before = ClusterPartitionParser.parse(BEFORE);
		Partitions after = ClusterPartitionParser.parse(AFTER);
		assertThat(ClusterTopologyProbe.mostRecent(List.of(before, after))).isSameAs(after);
		assertThat(ClusterTopologyProbe.mostRecent(List.of(after, before))).isSameAs(after);
		assertThat(ClusterTopologyProbe.mostRecent(List.of())).isNull();
	}

	@Test
	void aViewMovesSlotsOnlyWhenAMasterChanged() {
		Partitions before = ClusterPartitionParser.parse(BEFORE);
		Partitions after = ClusterPartitionParser.parse(AFTER);
		assertThat(ClusterTopologyProbe.movesSlots(before, after)).isTrue();
		assertThat(ClusterTopologyProbe.movesSlots(after, ClusterPartitionParser.parse(AFTER))).isFalse();
		assertThat(ClusterTopologyProbe.movesSlots(before, ClusterPartitionParser.parse(BEFORE))).isFalse();
	}

	@Test
	void nodesThatDidNotAnswerComeLastSoThatNewConnectionsAvoidThem() {
		// a (the vanished master) first in the view; b and c answered, d did not yet
		Partitions after = ClusterPartitionParser.parse(AFTER);
		List<Partitions> answers = List.of(ClusterPartitionParser.parse(AFTER),
				ClusterPartitionParser.parse(AFTER.replace("myself,master - 0 0 2", "master - 0 0 2")
					.replace("cccc 127.0.0.1:7003@17003 master", "cccc 127.0.0.1:7003@17003 myself,master")));
		Set<String> answered = ClusterTopologyProbe.answeredNodeIds(answers);
		assertThat(answered).containsExactlyInAnyOrder("bbbb", "cccc");

		List<RedisClusterNode> ordered = ClusterTopologyProbe.answeredFirst(after, answered);
		assertThat(ordered).extracting(RedisClusterNode::getNodeId).containsExactly("bbbb", "cccc", "aaaa", "dddd");
		assertThat(TopologyComparators.sortByClientCount(ordered).get(0).getNodeId()).isEqualTo("bbbb");
		assertThat(ordered.get(3).getSlots()).hasSize(5461);
	}

	@Test
	void withoutMovedSlotsTheNodesThatDidNotAnswerStillComeLast() {
		Partitions before = ClusterPartitionParser.parse(BEFORE);
		List<RedisClusterNode> ordered = ClusterTopologyProbe.answeredFirst(before, Set.of("cccc"));
		assertThat(ordered).extracting(RedisClusterNode::getNodeId).containsExactly("cccc", "aaaa", "bbbb", "dddd");
	}

}
