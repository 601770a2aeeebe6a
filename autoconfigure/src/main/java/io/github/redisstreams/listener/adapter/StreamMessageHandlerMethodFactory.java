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
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.HeaderMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.util.ReflectionUtils;

/**
 * The {@link DefaultMessageHandlerMethodFactory} for {@code @RedisListener} methods: the
 * same argument resolvers, except that a {@link Header @Header} parameter reads the
 * message header of its name and nothing else.
 * <p>
 * spring-messaging's {@link HeaderMethodArgumentResolver} also looks the name up in the
 * {@code nativeHeaders} header, which it expects to be a {@code Map}; an entry with a
 * field named {@code nativeHeaders} would make every {@code @Header} parameter of the
 * listener fail. Entries have no native headers: every field but {@code payload} is a
 * header, whatever its name.
 * <p>
 * Configure it like its superclass ({@code setMessageConverter}, {@code setBeanFactory},
 * then {@code afterPropertiesSet}).
 *
 * @since 0.2.0
 */
public class StreamMessageHandlerMethodFactory extends DefaultMessageHandlerMethodFactory {

	private ConversionService conversionService = new DefaultFormattingConversionService();

	private @Nullable ConfigurableBeanFactory beanFactory;

	private @Nullable MessageConverter messageConverter;

	/**
	 * Whether argument resolvers were set or added, which rules out direct invocation.
	 */
	private boolean resolversChanged;

	/**
	 * Create a factory with a {@link DefaultFormattingConversionService}.
	 */
	public StreamMessageHandlerMethodFactory() {
		super.setConversionService(this.conversionService);
	}

	@Override
	public void setConversionService(ConversionService conversionService) {
		super.setConversionService(conversionService);
		this.conversionService = conversionService;
	}

	@Override
	public void setMessageConverter(MessageConverter messageConverter) {
		super.setMessageConverter(messageConverter);
		this.messageConverter = messageConverter;
	}

	@Override
	public void setCustomArgumentResolvers(List<HandlerMethodArgumentResolver> customArgumentResolvers) {
		super.setCustomArgumentResolvers(customArgumentResolvers);
		this.resolversChanged |= !customArgumentResolvers.isEmpty();
	}

	@Override
	public void setArgumentResolvers(@Nullable List<HandlerMethodArgumentResolver> argumentResolvers) {
		super.setArgumentResolvers(argumentResolvers);
		this.resolversChanged |= argumentResolvers != null;
	}

	/**
	 * Create the handler of a listener method. Where spring-messaging would only convert
	 * the payload and pass the
	 * {@link io.github.redisstreams.listener.StreamMessageContext} and the
	 * {@link io.github.redisstreams.listener.Acknowledgment} (every parameter one of
	 * those, the payload parameter without annotations, this factory's default argument
	 * resolvers and a {@link StreamEntryMessageConverter}), the handler does that itself,
	 * with the same arguments and exceptions, and skips building a {@link Message} and
	 * looking up the resolvers for every entry. Any other method is invoked through
	 * {@link #createInvocableHandlerMethod}. Call after {@link #afterPropertiesSet()}.
	 * @param bean the bean
	 * @param method the listener method
	 * @return the handler
	 * @throws IllegalArgumentException if a parameter of the method cannot be resolved,
	 * naming the parameter
	 * @since 0.5.0
	 */
	public MessagingStreamMessageHandler createMessageHandler(Object bean, Method method) {
		Method init = ReflectionUtils.findMethod(getClass(), "initArgumentResolvers");
		Method create = ReflectionUtils.findMethod(getClass(), "createInvocableHandlerMethod", Object.class,
				Method.class);
		boolean defaultResolvers = !this.resolversChanged && init != null
				&& init.getDeclaringClass() == StreamMessageHandlerMethodFactory.class && create != null
				&& create.getDeclaringClass() == DefaultMessageHandlerMethodFactory.class;
		// a subclass of the converter may convert in its own way: only this class's
		// conversion is known to be what the payload resolver would do
		StreamEntryMessageConverter converter = (defaultResolvers
				&& this.messageConverter instanceof StreamEntryMessageConverter streamEntries
				&& streamEntries.getClass() == StreamEntryMessageConverter.class) ? streamEntries : null;
		return new MessagingStreamMessageHandler(createInvocableHandlerMethod(bean, method), converter);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		this.beanFactory = (beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable : null;
	}

	@Override
	protected List<HandlerMethodArgumentResolver> initArgumentResolvers() {
		List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>(super.initArgumentResolvers());
		resolvers.replaceAll((resolver) -> (resolver instanceof HeaderMethodArgumentResolver)
				? new FieldHeaderMethodArgumentResolver(this.conversionService, this.beanFactory) : resolver);
		return resolvers;
	}

	/**
	 * Resolves a {@code @Header} parameter from the message header of its name only.
	 */
	static final class FieldHeaderMethodArgumentResolver extends HeaderMethodArgumentResolver {

		FieldHeaderMethodArgumentResolver(ConversionService conversionService,
				@Nullable ConfigurableBeanFactory beanFactory) {
			super(conversionService, beanFactory);
		}

		@Override
		protected @Nullable Object resolveArgumentInternal(MethodParameter parameter, Message<?> message, String name) {
			return message.getHeaders().get(name);
		}

	}

}
