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
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The most messages a listener may handle per period, across all its consumers and all
 * instances, with the burst it may take at once: a token bucket of {@link #getBurst()}
 * permits refilled with {@link #getPermits()} per {@link #getPeriod()}, continuously (one
 * permit every {@code period / permits}). Written {@code "50/s"}, {@code "3000/m"} or
 * {@code "100000/h"}. Immutable and thread-safe.
 *
 * @since 0.5.0
 */
public final class RateLimit {

	private static final Pattern FORMAT = Pattern.compile("\\s*(\\d{1,12})\\s*/\\s*([smh])\\s*");

	private final long permits;

	private final Duration period;

	private final long burst;

	private RateLimit(long permits, Duration period, long burst) {
		this.permits = permits;
		this.period = period;
		this.burst = burst;
	}

	/**
	 * Parse a rate.
	 * @param text {@code <permits>/<unit>}, permits a positive integer, unit {@code s},
	 * {@code m} or {@code h}; spaces allowed
	 * @return the rate, with the default burst: one second's permits (at least 1)
	 * @throws IllegalArgumentException if the text is not such a rate
	 */
	public static RateLimit parse(String text) {
		Assert.notNull(text, "'text' must not be null");
		Matcher matcher = FORMAT.matcher(text.toLowerCase(Locale.ROOT));
		Assert.isTrue(matcher.matches() && Long.parseLong(matcher.group(1)) > 0,
				() -> "'" + text + "' is not a rate: expected <permits>/<unit> with a positive whole number of "
						+ "permits and a unit of s, m or h, such as 50/s or 3000/m");
		long permits = Long.parseLong(matcher.group(1));
		Duration period = switch (matcher.group(2)) {
			case "s" -> Duration.ofSeconds(1);
			case "m" -> Duration.ofMinutes(1);
			default -> Duration.ofHours(1);
		};
		// the bucket refills at most one permit per nanosecond
		Assert.isTrue(permits <= period.toNanos(), () -> "'" + text + "' is too high a rate: at most "
				+ period.toNanos() + " permits per " + matcher.group(2));
		long perSecond = (long) Math.ceil(permits / (double) period.toSeconds());
		return new RateLimit(permits, period, Math.max(1, Math.min(permits, perSecond)));
	}

	/**
	 * Return this rate with another burst.
	 * @param burst the most permits taken at once, at least 1
	 * @return a new rate limit
	 * @throws IllegalArgumentException if the burst is less than 1
	 */
	public RateLimit withBurst(long burst) {
		Assert.isTrue(burst >= 1, () -> "the burst must be at least 1, was " + burst);
		return new RateLimit(this.permits, this.period, burst);
	}

	/**
	 * Return the permits per period.
	 * @return at least 1
	 */
	public long getPermits() {
		return this.permits;
	}

	/**
	 * Return the period.
	 * @return one second, minute or hour
	 */
	public Duration getPeriod() {
		return this.period;
	}

	/**
	 * Return the most permits the bucket holds: what may be taken at once after a quiet
	 * time. Over any time {@code t} the listener handles at most
	 * {@code burst + t * permits / period} messages.
	 * @return at least 1
	 */
	public long getBurst() {
		return this.burst;
	}

	/**
	 * Return the rate and burst as a token for a key: {@code 50/s+50}.
	 * @return the token
	 */
	public String token() {
		return this.permits + "/" + unit() + "+" + this.burst;
	}

	private String unit() {
		return switch ((int) this.period.toSeconds()) {
			case 1 -> "s";
			case 60 -> "m";
			default -> "h";
		};
	}

	/**
	 * Return the rate in permits per second.
	 * @return the rate
	 */
	public double perSecond() {
		return this.permits / (double) this.period.toSeconds();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof RateLimit that && this.permits == that.permits && this.period.equals(that.period)
				&& this.burst == that.burst;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.permits) * 31 + this.period.hashCode() * 17 + Long.hashCode(this.burst);
	}

	@Override
	public String toString() {
		return this.permits + "/" + unit() + " (burst " + this.burst + ")";
	}

}
