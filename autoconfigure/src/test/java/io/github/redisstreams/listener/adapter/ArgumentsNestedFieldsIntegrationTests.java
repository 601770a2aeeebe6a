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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.redisstreams.annotation.RedisListener;
import io.github.redisstreams.test.RedisServerExtension;
import io.github.redisstreams.testsupport.StreamTestClient;
import io.github.redisstreams.testsupport.StreamsContextRunner;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.hash.JacksonHashMapper;
import org.springframework.data.redis.hash.ObjectHashMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flat entries whose field names are paths ({@code address.city}, {@code nicknames.[0]}),
 * as Spring Data Redis's hash mappers write them, reach nested objects, lists and maps
 * (GitHub issue 11).
 */
class ArgumentsNestedFieldsIntegrationTests {

	private static final long TIMEOUT_SECONDS = 30;

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	@RegisterExtension
	final StreamTestClient client = new StreamTestClient(redis);

	private ApplicationContextRunner runner(Class<?>... configurations) {
		return StreamsContextRunner.create(redis)
			.withUserConfiguration(configurations)
			.withPropertyValues("redis.streams.retry.delay=50ms");
	}

	@Test
	void dottedFieldsWrittenLikeSpringDataRedisReachANestedRecord() {
		runner(People.class).run((context) -> {
			People listener = context.getBean(People.class);
			this.client.sync()
				.xadd("people", "_class", "com.example.Person", "firstname", "Jon", "lastname", "Snow", "address.city",
						"Castle Black", "address.country", "North");
			Person person = listener.people.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(person).isEqualTo(new Person("Jon", "Snow", new Address("Castle Black", "North")));
		});
	}

	@Test
	void fieldsThatCannotBePlacedAreDeadLetteredAsConversionFailed() {
		runner(People.class).run((context) -> {
			People listener = context.getBean(People.class);
			String id = this.client.sync()
				.xadd("people", "firstname", "Jon", "firstname.initial", "J", "lastname", "Snow");
			await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
				.until(() -> this.client.sync().xlen("{people}:dlq") == 1);
			List<StreamMessage<String, String>> deadLetters = this.client.sync()
				.xrange("{people}:dlq", Range.create("-", "+"));
			assertThat(deadLetters).singleElement().satisfies((deadLetter) -> {
				Map<String, String> body = deadLetter.getBody();
				assertThat(body).containsEntry("x-original-id", id)
					.containsEntry("x-reason", "conversion-failed")
					.containsEntry("x-delivery-count", "1")
					.containsEntry("firstname", "Jon")
					.containsEntry("firstname.initial", "J");
				assertThat(body.get("x-exception-message")).contains("entry " + id)
					.contains("stream 'people'")
					.contains("'firstname.initial'")
					.contains(Person.class.getTypeName());
			});
			await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
				.until(() -> this.client.pendingCount("people", "it-app") == 0);
			assertThat(listener.people).isEmpty();
		});
	}

	@Test
	void entryWrittenBySpringDataRedisObjectHashMapperReachesNestedObjectsListsAndMaps() {
		runner(Profiles.class).run((context) -> {
			Profiles listener = context.getBean(Profiles.class);
			Map<String, String> fields = new LinkedHashMap<>();
			ObjectHashMapper.getSharedInstance()
				.toHash(profile())
				.forEach((name, value) -> fields.put(utf8(name), utf8(value)));
			assertThat(fields).containsKeys("_class", "address.city", "nicknames.[0]", "items.[1].sku",
					"attributes.[color]", "places.[home].city");
			this.client.sync().xadd("profiles", fields);
			assertThat(listener.profiles.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(profile());
		});
	}

	@Test
	void entryWrittenBySpringDataRedisJacksonHashMapperReachesNestedObjectsListsAndMaps() {
		runner(Profiles.class).run((context) -> {
			Profiles listener = context.getBean(Profiles.class);
			Map<String, String> fields = new LinkedHashMap<>();
			JacksonHashMapper.flattening()
				.toHash(profile())
				.forEach((name, value) -> fields.put(name, String.valueOf(value)));
			assertThat(fields).containsKeys("@class", "address.city", "nicknames[0]", "items[1].sku", "items[1].@class",
					"attributes.color", "places.home.city");
			this.client.sync().xadd("profiles", fields);
			assertThat(listener.profiles.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(profile());
		});
	}

	private static Profile profile() {
		Map<String, String> attributes = new LinkedHashMap<>();
		attributes.put("color", "black");
		attributes.put("size", "L");
		Map<String, Address> places = new LinkedHashMap<>();
		places.put("home", new Address("Winterfell", "North"));
		places.put("work", new Address("Castle Black", "The Wall"));
		return new Profile("Jon", new Address("Castle Black", "North"), new ArrayList<>(List.of("Lord Snow", "King")),
				new ArrayList<>(List.of(new Item("sword", 1), new Item("cloak", 2))), attributes, places);
	}

	private static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	record Address(String city, String country) {
	}

	record Person(String firstname, String lastname, Address address) {
	}

	record Item(String sku, int quantity) {
	}

	record Profile(String name, Address address, List<String> nicknames, List<Item> items,
			Map<String, String> attributes, Map<String, Address> places) {
	}

	@Configuration(proxyBeanMethods = false)
	static class People {

		final BlockingQueue<Person> people = new LinkedBlockingQueue<>();

		@RedisListener(stream = "people")
		void onPerson(Person person) {
			this.people.add(person);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Profiles {

		final BlockingQueue<Profile> profiles = new LinkedBlockingQueue<>();

		@RedisListener(stream = "profiles")
		void onProfile(Profile profile) {
			this.profiles.add(profile);
		}

	}

}
