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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of a flat entry as the value Jackson maps onto a listener's parameter type:
 * field names that are paths become nested maps and lists, as Spring Data Redis's hash
 * mappers write them.
 * <ul>
 * <li>{@code address.city}: the property {@code city} of the object {@code address};</li>
 * <li>{@code nicknames.[0]} (Spring Data Redis's {@code MappingRedisConverter}) or
 * {@code nicknames[0]} (its Jackson hash mappers): element 0 of the list
 * {@code nicknames}; an index is {@code 0} or a number without leading zeros;</li>
 * <li>{@code attributes.[color]}: the key {@code color} of the map {@code attributes};
 * the key may contain dots;</li>
 * <li>any combination, at any depth: {@code items.[0].sku}, {@code matrix[0][1]};</li>
 * <li>the type hints {@value #TYPE_HINT} ({@code MappingRedisConverter}) and
 * {@value #JACKSON_TYPE_HINT} (the Jackson hash mappers), at any depth: left out, so that
 * they neither end up as entries of a map nor reach Jackson as class names.</li>
 * </ul>
 * Every field must find a place of its own: a field that would also be an object or a
 * list ({@code a} and {@code a.b}), a level with both names and list indexes
 * ({@code a.[0]} and {@code a.x}), a list with a gap ({@code a.[0]} and {@code a.[2]}),
 * two spellings of one path ({@code a[0]} and {@code a.[0]}) and malformed paths
 * ({@code a..b}, {@code a[0}) fail with an {@link UnplaceableFieldException} naming the
 * field, and so do paths deeper than {@value #MAX_DEPTH} levels. Stateless.
 */
final class FlatFields {

	/**
	 * The field in which Spring Data Redis's {@code MappingRedisConverter} writes the
	 * class of an object.
	 */
	static final String TYPE_HINT = "_class";

	/**
	 * The field in which Spring Data Redis's Jackson hash mappers write the class of an
	 * object.
	 */
	static final String JACKSON_TYPE_HINT = "@class";

	/**
	 * The deepest path accepted, far beyond any object model, so that a field name of
	 * thousands of dots cannot exhaust the stack.
	 */
	static final int MAX_DEPTH = 100;

	private FlatFields() {
	}

	/**
	 * Return the value to map onto a listener's parameter type: the fields themselves if
	 * no field name contains {@code .} or {@code [} and there is no type hint field;
	 * otherwise maps of {@code String} keys, lists and {@code String} values.
	 * @param fields the fields of a flat entry, in stream order
	 * @return the fields, or their tree
	 * @throws UnplaceableFieldException if a field cannot be placed, naming it
	 */
	static Map<String, ?> toValue(Map<String, String> fields) {
		if (hasPaths(fields)) {
			return toTree(fields);
		}
		if (fields.containsKey(TYPE_HINT) || fields.containsKey(JACKSON_TYPE_HINT)) {
			Map<String, String> withoutTypeHints = new LinkedHashMap<>(fields);
			withoutTypeHints.remove(TYPE_HINT);
			withoutTypeHints.remove(JACKSON_TYPE_HINT);
			return withoutTypeHints;
		}
		return fields;
	}

	/**
	 * Return whether any field name contains {@code .} or {@code [}.
	 * @param fields the fields
	 * @return whether a tree is needed
	 */
	static boolean hasPaths(Map<String, String> fields) {
		for (String name : fields.keySet()) {
			if (name.indexOf('.') >= 0 || name.indexOf('[') >= 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the nested maps and lists that the field names describe.
	 * @param fields the fields, in stream order
	 * @return the tree: maps keep the order in which their keys first appear
	 * @throws UnplaceableFieldException if a field cannot be placed, naming it
	 */
	static Map<String, Object> toTree(Map<String, String> fields) {
		Branch root = new Branch("", false);
		for (Map.Entry<String, String> field : fields.entrySet()) {
			String name = field.getKey();
			if (!isTypeHint(name)) {
				place(root, name, parse(name), field.getValue());
			}
		}
		return root.toMap();
	}

	private static boolean isTypeHint(String name) {
		return isOrEndsWith(name, TYPE_HINT) || isOrEndsWith(name, JACKSON_TYPE_HINT);
	}

	private static boolean isOrEndsWith(String name, String segment) {
		return name.endsWith(segment)
				&& (name.length() == segment.length() || name.charAt(name.length() - segment.length() - 1) == '.');
	}

	private static void place(Branch root, String field, List<Object> path, String value) {
		if (path.get(0) instanceof Integer) {
			throw new UnplaceableFieldException(field, "starts with a list index");
		}
		Branch parent = root;
		for (int i = 0; i < path.size(); i++) {
			Object segment = path.get(i);
			Object existing = parent.children.get(segment);
			if (i == path.size() - 1) {
				if (existing != null) {
					throw conflict(field, existing, (existing instanceof Leaf) ? "both name the same value"
							: "a field cannot hold both a value and nested fields");
				}
				parent.children.put(segment, new Leaf(field, value));
				return;
			}
			boolean list = path.get(i + 1) instanceof Integer;
			if (existing == null) {
				Branch branch = new Branch(field, list);
				parent.children.put(segment, branch);
				parent = branch;
			}
			else if (existing instanceof Branch branch && branch.list == list) {
				parent = branch;
			}
			else {
				throw conflict(field, existing,
						(existing instanceof Leaf) ? "a field cannot hold both a value and nested fields"
								: "list indexes and names cannot be mixed at one level");
			}
		}
	}

	private static UnplaceableFieldException conflict(String field, Object existing, String reason) {
		return new UnplaceableFieldException(field, "conflicts with field '" + fieldOf(existing) + "': " + reason);
	}

	private static String fieldOf(Object node) {
		return (node instanceof Leaf leaf) ? leaf.field() : ((Branch) node).field;
	}

	/**
	 * Split a field name into its segments: a {@code String} for a name or a map key, an
	 * {@code Integer} for a list index.
	 */
	static List<Object> parse(String field) {
		List<Object> segments = new ArrayList<>();
		int length = field.length();
		int i = 0;
		while (true) {
			if (i < length && field.charAt(i) == '[') {
				int close = closingBracket(field, i);
				if (close < 0) {
					throw new UnplaceableFieldException(field, "has a '[' without a matching ']'");
				}
				segments.add(bracketed(field.substring(i + 1, close)));
				i = close + 1;
			}
			else {
				int end = i;
				while (end < length && field.charAt(end) != '.' && field.charAt(end) != '[') {
					end++;
				}
				if (end == i) {
					throw new UnplaceableFieldException(field, "has an empty name");
				}
				segments.add(field.substring(i, end));
				i = end;
			}
			if (segments.size() > MAX_DEPTH) {
				throw new UnplaceableFieldException(field, "nests deeper than " + MAX_DEPTH + " levels");
			}
			if (i == length) {
				return segments;
			}
			if (field.charAt(i) == '.') {
				i++;
				if (i == length) {
					throw new UnplaceableFieldException(field, "ends with '.'");
				}
			}
		}
	}

	/**
	 * Return the index of the {@code ]} that closes the {@code [} at {@code open}: the
	 * first one followed by the end, {@code .} or {@code [}, so that keys may contain
	 * dots and brackets.
	 */
	private static int closingBracket(String field, int open) {
		for (int i = field.indexOf(']', open + 1); i >= 0; i = field.indexOf(']', i + 1)) {
			if (i + 1 == field.length() || field.charAt(i + 1) == '.' || field.charAt(i + 1) == '[') {
				return i;
			}
		}
		return -1;
	}

	private static Object bracketed(String content) {
		if (content.equals("0")) {
			return 0;
		}
		if (content.isEmpty() || content.charAt(0) < '1' || content.charAt(0) > '9') {
			return content;
		}
		for (int i = 1; i < content.length(); i++) {
			if (content.charAt(i) < '0' || content.charAt(i) > '9') {
				return content;
			}
		}
		// An index this large leaves a gap in any list that a stream entry can hold
		return (content.length() > 9) ? Integer.MAX_VALUE : Integer.parseInt(content);
	}

	/**
	 * Thrown when a field of a flat entry cannot be placed in the tree.
	 */
	static final class UnplaceableFieldException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final String field;

		UnplaceableFieldException(String field, String reason) {
			super("field '" + field + "' " + reason);
			this.field = field;
		}

		String getField() {
			return this.field;
		}

	}

	private record Leaf(String field, String value) {
	}

	/**
	 * An object (keys in the order they first appear) or a list (keys sorted by index).
	 */
	private static final class Branch {

		/** The first field that reached this branch, for messages. */
		final String field;

		final boolean list;

		final Map<Object, Object> children;

		Branch(String field, boolean list) {
			this.field = field;
			this.list = list;
			this.children = list ? new TreeMap<>() : new LinkedHashMap<>();
		}

		Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>(this.children.size() * 2);
			this.children.forEach((key, child) -> map.put((String) key, valueOf(child)));
			return map;
		}

		List<Object> toList() {
			List<Object> elements = new ArrayList<>(this.children.size());
			this.children.forEach((index, child) -> {
				if ((Integer) index != elements.size()) {
					throw new UnplaceableFieldException(fieldOf(child), "leaves a gap: the list has no element "
							+ elements.size() + " (list indexes must run from 0 without gaps)");
				}
				elements.add(valueOf(child));
			});
			return elements;
		}

		private static Object valueOf(Object child) {
			if (child instanceof Leaf leaf) {
				return leaf.value();
			}
			Branch branch = (Branch) child;
			return branch.list ? branch.toList() : branch.toMap();
		}

	}

}
