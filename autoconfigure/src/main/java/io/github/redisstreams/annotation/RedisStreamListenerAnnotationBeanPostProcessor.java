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
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisstreams.config.RedisStreamListenerConfigUtils;
import io.github.redisstreams.config.RedisStreamListenerContainerFactory;
import io.github.redisstreams.config.RedisStreamListenerEndpoint;
import io.github.redisstreams.config.RedisStreamListenerRegistry;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;

/**
 * Detects {@link RedisListener @RedisListener} methods on beans and registers an endpoint
 * per method with the {@link RedisStreamListenerRegistry}; {@link ListenerAttributes}
 * reads the attributes. A misconfigured listener fails the application start with a
 * message that names the bean, the method and the attribute at fault.
 * <p>
 * Thread-safe once its bean factory and environment are set: classes without listeners
 * are cached in a concurrent set, and the registry, looked up lazily, is the same bean
 * whichever thread looks it up first.
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
		ListenerAttributes attributes = ListenerAttributes.of(annotation,
				new AttributeParser(this.environment, this.beanFactory, where), beanName + "." + method.getName());
		try {
			return new RedisStreamListenerEndpoint(attributes.id(), attributes.stream(), bean, method, description,
					attributes.settings());
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException(where + ": " + ex.getMessage(), ex);
		}
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
