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

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.support.StreamEntry;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.support.GenericMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * Tests for {@link StreamEntryMessageConverter}.
 */
class StreamEntryMessageConverterTests {

	private static final String ID = "1700000000000-7";

	private static final String STREAM = "orders";

	private static final String ORDER_JSON = "{ \"id\" : \"o-1\", \"quantity\" : 3 }";

	private final StreamEntryMessageConverter converter = new StreamEntryMessageConverter(new JsonMapper());

	@Test
	void jsonPayloadToRecord() {
		StreamEntry entry = streamEntry("payload", ORDER_JSON, "tenant", "acme");
		assertThat(this.converter.convert(entry, Order.class, Order.class)).isEqualTo(new Order("o-1", 3));
	}

	@Test
	void jsonPayloadToJavaBean() {
		StreamEntry entry = streamEntry("payload", "{\"number\":\"INV-9\",\"total\":12.5}");
		Object converted = this.converter.convert(entry, Invoice.class, Invoice.class);
		assertThat(converted).isInstanceOfSatisfying(Invoice.class, (invoice) -> {
			assertThat(invoice.getNumber()).isEqualTo("INV-9");
			assertThat(invoice.getTotal()).isEqualTo(12.5);
		});
	}

	@Test
	void jsonPayloadToListOfRecordsUsesTheGenericParameterType() {
		StreamEntry entry = streamEntry("payload", "[{\"id\":\"o-1\",\"quantity\":1},{\"id\":\"o-2\",\"quantity\":2}]");
		Object converted = this.converter.fromMessage(message(entry), List.class, parameter("orderList"));
		assertThat(converted).asInstanceOf(LIST).containsExactly(new Order("o-1", 1), new Order("o-2", 2));
	}

	@Test
	void jsonPayloadToMapOfObjects() {
		StreamEntry entry = streamEntry("payload", "{\"id\":\"o-1\",\"quantity\":3,\"tags\":[\"a\",\"b\"]}", "tenant",
				"acme");
		Object converted = this.converter.fromMessage(message(entry), Map.class, parameter("objectMap"));
		assertThat(converted).asInstanceOf(MAP)
			.containsOnly(entry("id", "o-1"), entry("quantity", 3), entry("tags", List.of("a", "b")));
	}

	@Test
	void jsonPayloadToTypeWithoutConversionHintUsesTheTargetClass() {
		StreamEntry entry = streamEntry("payload", ORDER_JSON);
		assertThat(this.converter.fromMessage(message(entry), Order.class)).isEqualTo(new Order("o-1", 3));
	}

	@Test
	void flatFieldsToRecord() {
		StreamEntry entry = streamEntry("user_id", "123", "event", "login");
		assertThat(this.converter.convert(entry, UserEvent.class, UserEvent.class))
			.isEqualTo(new UserEvent(123, "login"));
	}

	@Test
	void flatFieldsToJavaBean() {
		StreamEntry entry = streamEntry("userId", "42", "email", "jane@example.com");
		Object converted = this.converter.fromMessage(message(entry), Signup.class, parameter("signup"));
		assertThat(converted).isInstanceOfSatisfying(Signup.class, (signup) -> {
			assertThat(signup.getUserId()).isEqualTo(42L);
			assertThat(signup.getEmail()).isEqualTo("jane@example.com");
		});
	}

	@Test
	void flatFieldsToMapOfObjects() {
		StreamEntry entry = streamEntry("user_id", "123", "event", "login");
		Object converted = this.converter.fromMessage(message(entry), Map.class, parameter("objectMap"));
		assertThat(converted).asInstanceOf(MAP).containsOnly(entry("user_id", "123"), entry("event", "login"));
	}

	@Test
	void nestedFlatFieldsToRecordWithObjectsListsAndMaps() {
		StreamEntry entry = streamEntry("_class", "com.example.Person", "firstname", "Jon", "address.city",
				"Castle Black", "address.geo.lat", "55.0", "nicknames.[0]", "Lord Snow", "nicknames.[1]", "King",
				"items.[0].sku", "a", "items.[0].qty", "1", "items.[1].sku", "b", "items.[1].qty", "2",
				"attributes.[color]", "black");
		assertThat(this.converter.convert(entry, Person.class, Person.class))
			.isEqualTo(new Person("Jon", new Address("Castle Black", new Geo(55.0)), List.of("Lord Snow", "King"),
					List.of(new Item("a", 1), new Item("b", 2)), Map.of("color", "black")));
	}

	@Test
	void nestedFlatFieldsOfTheReadmeExample() {
		StreamEntry entry = streamEntry("_class", "com.example.Person", "firstname", "Jon", "address.city",
				"Castle Black", "address.country", "North", "nicknames.[0]", "Lord Snow", "nicknames.[1]", "King",
				"items.[0].sku", "sword", "items.[0].quantity", "1", "attributes.[color]", "black");
		assertThat(this.converter.convert(entry, ReadmePerson.class, ReadmePerson.class))
			.isEqualTo(new ReadmePerson("Jon", new ReadmeAddress("Castle Black", "North"), List.of("Lord Snow", "King"),
					List.of(new ReadmeItem("sword", 1)), Map.of("color", "black")));
	}

	@Test
	void nestedFlatFieldsToMapOfObjects() {
		StreamEntry entry = streamEntry("_class", "com.example.Person", "address.city", "Oldtown", "tags[0]", "x");
		Object converted = this.converter.fromMessage(message(entry), Map.class, parameter("objectMap"));
		assertThat(converted).isEqualTo(Map.of("address", Map.of("city", "Oldtown"), "tags", List.of("x")));
	}

	@Test
	void typeHintOfAFlatEntryWithoutPathsIsLeftOut() {
		StreamEntry entry = streamEntry("_class", "com.example.UserEvent", "user_id", "123");
		Object converted = this.converter.fromMessage(message(entry), Map.class, parameter("objectMap"));
		assertThat(converted).isEqualTo(Map.of("user_id", "123"));
	}

	@Test
	void unplaceableFlatFieldsFailNamingEntryStreamFieldAndTargetType() {
		StreamEntry entry = streamEntry("firstname", "Jon", "address.[0]", "x", "address.city", "Oldtown");
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> this.converter.convert(entry, Person.class, Person.class))
			.withMessage("Cannot convert the flat fields [firstname, address.[0], address.city] of entry " + ID
					+ " of stream '" + STREAM + "' to " + Person.class.getTypeName()
					+ ": field 'address.city' conflicts with field 'address.[0]': list indexes and names cannot be "
					+ "mixed at one level")
			.withCauseInstanceOf(FlatFields.UnplaceableFieldException.class);
	}

	@Test
	void rawTargetsGetPathFieldsVerbatim() {
		StreamEntry entry = streamEntry("_class", "P", "address.city", "Oldtown", "a", "1", "a.b", "2");
		assertThat(this.converter.fromMessage(message(entry), Map.class, parameter("stringMap"))).asInstanceOf(MAP)
			.containsExactly(entry("_class", "P"), entry("address.city", "Oldtown"), entry("a", "1"),
					entry("a.b", "2"));
		assertThat(this.converter.convert(entry, String.class, String.class))
			.isEqualTo("{\"_class\":\"P\",\"address.city\":\"Oldtown\",\"a\":\"1\",\"a.b\":\"2\"}");
		assertThat(this.converter.convert(entry, StreamEntry.class, StreamEntry.class)).isSameAs(entry);
	}

	@Test
	void stringGetsTheRawPayloadVerbatim() {
		StreamEntry entry = streamEntry("payload", ORDER_JSON, "tenant", "acme");
		assertThat(this.converter.convert(entry, String.class, String.class)).isEqualTo(ORDER_JSON);
	}

	@Test
	void stringOfAFlatEntryIsItsFieldsAsJsonObject() {
		StreamEntry entry = streamEntry("user_id", "123", "event", "login");
		assertThat(this.converter.convert(entry, String.class, String.class))
			.isEqualTo("{\"user_id\":\"123\",\"event\":\"login\"}");
	}

	@Test
	void byteArrayGetsTheRawPayloadBytes() {
		byte[] payload = "not even JSON \u00e9".getBytes(StandardCharsets.UTF_8);
		LinkedHashMap<String, byte[]> fields = new LinkedHashMap<>();
		fields.put("payload", payload);
		StreamEntry entry = new StreamEntry(ID, STREAM, fields);
		assertThat(this.converter.convert(entry, byte[].class, byte[].class)).isEqualTo(payload);
	}

	@Test
	void byteArrayOfAFlatEntryIsItsFieldsAsJsonObject() {
		StreamEntry entry = streamEntry("user_id", "123", "event", "login");
		assertThat(this.converter.convert(entry, byte[].class, byte[].class))
			.isEqualTo("{\"user_id\":\"123\",\"event\":\"login\"}".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void stringMapGetsEveryFieldVerbatim() {
		StreamEntry entry = streamEntry("payload", ORDER_JSON, "tenant", "acme");
		Object converted = this.converter.fromMessage(message(entry), Map.class, parameter("stringMap"));
		assertThat(converted).asInstanceOf(MAP).containsExactly(entry("payload", ORDER_JSON), entry("tenant", "acme"));
	}

	@Test
	void stringMapOfAFlatEntryGetsEveryField() {
		StreamEntry entry = streamEntry("user_id", "123", "event", "login");
		Object converted = this.converter.fromMessage(message(entry), Map.class, parameter("stringMap"));
		assertThat(converted).asInstanceOf(MAP).containsExactly(entry("user_id", "123"), entry("event", "login"));
	}

	@Test
	void streamEntryGetsTheEntryItself() {
		StreamEntry entry = streamEntry("payload", "{ this is not JSON");
		assertThat(this.converter.convert(entry, StreamEntry.class, StreamEntry.class)).isSameAs(entry);
	}

	@Test
	void messageWithoutStreamEntryPayloadIsNotConverted() {
		assertThat(this.converter.fromMessage(new GenericMessage<>("text"), String.class)).isNull();
	}

	@Test
	void unparseableJsonFailsNamingEntryStreamAndTargetType() {
		StreamEntry entry = streamEntry("payload", "{ this is not JSON");
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> this.converter.convert(entry, Order.class, Order.class))
			.withMessageContaining("JSON payload")
			.withMessageContaining("entry " + ID)
			.withMessageContaining("stream '" + STREAM + "'")
			.withMessageContaining(Order.class.getTypeName());
	}

	@Test
	void unparseableJsonThroughFromMessageFailsWithConversionException() {
		StreamEntry entry = streamEntry("payload", "[1, 2");
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> this.converter.fromMessage(message(entry), List.class, parameter("orderList")))
			.withMessageContaining("entry " + ID)
			.withMessageContaining("stream '" + STREAM + "'")
			.withMessageContaining("java.util.List<" + Order.class.getTypeName() + ">");
	}

	@Test
	void unmappableFlatFieldsFailNamingEntryStreamFieldsAndTargetType() {
		StreamEntry entry = streamEntry("user_id", "abc", "event", "login");
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> this.converter.convert(entry, UserEvent.class, UserEvent.class))
			.withMessageContaining("flat fields [user_id, event]")
			.withMessageContaining("entry " + ID)
			.withMessageContaining("stream '" + STREAM + "'")
			.withMessageContaining(UserEvent.class.getTypeName());
	}

	@Test
	void nullJsonPayloadFailsNamingEntryStreamAndTargetType() {
		StreamEntry entry = streamEntry("payload", "null");
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> this.converter.convert(entry, Order.class, Order.class))
			.withMessageContaining("null payload")
			.withMessageContaining("Entry " + ID)
			.withMessageContaining("stream '" + STREAM + "'")
			.withMessageContaining(Order.class.getTypeName());
	}

	@Test
	void toMessageIsNotSupported() {
		assertThat(this.converter.toMessage(new Order("o-1", 1), null)).isNull();
	}

	private static StreamEntry streamEntry(String... namesAndValues) {
		assertThat(namesAndValues.length % 2).isZero();
		LinkedHashMap<String, byte[]> fields = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			fields.put(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
		}
		return new StreamEntry(ID, STREAM, fields);
	}

	private static Message<StreamEntry> message(StreamEntry entry) {
		return new GenericMessage<>(entry);
	}

	private static MethodParameter parameter(String methodName) {
		Method method = Arrays.stream(Listeners.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(methodName))
			.findFirst()
			.orElseThrow();
		return new MethodParameter(method, 0);
	}

	record Order(String id, int quantity) {

	}

	record UserEvent(long user_id, String event) {

	}

	record ReadmeAddress(String city, String country) {

	}

	record ReadmeItem(String sku, int quantity) {

	}

	record ReadmePerson(String firstname, ReadmeAddress address, List<String> nicknames, List<ReadmeItem> items,
			Map<String, String> attributes) {

	}

	record Geo(double lat) {

	}

	record Address(String city, Geo geo) {

	}

	record Item(String sku, int qty) {

	}

	record Person(String firstname, Address address, List<String> nicknames, List<Item> items,
			Map<String, String> attributes) {

	}

	static class Invoice {

		private String number;

		private double total;

		String getNumber() {
			return this.number;
		}

		public void setNumber(String number) {
			this.number = number;
		}

		double getTotal() {
			return this.total;
		}

		public void setTotal(double total) {
			this.total = total;
		}

	}

	static class Signup {

		private long userId;

		private String email;

		long getUserId() {
			return this.userId;
		}

		public void setUserId(long userId) {
			this.userId = userId;
		}

		String getEmail() {
			return this.email;
		}

		public void setEmail(String email) {
			this.email = email;
		}

	}

	@SuppressWarnings("unused")
	static class Listeners {

		void orderList(List<Order> orders) {
		}

		void objectMap(Map<String, Object> body) {
		}

		void stringMap(Map<String, String> fields) {
		}

		void signup(Signup signup) {
		}

	}

}
