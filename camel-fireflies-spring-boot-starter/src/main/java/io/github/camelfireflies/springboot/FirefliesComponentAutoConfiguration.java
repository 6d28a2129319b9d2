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

import io.github.camelfireflies.FirefliesComponent;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;

/**
 * Applies the {@code camel.component.fireflies.*} properties to the {@code fireflies} component when Camel creates it,
 * the way Camel's own starters do: a {@link ComponentCustomizer} copies every property that has a value onto the
 * component (its options, and through them the defaults of every endpoint). Turned off by
 * {@code camel.component.fireflies.enabled=false} (or {@code camel.component.enabled=false}); the copying alone by
 * {@code camel.component.fireflies.customizer.enabled=false}.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, FirefliesComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.fireflies" })
public class FirefliesComponentAutoConfiguration {

    private final ApplicationContext applicationContext;

    public FirefliesComponentAutoConfiguration(ApplicationContext applicationContext) {
        // nothing else here: the CamelContext asks for the customizers while it is being created, and the properties
        // may refer to beans; both are looked up only when the component is configured
        this.applicationContext = applicationContext;
    }

    /** Lets {@code #bean:name} references bind to the object-typed options. */
    @Bean
    @ConfigurationPropertiesBinding
    public static FirefliesComponentConverter firefliesComponentConverter(BeanFactory beanFactory) {
        return new FirefliesComponentConverter(beanFactory);
    }

    @Lazy
    @Bean
    public ComponentCustomizer configureFirefliesComponent() {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                FirefliesComponentConfiguration configuration
                        = applicationContext.getBean(FirefliesComponentConfiguration.class);
                CamelPropertiesHelper.copyProperties(target.getCamelContext(), configuration, target);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        "camel.component.fireflies.customizer")
                       && target instanceof FirefliesComponent;
            }
        };
    }
}
