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

package io.github.redisstreams.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.deadletter.DeadLetterDestinationResolver;
import io.github.redisstreams.deadletter.DeadLetterHeaders;
import io.github.redisstreams.deadletter.DeadLetterReason;
import io.github.redisstreams.deadletter.DeadLetterStreams;
import io.github.redisstreams.listener.StreamListenerContainer;
import io.github.redisstreams.support.RedisRefusal;
import io.github.redisstreams.support.StreamEntry;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * {@link Endpoint @Endpoint} for the dead-letter streams of the {@code @RedisListener}
 * streams: lists them, pages through their dead letters newest first, redrives dead
 * letters to their stream and purges them.
 * <p>
 * A stream is selected by its name ({@code orders}) or by the key of its dead-letter
 * stream (named by the {@code DeadLetterDestinationResolver}, {@code {orders}:dlq} by
 * default); only streams that a listener consumes are known. The values of the fields of
 * a dead letter (its payload and headers) are shown according to the {@link Show}
 * setting, like the values of Spring Boot's {@code env} endpoint, and pass through the
 * application's {@link SanitizingFunction sanitizing functions} when shown. Redriving and
 * purging are write operations, refused unless write access is granted
 * ({@code management.endpoint.deadletters.access=unrestricted}).
 * <p>
 * The {@link DeadLetterHeaders#RESERVED reserved fields} are the starter's own: they are
 * not listed among a dead letter's {@code fields} and are not copied when it is redriven;
 * every other field, {@code x-} headers of the producer included, is. The operations map
 * onto {@link DeadLetterStreams}. Thread-safe.
 *
 * @since 0.1.0
 */
@Endpoint(id = "deadletters", defaultAccess = Access.READ_ONLY)
public class DeadLettersEndpoint {

	/**
	 * Number of dead letters per page when the request does not say.
	 */
	public static final int DEFAULT_PAGE_SIZE = 20;

	/**
	 * Maximum number of dead letters per page, and per redrive or purge request.
	 */
	public static final int MAX_PAGE_SIZE = 1000;

	/**
	 * Field that a redriven entry gets: the id of the dead letter it was made from.
	 */
	public static final String REDRIVEN_FROM = DeadLetterHeaders.REDRIVEN_FROM;

	private static final Pattern ENTRY_ID = Pattern.compile("\\d+-\\d+");

	private final RedisStreamListenerRegistry registry;

	private final DeadLetterStreams deadLetterStreams;

	private final DeadLetterDestinationResolver destinationResolver;

	private final Sanitizer sanitizer;

	private final Show showValues;

	private final Set<String> roles;

	/**
	 * Create an endpoint.
	 * @param registry the registry of the listeners, whose streams are the known ones
	 * @param connectionFactory the connection factory
	 * @param sanitizingFunctions the functions applied to the values that are shown
	 * @param showValues when to show the values of the payload and headers
	 * @param roles the roles that authorize a user to see values with
	 * {@link Show#WHEN_AUTHORIZED}; empty for every authenticated user
	 * @throws IllegalArgumentException if an argument is {@code null}
	 */
	public DeadLettersEndpoint(RedisStreamListenerRegistry registry, RedisConnectionFactory connectionFactory,
			Iterable<SanitizingFunction> sanitizingFunctions, Show showValues, Set<String> roles) {
		this(registry, connectionFactory, DeadLetterDestinationResolver.DEFAULT, sanitizingFunctions, showValues,
				roles);
	}

	/**
	 * Create an endpoint.
	 * @param registry the registry of the listeners, whose streams are the known ones
	 * @param connectionFactory the connection factory
	 * @param destinationResolver names the dead-letter stream of each stream
	 * @param sanitizingFunctions the functions applied to the values that are shown
	 * @param showValues when to show the values of the payload and headers
	 * @param roles the roles that authorize a user to see values with
	 * {@link Show#WHEN_AUTHORIZED}; empty for every authenticated user
	 * @throws IllegalArgumentException if an argument is {@code null}
	 */
	public DeadLettersEndpoint(RedisStreamListenerRegistry registry, RedisConnectionFactory connectionFactory,
			DeadLetterDestinationResolver destinationResolver, Iterable<SanitizingFunction> sanitizingFunctions,
			Show showValues, Set<String> roles) {
		this(registry, new DeadLetterStreams(connectionFactory, destinationResolver), destinationResolver,
				sanitizingFunctions, showValues, roles);
	}

	/**
	 * Create an endpoint over a {@link DeadLetterStreams} service.
	 * @param registry the registry of the listeners, whose streams are the known ones
	 * @param deadLetterStreams the dead-letter operations
	 * @param destinationResolver names the dead-letter stream of each stream, the one the
	 * service uses
	 * @param sanitizingFunctions the functions applied to the values that are shown
	 * @param showValues when to show the values of the payload and headers
	 * @param roles the roles that authorize a user to see values with
	 * {@link Show#WHEN_AUTHORIZED}; empty for every authenticated user
	 * @throws IllegalArgumentException if an argument is {@code null}
	 * @since 0.2.0
	 */
	public DeadLettersEndpoint(RedisStreamListenerRegistry registry, DeadLetterStreams deadLetterStreams,
			DeadLetterDestinationResolver destinationResolver, Iterable<SanitizingFunction> sanitizingFunctions,
			Show showValues, Set<String> roles) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(deadLetterStreams, "'deadLetterStreams' must not be null");
		Assert.notNull(destinationResolver, "'destinationResolver' must not be null");
		Assert.notNull(sanitizingFunctions, "'sanitizingFunctions' must not be null");
		Assert.notNull(showValues, "'showValues' must not be null");
		Assert.notNull(roles, "'roles' must not be null");
		this.registry = registry;
		this.deadLetterStreams = deadLetterStreams;
		this.destinationResolver = destinationResolver;
		this.sanitizer = new Sanitizer(sanitizingFunctions);
		this.showValues = showValues;
		this.roles = Set.copyOf(roles);
	}

	/**
	 * Return the dead-letter stream of every stream a listener consumes, with its size
	 * ({@code XLEN}). A stream whose size cannot be read reports the {@code error}.
	 * @return the dead-letter streams
	 */
	@ReadOperation
	public DeadLetterStreamsDescriptor deadLetterStreams() {
		List<DeadLetterStreamDescriptor> descriptors = new ArrayList<>();
		String unavailable = null;
		for (String stream : streams()) {
			String deadLetterStream = this.destinationResolver.resolve(stream);
			if (unavailable != null) {
				descriptors.add(new DeadLetterStreamDescriptor(stream, deadLetterStream, null, unavailable));
				continue;
			}
			try {
				descriptors.add(new DeadLetterStreamDescriptor(stream, deadLetterStream,
						this.deadLetterStreams.size(stream), null));
			}
			catch (RuntimeException ex) {
				String error = RedisRefusal.describe(ex);
				if (ex instanceof DataAccessResourceFailureException || ex instanceof QueryTimeoutException) {
					unavailable = error;
				}
				descriptors.add(new DeadLetterStreamDescriptor(stream, deadLetterStream, null, error));
			}
		}
		return new DeadLetterStreamsDescriptor(descriptors);
	}

	/**
	 * Return a page of the dead letters of a stream, newest first ({@code XREVRANGE}, and
	 * {@code XLEN} for the size).
	 * @param stream the stream, or the key of its dead-letter stream
	 * @param count the maximum number of dead letters to return, from 1 to
	 * {@value #MAX_PAGE_SIZE}; {@value #DEFAULT_PAGE_SIZE} if {@code null}
	 * @param before return only dead letters older than the one with this id (exclusive),
	 * typically the {@code next} of the previous page; {@code null} to start with the
	 * newest
	 * @param securityContext the security context, which decides whether values are shown
	 * @return the page, or {@code null} if no listener consumes the stream
	 * @throws InvalidEndpointRequestException if the count or the id is invalid
	 * @throws org.springframework.dao.DataAccessException if Redis fails
	 */
	@ReadOperation
	public @Nullable DeadLetterPageDescriptor deadLetters(@Selector String stream, @Nullable Integer count,
			@Nullable String before, SecurityContext securityContext) {
		String source = resolve(stream);
		if (source == null) {
			return null;
		}
		int limit = count(count, DEFAULT_PAGE_SIZE);
		if (before != null && !ENTRY_ID.matcher(before).matches()) {
			throw new InvalidEndpointRequestException(
					"Invalid entry id '" + before + "' in 'before'; ids have the form <milliseconds>-<sequence>",
					"Invalid entry id");
		}
		boolean showUnsanitized = this.showValues.isShown(securityContext, this.roles);
		DeadLetterStreams.Page page = this.deadLetterStreams.page(source, limit, before);
		List<DeadLetterDescriptor> deadLetters = new ArrayList<>();
		for (StreamEntry deadLetter : page.deadLetters()) {
			deadLetters.add(describe(deadLetter, showUnsanitized));
		}
		return new DeadLetterPageDescriptor(source, page.deadLetterStream(), page.size(), deadLetters, page.next());
	}

	/**
	 * Redrive dead letters with {@link DeadLetterStreams}: add each one's original fields
	 * (its payload and headers, without the {@link DeadLetterHeaders#RESERVED reserved
	 * fields}) as a new entry to its stream, with {@value #REDRIVEN_FROM} set to the dead
	 * letter's id, and delete the dead letter, atomically, so that a dead letter is
	 * deleted only once its new entry was added and a repeated request finds it gone. The
	 * new entry is delivered as a new message, with a new delivery count. Dead letters
	 * whose payload was lost are skipped.
	 * @param stream the stream, or the key of its dead-letter stream
	 * @param ids the ids of the dead letters to redrive (given as a JSON string with
	 * comma-separated ids, or a query parameter); {@code null} to redrive by count
	 * @param count how many of the oldest dead letters to redrive, at most
	 * {@value #MAX_PAGE_SIZE}; {@code null} to redrive by ids
	 * @return what was redriven and what was not
	 * @throws InvalidEndpointRequestException if no listener consumes the stream, if
	 * neither or both of ids and count are given, or if they are invalid (more than
	 * {@value #MAX_PAGE_SIZE} ids, a count outside 1 to {@value #MAX_PAGE_SIZE}, or an id
	 * not of the form {@code <milliseconds>-<sequence>})
	 * @throws org.springframework.dao.DataAccessException if Redis fails; the dead
	 * letters redriven before the failure stay redriven
	 */
	@WriteOperation
	public RedriveDescriptor redrive(@Selector String stream, @Nullable List<String> ids, @Nullable Integer count) {
		String source = requireKnown(stream);
		String deadLetterStream = this.destinationResolver.resolve(source);
		if ((ids == null) == (count == null)) {
			throw new InvalidEndpointRequestException("Give either 'ids' or 'count' of the dead letters to redrive",
					"Missing ids or count");
		}
		DeadLetterStreams.RedriveResult result = (ids != null) ? this.deadLetterStreams.redrive(source, validIds(ids))
				: this.deadLetterStreams.redriveOldest(source, count(count, 0));
		List<RedrivenDescriptor> redriven = result.redriven()
			.stream()
			.map((item) -> new RedrivenDescriptor(item.deadLetterId(), item.id()))
			.toList();
		List<SkippedDescriptor> skipped = result.skipped()
			.stream()
			.map((item) -> new SkippedDescriptor(item.id(), item.reason()))
			.toList();
		return new RedriveDescriptor(source, deadLetterStream, redriven, skipped, result.notFound());
	}

	/**
	 * Delete dead letters of a stream: the given ones ({@code XDEL}), or all of them (the
	 * dead-letter stream is deleted with {@code DEL}).
	 * @param stream the stream, or the key of its dead-letter stream
	 * @param ids the ids of the dead letters to delete (a query parameter with
	 * comma-separated ids); {@code null} to delete the whole dead-letter stream
	 * @return how many dead letters were deleted
	 * @throws InvalidEndpointRequestException if no listener consumes the stream, an id
	 * is invalid, or more than {@value #MAX_PAGE_SIZE} ids are given
	 * @throws org.springframework.dao.DataAccessException if Redis fails
	 */
	@DeleteOperation
	public PurgeDescriptor purge(@Selector String stream, @Nullable List<String> ids) {
		String source = requireKnown(stream);
		String deadLetterStream = this.destinationResolver.resolve(source);
		long removed = (ids != null) ? this.deadLetterStreams.purge(source, validIds(ids))
				: this.deadLetterStreams.purgeAll(source);
		return new PurgeDescriptor(source, deadLetterStream, removed);
	}

	private DeadLetterDescriptor describe(StreamEntry deadLetter, boolean showUnsanitized) {
		Map<String, String> raw = deadLetter.getFieldsAsStrings();
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		raw.forEach((name, value) -> {
			if (!DeadLetterHeaders.isReserved(name)) {
				fields.put(name, this.sanitizer.sanitize(new SanitizableData(null, name, value), showUnsanitized));
			}
		});
		// an exception message may quote the payload: it is shown under the same rule
		String exceptionMessage = raw.get(DeadLetterHeaders.EXCEPTION_MESSAGE);
		Object shownMessage = (exceptionMessage != null) ? this.sanitizer
			.sanitize(new SanitizableData(null, DeadLetterHeaders.EXCEPTION_MESSAGE, exceptionMessage), showUnsanitized)
				: null;
		return new DeadLetterDescriptor(deadLetter.getId(), raw.get(DeadLetterHeaders.ORIGINAL_ID),
				raw.get(DeadLetterHeaders.REASON), raw.get(DeadLetterHeaders.EXCEPTION_CLASS),
				(shownMessage != null) ? shownMessage.toString() : null,
				deliveryCount(raw.get(DeadLetterHeaders.DELIVERY_COUNT)), raw.get(DeadLetterHeaders.FAILED_AT),
				raw.get(DeadLetterHeaders.GROUP), raw.get(DeadLetterHeaders.CONSUMER), fields);
	}

	private static @Nullable Long deliveryCount(@Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return Long.valueOf(value);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static List<String> validIds(List<String> ids) {
		Set<String> valid = new LinkedHashSet<>();
		for (String id : ids) {
			String trimmed = id.trim();
			if (!ENTRY_ID.matcher(trimmed).matches()) {
				throw new InvalidEndpointRequestException(
						"Invalid entry id '" + id + "'; ids have the form <milliseconds>-<sequence>",
						"Invalid entry id");
			}
			valid.add(trimmed);
		}
		if (valid.size() > MAX_PAGE_SIZE) {
			throw new InvalidEndpointRequestException("At most " + MAX_PAGE_SIZE + " ids per request", "Too many ids");
		}
		return List.copyOf(valid);
	}

	private static int count(@Nullable Integer count, int defaultCount) {
		if (count == null) {
			return defaultCount;
		}
		if (count < 1 || count > MAX_PAGE_SIZE) {
			throw new InvalidEndpointRequestException(
					"Invalid count " + count + "; it must be between 1 and " + MAX_PAGE_SIZE, "Invalid count");
		}
		return count;
	}

	private String requireKnown(String stream) {
		String source = resolve(stream);
		if (source == null) {
			throw new InvalidEndpointRequestException(unknownStream(stream), "Unknown stream");
		}
		return source;
	}

	/**
	 * Return the message for a stream no listener consumes.
	 * @param stream the stream, or the key of a dead-letter stream, as requested
	 * @return the message, naming the known streams
	 */
	String unknownStream(String stream) {
		return "No listener consumes stream '" + stream + "'; known streams: " + streams();
	}

	private @Nullable String resolve(String selector) {
		for (String stream : streams()) {
			if (stream.equals(selector) || this.destinationResolver.resolve(stream).equals(selector)) {
				return stream;
			}
		}
		return null;
	}

	private Set<String> streams() {
		Set<String> streams = new TreeSet<>();
		for (StreamListenerContainer listener : this.registry.getListenerContainers()) {
			for (StreamListenerContainer container : listener.getStreamContainers()) {
				streams.add(container.getStream());
			}
		}
		return streams;
	}

	/**
	 * The dead-letter streams of the streams that listeners consume.
	 *
	 * @param deadLetterStreams one per stream, sorted by stream
	 * @since 0.1.0
	 */
	public record DeadLetterStreamsDescriptor(
			List<DeadLetterStreamDescriptor> deadLetterStreams) implements OperationResponseBody {

	}

	/**
	 * A dead-letter stream.
	 *
	 * @param stream the stream whose dead letters it holds
	 * @param deadLetterStream its key
	 * @param size the number of dead letters, or {@code null} if Redis could not be asked
	 * @param error why Redis could not be asked, or {@code null}
	 * @since 0.1.0
	 */
	public record DeadLetterStreamDescriptor(String stream, String deadLetterStream, @Nullable Long size,
			@Nullable String error) {

	}

	/**
	 * A page of dead letters, newest first.
	 *
	 * @param stream the stream whose dead letters they are
	 * @param deadLetterStream the key of the dead-letter stream
	 * @param size the number of dead letters in the dead-letter stream
	 * @param deadLetters the dead letters of this page, newest first
	 * @param next the id to pass as {@code before} for the next page, or {@code null} if
	 * this page is the last one
	 * @since 0.1.0
	 */
	public record DeadLetterPageDescriptor(String stream, String deadLetterStream, long size,
			List<DeadLetterDescriptor> deadLetters, @Nullable String next) implements OperationResponseBody {

	}

	/**
	 * A dead letter.
	 *
	 * @param id its id in the dead-letter stream
	 * @param originalId the id of the original entry
	 * @param reason why it was dead-lettered, a {@link DeadLetterReason#getValue() reason
	 * value}
	 * @param exceptionClass the class of the last exception, if any
	 * @param exceptionMessage the message of the last exception, if any
	 * @param deliveryCount how often Redis delivered the original
	 * @param failedAt when it was dead-lettered, as ISO-8601 instant
	 * @param group the consumer group that gave up
	 * @param consumer the consumer that gave up
	 * @param fields the original fields (payload and headers) without the reserved
	 * fields; of a repeated name the last value; values are hidden unless values are
	 * shown
	 * @since 0.1.0
	 */
	public record DeadLetterDescriptor(String id, @Nullable String originalId, @Nullable String reason,
			@Nullable String exceptionClass, @Nullable String exceptionMessage, @Nullable Long deliveryCount,
			@Nullable String failedAt, @Nullable String group, @Nullable String consumer,
			Map<String, @Nullable Object> fields) {

	}

	/**
	 * The outcome of a redrive.
	 *
	 * @param stream the stream the dead letters went back to
	 * @param deadLetterStream the key of the dead-letter stream
	 * @param redriven the dead letters redriven, with the ids of their new entries
	 * @param skipped the dead letters left in place, with why
	 * @param notFound the requested ids that are not (or no longer) in the dead-letter
	 * stream
	 * @since 0.1.0
	 */
	public record RedriveDescriptor(String stream, String deadLetterStream, List<RedrivenDescriptor> redriven,
			List<SkippedDescriptor> skipped, List<String> notFound) implements OperationResponseBody {

	}

	/**
	 * A redriven dead letter.
	 *
	 * @param deadLetterId the id the dead letter had
	 * @param id the id of the new entry in the stream
	 * @since 0.1.0
	 */
	public record RedrivenDescriptor(String deadLetterId, String id) {

	}

	/**
	 * A dead letter that was not redriven.
	 *
	 * @param id its id
	 * @param reason why: {@code payload-lost} (nothing left to redrive) or
	 * {@code no-fields} (no original fields)
	 * @since 0.1.0
	 */
	public record SkippedDescriptor(String id, String reason) {

	}

	/**
	 * The outcome of a purge.
	 *
	 * @param stream the stream whose dead letters were deleted
	 * @param deadLetterStream the key of the dead-letter stream
	 * @param removed how many dead letters were deleted
	 * @since 0.1.0
	 */
	public record PurgeDescriptor(String stream, String deadLetterStream,
			long removed) implements OperationResponseBody {

	}

}
