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
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.HeaderMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

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
