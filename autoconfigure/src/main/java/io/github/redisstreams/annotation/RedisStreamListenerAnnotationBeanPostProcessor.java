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

package io.github.redisstreams.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.RedisStreamListenerConfigUtils;
import io.github.redisstreams.config.RedisStreamListenerContainerFactory;
import io.github.redisstreams.config.RedisStreamListenerEndpoint;
import io.github.redisstreams.config.RedisStreamListenerRegistry;
import io.github.redisstreams.listener.ListenerSettings;
import io.github.redisstreams.listener.RateLimit;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Detects {@link RedisListener @RedisListener} methods on beans, resolves their
 * attributes and registers an endpoint per method with the
 * {@link RedisStreamListenerRegistry}. A misconfigured listener fails the application
 * start with a message that names the bean, the method and the attribute at fault.
 */
class RedisStreamListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, EnvironmentAware, Ordered {

	private static final Log logger = LogFactory.getLog(RedisStreamListenerAnnotationBeanPostProcessor.class);

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private @Nullable ConfigurableBeanFactory beanFactory;

	private @Nullable Environment environment;

	private @Nullable RedisStreamListenerRegistry registry;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			this.beanFactory = configurable;
		}
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof AopInfrastructureBean || bean instanceof RedisStreamListenerRegistry
				|| bean instanceof RedisStreamListenerContainerFactory) {
			return bean;
		}
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		if (!AnnotationUtils.isCandidateClass(targetClass, RedisListener.class)) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		Map<Method, RedisListener> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<RedisListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, RedisListener.class));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			getRegistry().registerEndpoint(createEndpoint(bean, beanName, invocable, annotation));
		});
		logger.debug(methods.size() + " @RedisListener method(s) found on bean '" + beanName + "'");
		return bean;
	}

	private RedisStreamListenerEndpoint createEndpoint(Object bean, String beanName, Method method,
			RedisListener annotation) {
		String description = beanName + "." + method.getName()
				+ Arrays.stream(method.getParameterTypes())
					.map(Class::getSimpleName)
					.collect(Collectors.joining(", ", "(", ")"));
		String where = "@RedisListener on " + description;
		String stream = resolve(annotation.stream(), "stream", where);
		if (!StringUtils.hasText(stream)) {
			throw new BeanInitializationException(where + ": attribute 'stream' is required and must not be empty");
		}
		String id = resolve(annotation.id(), "id", where);
		String group = resolve(annotation.group(), "group", where);
		Integer concurrency = parseConcurrency(resolve(annotation.concurrency(), "concurrency", where), where);
		Boolean autoStartup = parseAutoStartup(resolve(annotation.autoStartup(), "autoStartup", where), where);
		Integer partitions = parse(resolve(annotation.partitions(), "partitions", where), "partitions", where,
				Integer::valueOf, (value) -> value >= 0 && value <= ListenerSettings.MAX_PARTITIONS);
		List<Consumer<ListenerSettings.Builder>> attributes = new ArrayList<>();
		if (StringUtils.hasText(group)) {
			attributes.add((settings) -> settings.group(group));
		}
		if (concurrency != null) {
			attributes.add((settings) -> settings.concurrency(concurrency));
		}
		if (autoStartup != null) {
			attributes.add((settings) -> settings.autoStartup(autoStartup));
		}
		if (partitions != null) {
			attributes.add((settings) -> settings.partitions(partitions));
		}
		String idempotencyHeader = resolve(annotation.idempotencyHeader(), "idempotencyHeader", where);
		if (StringUtils.hasText(idempotencyHeader)) {
			attributes.add((settings) -> settings.idempotencyHeader(idempotencyHeader.trim()));
		}
		Boolean broadcast = parse(resolve(annotation.broadcast(), "broadcast", where), "broadcast", where,
				RedisStreamListenerAnnotationBeanPostProcessor::parseBoolean, (value) -> true);
		if (broadcast != null) {
			attributes.add((settings) -> settings.broadcast(broadcast));
		}
		RateLimit maxRate = parse(resolve(annotation.maxRate(), "maxRate", where), "maxRate", where, RateLimit::parse,
				(value) -> true);
		if (maxRate != null) {
			attributes.add((settings) -> settings.rateLimit(maxRate));
		}
		attributes.add(retryAttributes(annotation, where));
		try {
			return new RedisStreamListenerEndpoint(StringUtils.hasText(id) ? id : beanName + "." + method.getName(),
					stream, bean, method, description,
					(settings) -> attributes.forEach((each) -> each.accept(settings)));
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException(where + ": " + ex.getMessage(), ex);
		}
	}

	private Consumer<ListenerSettings.Builder> retryAttributes(RedisListener annotation, String where) {
		Long maxRetries = parse(resolve(annotation.maxRetries(), "maxRetries", where), "maxRetries", where,
				Long::valueOf, (value) -> value >= 0);
		Duration delay = duration(annotation.retryDelay(), "retryDelay", where);
		Double multiplier = parse(resolve(annotation.retryMultiplier(), "retryMultiplier", where), "retryMultiplier",
				where, Double::valueOf, (value) -> value >= 1);
		Duration maxDelay = duration(annotation.retryMaxDelay(), "retryMaxDelay", where);
		Duration jitter = duration(annotation.retryJitter(), "retryJitter", where);
		List<Class<? extends Throwable>> notRetryable = List.of(annotation.notRetryable());
		return (settings) -> {
			if (maxRetries != null) {
				settings.maxRetries(maxRetries);
			}
			if (delay != null) {
				settings.retryDelay(delay);
			}
			if (multiplier != null) {
				settings.retryMultiplier(multiplier);
			}
			if (maxDelay != null) {
				settings.retryMaxDelay(maxDelay);
			}
			if (jitter != null) {
				settings.retryJitter(jitter);
			}
			settings.notRetryable(notRetryable);
		};
	}

	private @Nullable Duration duration(String value, String attribute, String where) {
		return parse(resolve(value, attribute, where), attribute, where, DurationStyle::detectAndParse,
				(duration) -> !duration.isNegative());
	}

	private static Boolean parseBoolean(String value) {
		if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
			return Boolean.valueOf(value);
		}
		throw new IllegalArgumentException(value);
	}

	private static <T> @Nullable T parse(String value, String attribute, String where, Function<String, T> parser,
			Predicate<T> valid) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		try {
			T parsed = parser.apply(value.trim());
			if (valid.test(parsed)) {
				return parsed;
			}
		}
		catch (RuntimeException ex) {
			// reported below
		}
		throw new BeanInitializationException(
				where + ": attribute '" + attribute + "' has an invalid value '" + value + "'" + switch (attribute) {
					case "maxRetries" -> " (a non-negative integer)";
					case "retryMultiplier" -> " (a number of at least 1)";
					case "broadcast" -> " (true or false)";
					case "maxRate" ->
						" (<permits>/<unit>, a positive whole number of permits per s, m or h, such as " + "50/s)";
					case "partitions" ->
						" (an integer from 1 to " + ListenerSettings.MAX_PARTITIONS + ", or 0 for a plain stream)";
					default -> " (a non-negative duration such as 500ms or 2s)";
				});
	}

	private String resolve(String value, String attribute, String where) {
		if (!StringUtils.hasText(value)) {
			return value;
		}
		try {
			String resolved = (this.environment != null) ? this.environment.resolveRequiredPlaceholders(value) : value;
			return evaluate(resolved);
		}
		catch (RuntimeException ex) {
			throw new BeanInitializationException(
					where + ": attribute '" + attribute + "' cannot be resolved: " + ex.getMessage(), ex);
		}
	}

	private String evaluate(String value) {
		if (this.beanFactory == null || !value.contains("#{")) {
			return value;
		}
		BeanExpressionResolver resolver = this.beanFactory.getBeanExpressionResolver();
		if (resolver == null) {
			return value;
		}
		Object result = resolver.evaluate(value, new BeanExpressionContext(this.beanFactory, null));
		return (result != null) ? result.toString() : "";
	}

	private static @Nullable Integer parseConcurrency(String value, String where) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		try {
			int concurrency = Integer.parseInt(value.trim());
			if (concurrency > 0) {
				return concurrency;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new BeanInitializationException(
				where + ": attribute 'concurrency' must be a positive integer, was '" + value + "'");
	}

	private static @Nullable Boolean parseAutoStartup(String value, String where) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		String trimmed = value.trim();
		if ("true".equalsIgnoreCase(trimmed) || "false".equalsIgnoreCase(trimmed)) {
			return Boolean.valueOf(trimmed);
		}
		throw new BeanInitializationException(
				where + ": attribute 'autoStartup' must be 'true' or 'false', was '" + value + "'");
	}

	private RedisStreamListenerRegistry getRegistry() {
		if (this.registry == null) {
			Assert.state(this.beanFactory != null, "No BeanFactory to look up the listener registry in");
			this.registry = this.beanFactory.getBean(RedisStreamListenerConfigUtils.REDIS_LISTENER_REGISTRY_BEAN_NAME,
					RedisStreamListenerRegistry.class);
		}
		return this.registry;
	}

}
