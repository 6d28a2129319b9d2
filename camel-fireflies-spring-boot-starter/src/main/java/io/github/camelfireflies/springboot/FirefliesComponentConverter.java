/*
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.github.camelfireflies.springboot;

import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.github.camelfireflies.FirefliesConfiguration;
import jakarta.websocket.WebSocketContainer;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Resolves the object-typed {@code camel.component.fireflies.*} options from bean references: {@code #bean:name} or
 * {@code #name}. A value without the leading {@code #} is not a reference and is left to other converters (it then
 * fails to bind, with Spring's usual message).
 */
public class FirefliesComponentConverter implements GenericConverter {

    private static final Set<ConvertiblePair> PAIRS = Set.of(
            new ConvertiblePair(String.class, WebSocketContainer.class),
            new ConvertiblePair(String.class, SSLContextParameters.class),
            new ConvertiblePair(String.class, ExecutorService.class),
            new ConvertiblePair(String.class, FirefliesConfiguration.class));

    private final BeanFactory beanFactory;

    public FirefliesComponentConverter(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return PAIRS;
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String ref = source.toString().trim();
        if (ref.startsWith("#bean:")) {
            ref = ref.substring("#bean:".length());
        } else if (ref.startsWith("#")) {
            ref = ref.substring(1);
        } else {
            throw new IllegalArgumentException("camel.component.fireflies: expected a bean reference (#bean:name) for a "
                                               + targetType.getType().getName() + " option");
        }
        return beanFactory.getBean(ref, targetType.getType());
    }
}
