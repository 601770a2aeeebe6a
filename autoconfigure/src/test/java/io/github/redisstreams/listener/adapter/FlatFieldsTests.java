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

package io.github.redisstreams.listener.adapter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import io.github.redisstreams.listener.adapter.FlatFields.UnplaceableFieldException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link FlatFields}.
 */
class FlatFieldsTests {

	@Test
	void fieldsWithoutPathsAreReturnedAsTheyAre() {
		Map<String, String> fields = fields("user_id", "123", "event", "login", "a]b", "c");
		assertThat(FlatFields.hasPaths(fields)).isFalse();
		assertThat(FlatFields.toValue(fields)).isSameAs(fields);
	}

	@Test
	void typeHintsOfFieldsWithoutPathsAreLeftOut() {
		assertThat(FlatFields.toValue(fields("_class", "com.example.Person", "firstname", "Jon")))
			.isEqualTo(Map.of("firstname", "Jon"));
		assertThat(FlatFields.toValue(fields("@class", "com.example.Person", "firstname", "Jon")))
			.isEqualTo(Map.of("firstname", "Jon"));
	}

	@Test
	void dottedNamesBecomeNestedObjectsAtAnyDepth() {
		Map<String, String> fields = fields("_class", "com.example.Person", "firstname", "Jon", "address.city",
				"Castle Black", "address.country", "North", "address.geo.position.lat", "55.0",
				"address.geo.position.lon", "-2.3", "address.geo.name", "Wall");
		assertThat(FlatFields.hasPaths(fields)).isTrue();
		assertThat(FlatFields.toValue(fields))
			.isEqualTo(Map.of("firstname", "Jon", "address", Map.of("city", "Castle Black", "country", "North", "geo",
					Map.of("position", Map.of("lat", "55.0", "lon", "-2.3"), "name", "Wall"))));
	}

	@Test
	void mappingRedisConverterLayoutBecomesListsMapsAndListsOfObjects() {
		Map<String, String> fields = fields("_class", "com.example.Person", "nicknames.[0]", "Lord Snow",
				"nicknames.[1]", "King", "items.[0].sku", "a", "items.[0].qty", "1", "items.[1].sku", "b",
				"items.[1].qty", "2", "attributes.[color]", "black", "attributes.[a.b]", "dot", "places.[home].city",
				"Winterfell", "places.[home].country", "North");
		assertThat(FlatFields.toTree(fields)).isEqualTo(Map.of("nicknames", List.of("Lord Snow", "King"), "items",
				List.of(Map.of("sku", "a", "qty", "1"), Map.of("sku", "b", "qty", "2")), "attributes",
				Map.of("color", "black", "a.b", "dot"), "places",
				Map.of("home", Map.of("city", "Winterfell", "country", "North"))));
	}

	@Test
	void jacksonHashMapperLayoutBecomesListsAndNestedLists() {
		Map<String, String> fields = fields("nicknames[0]", "Lord Snow", "nicknames[1]", "King", "items[0].sku", "a",
				"items[1].sku", "b", "matrix[0][0]", "1", "matrix[0][1]", "2", "matrix[1][0]", "3");
		assertThat(FlatFields.toTree(fields)).isEqualTo(Map.of("nicknames", List.of("Lord Snow", "King"), "items",
				List.of(Map.of("sku", "a"), Map.of("sku", "b")), "matrix", List.of(List.of("1", "2"), List.of("3"))));
	}

	@Test
	void listElementsAreOrderedByIndexWhateverTheFieldOrder() {
		Map<String, String> fields = fields("tags.[2]", "c", "tags.[0]", "a", "tags.[10]", "k", "tags.[1]", "b",
				"tags.[3]", "d", "tags.[4]", "e", "tags.[5]", "f", "tags.[6]", "g", "tags.[7]", "h", "tags.[8]", "i",
				"tags.[9]", "j");
		assertThat(FlatFields.toTree(fields))
			.isEqualTo(Map.of("tags", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k")));
	}

	@Test
	void objectsKeepTheOrderInWhichTheirKeysFirstAppear() {
		Map<String, Object> tree = FlatFields.toTree(fields("b.y", "1", "a", "2", "b.x", "3"));
		assertThat(tree.keySet()).containsExactly("b", "a");
		assertThat(tree.get("b")).asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
			.containsExactly(entry("y", "1"), entry("x", "3"));
	}

	@Test
	void typeHintsAreLeftOutAtAnyDepthButAMapKeyOfThatNameIsKept() {
		Map<String, String> fields = fields("_class", "P", "address._class", "A", "items.[0]._class", "I",
				"items.[0].sku", "a", "attributes.[_class]", "kept", "address.city", "Oldtown", "@class", "P",
				"tags[0].@class", "T", "tags[0].name", "t", "address.my_class", "kept too");
		assertThat(FlatFields.toTree(fields)).isEqualTo(Map.of("address",
				Map.of("city", "Oldtown", "my_class", "kept too"), "items", List.of(Map.of("sku", "a")), "attributes",
				Map.of("_class", "kept"), "tags", List.of(Map.of("name", "t"))));
	}

	@Test
	void bracketsHoldingNoPlainNumberAreMapKeys() {
		Map<String, String> fields = fields("codes.[07]", "a", "codes.[-1]", "b", "codes.[]", "c", "codes.[x]y]", "d",
				"codes.[0x]", "e");
		assertThat(FlatFields.toTree(fields))
			.isEqualTo(Map.of("codes", Map.of("07", "a", "-1", "b", "", "c", "x]y", "d", "0x", "e")));
	}

	@Test
	void nameSegmentsMayBeDigits() {
		assertThat(FlatFields.toTree(fields("versions.0", "a", "versions.1", "b")))
			.isEqualTo(Map.of("versions", Map.of("0", "a", "1", "b")));
	}

	@Test
	void valueAndNestedFieldsAtOnePathFail() {
		assertUnplaceable(fields("a", "1", "a.b", "2"), "a.b",
				"field 'a.b' conflicts with field 'a': a field cannot hold both a value and nested fields");
		assertUnplaceable(fields("a.b", "2", "a", "1"), "a",
				"field 'a' conflicts with field 'a.b': a field cannot hold both a value and nested fields");
		assertUnplaceable(fields("a.[0]", "1", "a.[0].b", "2"), "a.[0].b",
				"field 'a.[0].b' conflicts with field 'a.[0]': a field cannot hold both a value and nested fields");
		assertUnplaceable(fields("x.y.z", "1", "x.y", "2"), "x.y",
				"field 'x.y' conflicts with field 'x.y.z': a field cannot hold both a value and nested fields");
	}

	@Test
	void namesAndListIndexesAtOneLevelFail() {
		assertUnplaceable(fields("a.[0]", "1", "a.x", "2"), "a.x",
				"field 'a.x' conflicts with field 'a.[0]': list indexes and names cannot be mixed at one level");
		assertUnplaceable(fields("a.x", "2", "a.[0]", "1"), "a.[0]",
				"field 'a.[0]' conflicts with field 'a.x': list indexes and names cannot be mixed at one level");
		assertUnplaceable(fields("a.[0]", "1", "a.[color]", "2"), "a.[color]",
				"field 'a.[color]' conflicts with field 'a.[0]': list indexes and names cannot be mixed at one level");
	}

	@Test
	void listsWithGapsFail() {
		assertUnplaceable(fields("a.[0]", "x", "a.[2]", "z"), "a.[2]",
				"field 'a.[2]' leaves a gap: the list has no element 1 (list indexes must run from 0 without gaps)");
		assertUnplaceable(fields("a.[1]", "y"), "a.[1]",
				"field 'a.[1]' leaves a gap: the list has no element 0 (list indexes must run from 0 without gaps)");
		assertUnplaceable(fields("items.[0].sku", "a", "items.[5].sku", "f"), "items.[5].sku",
				"field 'items.[5].sku' leaves a gap: the list has no element 1 "
						+ "(list indexes must run from 0 without gaps)");
		assertUnplaceable(fields("a.[0]", "x", "a.[99999999999]", "z"), "a.[99999999999]",
				"field 'a.[99999999999]' leaves a gap: the list has no element 1 "
						+ "(list indexes must run from 0 without gaps)");
	}

	@Test
	void twoSpellingsOfOnePathFail() {
		assertUnplaceable(fields("a[0]", "x", "a.[0]", "y"), "a.[0]",
				"field 'a.[0]' conflicts with field 'a[0]': both name the same value");
		assertUnplaceable(fields("m.[k]", "x", "m.k", "y"), "m.k",
				"field 'm.k' conflicts with field 'm.[k]': both name the same value");
	}

	@Test
	void malformedPathsFail() {
		assertUnplaceable(fields("a..b", "1"), "a..b", "field 'a..b' has an empty name");
		assertUnplaceable(fields(".a", "1"), ".a", "field '.a' has an empty name");
		assertUnplaceable(fields("a.", "1"), "a.", "field 'a.' ends with '.'");
		assertUnplaceable(fields("a[0", "1"), "a[0", "field 'a[0' has a '[' without a matching ']'");
		assertUnplaceable(fields("a[0]b", "1"), "a[0]b", "field 'a[0]b' has a '[' without a matching ']'");
		assertUnplaceable(fields("[0]", "1"), "[0]", "field '[0]' starts with a list index");
	}

	@Test
	void pathsDeeperThanTheLimitFail() {
		String deepest = "a" + ".a".repeat(FlatFields.MAX_DEPTH - 1);
		assertThat(FlatFields.toTree(fields(deepest, "1"))).containsOnlyKeys("a");
		String tooDeep = deepest + ".a";
		assertUnplaceable(fields(tooDeep, "1"), tooDeep, "field '" + tooDeep + "' nests deeper than 100 levels");
	}

	private static void assertUnplaceable(Map<String, String> fields, String field, String message) {
		assertThatExceptionOfType(UnplaceableFieldException.class).isThrownBy(() -> FlatFields.toValue(fields))
			.withMessage(message)
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(field));
	}

	private static Map<String, String> fields(String... namesAndValues) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			fields.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return fields;
	}

}
