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

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import io.github.redisstreams.support.StreamEntry;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.util.Assert;

/**
 * Converts a {@link StreamEntry} payload to the type a listener method asks for.
 * <ul>
 * <li>{@code StreamEntry}: the entry itself;</li>
 * <li>{@code Map<String, String>}: every field of the entry, verbatim;</li>
 * <li>{@code String} and {@code byte[]}: the raw {@code payload} field, or for a flat
 * entry its fields rendered as a JSON object;</li>
 * <li>any other type: the JSON of the {@code payload} field read with the application's
 * {@link JsonMapper}, or for a flat entry its fields mapped onto the type by name. Field
 * names that are paths, as Spring Data Redis's hash mappers write them, fill nested
 * objects, lists and maps: {@code address.city}, {@code nicknames.[0]} or
 * {@code nicknames[0]}, {@code attributes.[color]}, at any depth; their type hints
 * {@code _class} and {@code @class} are left out. Field names without {@code .} or
 * {@code [} are mapped as they are.</li>
 * </ul>
 * Conversion failures are {@link MessageConversionException}s that name the entry, its
 * stream and the target type; for fields that cannot be placed (both {@code a} and
 * {@code a.b}, names and indexes at one level, a list with a gap) also the field. Only
 * converts from messages: {@code toMessage} returns {@code null}. Thread-safe, as the
 * {@link JsonMapper} is.
 *
 * @since 0.1.0
 */
public class StreamEntryMessageConverter implements SmartMessageConverter {

	private final JsonMapper jsonMapper;

	/** A reader per target type: built once, immutable, shared by every consumer. */
	private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();

	/**
	 * Create a converter.
	 * @param jsonMapper the mapper that reads payloads
	 * @throws IllegalArgumentException if {@code jsonMapper} is {@code null}
	 */
	public StreamEntryMessageConverter(JsonMapper jsonMapper) {
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		this.jsonMapper = jsonMapper;
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass) {
		return fromMessage(message, targetClass, null);
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass, @Nullable Object conversionHint) {
		if (!(message.getPayload() instanceof StreamEntry entry)) {
			return null;
		}
		return convert(entry, targetClass, targetType(targetClass, conversionHint));
	}

	static Type targetType(Class<?> targetClass, @Nullable Object conversionHint) {
		if (!(conversionHint instanceof MethodParameter parameter)) {
			return targetClass;
		}
		ResolvableType type = ResolvableType.forType(parameter.getNestedGenericParameterType());
		if (Message.class.isAssignableFrom(type.toClass())) {
			type = type.as(Message.class).getGeneric(0);
		}
		return (type.toClass() == targetClass) ? type.getType() : targetClass;
	}

	/**
	 * Convert an entry to the given type.
	 * @param entry the entry
	 * @param targetClass the raw target class
	 * @param targetType the full generic target type
	 * @return the converted value
	 * @throws MessageConversionException if the entry cannot be converted, its JSON
	 * payload is {@code null}, or a field of a flat entry cannot be placed in the
	 * target's structure
	 */
	public Object convert(StreamEntry entry, Class<?> targetClass, Type targetType) {
		if (targetClass == StreamEntry.class) {
			return entry;
		}
		if (isStringMap(targetClass, targetType)) {
			return entry.getFieldsAsStrings();
		}
		try {
			byte[] payload = entry.getPayload();
			if (targetClass == byte[].class) {
				return (payload != null) ? payload : this.jsonMapper.writeValueAsBytes(entry.getFieldsAsStrings());
			}
			if (targetClass == String.class) {
				return (payload != null) ? new String(payload, StandardCharsets.UTF_8)
						: this.jsonMapper.writeValueAsString(entry.getFieldsAsStrings());
			}
			ObjectReader reader = this.readers.computeIfAbsent(targetType,
					(type) -> this.jsonMapper.readerFor(this.jsonMapper.getTypeFactory().constructType(type)));
			Object value = (payload != null) ? reader.readValue(payload) : this.jsonMapper
				.convertValue(FlatFields.toValue(entry.getFieldsAsStrings()), reader.getValueType());
			if (value == null) {
				throw new MessageConversionException("Entry " + entry.getId() + " of stream '" + entry.getStream()
						+ "' has a null payload, which cannot be passed as " + targetType.getTypeName());
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new MessageConversionException(cannotConvert(entry, targetType) + ex.getOriginalMessage(), ex);
		}
		catch (FlatFields.UnplaceableFieldException ex) {
			throw new MessageConversionException(cannotConvert(entry, targetType) + ex.getMessage(), ex);
		}
	}

	private static String cannotConvert(StreamEntry entry, Type targetType) {
		String shape = (entry.getPayload() != null) ? "JSON payload"
				: "flat fields " + entry.getFieldsAsStrings().keySet();
		return "Cannot convert the " + shape + " of entry " + entry.getId() + " of stream '" + entry.getStream()
				+ "' to " + targetType.getTypeName() + ": ";
	}

	static boolean isStringMap(Class<?> targetClass, Type targetType) {
		if (!Map.class.isAssignableFrom(targetClass) || !targetClass.isAssignableFrom(Map.class)) {
			return false;
		}
		ResolvableType map = ResolvableType.forType(targetType).asMap();
		return map.getGeneric(0).resolve() == String.class && map.getGeneric(1).resolve() == String.class;
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
		return null;
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers,
			@Nullable Object conversionHint) {
		return null;
	}

}
