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

import io.github.camelfireflies.api.OverflowPolicy;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.FirefliesComponent;
import io.github.camelfireflies.FirefliesComponentConfigurer;
import io.github.camelfireflies.FirefliesConfiguration;
import io.github.camelfireflies.FirefliesEndpoint;
import io.github.camelfireflies.api.WebSocketProvider;
import io.github.camelfireflies.api.BackfillMode;
import io.github.camelfireflies.internal.stream.OrderedLane;
import jakarta.websocket.WebSocketContainer;
import org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class FirefliesComponentAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                    FirefliesComponentAutoConfiguration.class));

    @Test
    void propertiesBindOntoTheComponentAndBecomeEndpointDefaults() {
        runner.withUserConfiguration(Beans.class)
                .withPropertyValues(
                        "camel.component.fireflies.api-key=sb-secret-key",
                        "camel.component.fireflies.url=ws://127.0.0.1:1234",
                        "camel.component.fireflies.path=/custom/path",
                        "camel.component.fireflies.events=*",
                        "camel.component.fireflies.connect-timeout=30s",
                        "camel.component.fireflies.reconnect-delay=250",
                        "camel.component.fireflies.reconnect-delay-max=2s",
                        "camel.component.fireflies.randomization-factor=0.1",
                        "camel.component.fireflies.reconnect-attempts=7",
                        "camel.component.fireflies.reconnect-on-server-disconnect=true",
                        "camel.component.fireflies.max-message-size=65536",
                        "camel.component.fireflies.queue-size=42",
                        "camel.component.fireflies.overflow-policy=drop-newest",
                        "camel.component.fireflies.backfill=none",
                        "camel.component.fireflies.allow-insecure=true",
                        "camel.component.fireflies.worker-pool-size=3",
                        "camel.component.fireflies.web-socket-provider=tomcat",
                        "camel.component.fireflies.web-socket-container=#bean:myContainer",
                        "camel.component.fireflies.worker-pool=#myPool",
                        "camel.component.fireflies.health-check-consumer-enabled=false")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    CamelContext camel = ctx.getBean(CamelContext.class);
                    FirefliesComponent component = camel.getComponent("fireflies", FirefliesComponent.class);
                    FirefliesConfiguration c = component.getConfiguration();
                    assertThat(c.getApiKey()).isEqualTo("sb-secret-key");
                    assertThat(c.getUrl()).isEqualTo("ws://127.0.0.1:1234");
                    assertThat(c.getPath()).isEqualTo("/custom/path");
                    assertThat(c.getEvents()).isEqualTo("*");
                    assertThat(c.getConnectTimeout()).isEqualTo(30000L);
                    assertThat(c.getReconnectDelay()).isEqualTo(250L);
                    assertThat(c.getReconnectDelayMax()).isEqualTo(2000L);
                    assertThat(c.getRandomizationFactor()).isEqualTo(0.1);
                    assertThat(c.getReconnectAttempts()).isEqualTo(7);
                    assertThat(c.isReconnectOnServerDisconnect()).isTrue();
                    assertThat(c.getMaxMessageSize()).isEqualTo(65536);
                    assertThat(c.getQueueSize()).isEqualTo(42);
                    assertThat(c.getOverflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
                    assertThat(c.getBackfill()).isEqualTo(BackfillMode.NONE);
                    assertThat(c.isAllowInsecure()).isTrue();
                    assertThat(c.getWebSocketContainer()).isSameAs(ctx.getBean("myContainer"));
                    assertThat(component.getWorkerPoolSize()).isEqualTo(3);
                    assertThat(component.getWebSocketProvider()).isEqualTo(WebSocketProvider.TOMCAT);
                    assertThat(component.getWorkerPool()).isSameAs(ctx.getBean("myPool"));
                    assertThat(component.isHealthCheckConsumerEnabled()).isFalse();

                    // the component's options are the defaults of its endpoints
                    FirefliesEndpoint endpoint = camel.getEndpoint("fireflies:live?transcriptId=t-1",
                            FirefliesEndpoint.class);
                    assertThat(endpoint.getConfiguration().getApiKey()).isEqualTo("sb-secret-key");
                    assertThat(endpoint.getConfiguration().getUrl()).isEqualTo("ws://127.0.0.1:1234");
                    assertThat(endpoint.getConfiguration().getQueueSize()).isEqualTo(42);
                    assertThat(endpoint.getConfiguration().getBackfill()).isEqualTo(BackfillMode.NONE);

                    assertThat(ctx.getBean(FirefliesComponentConfiguration.class).toString())
                            .doesNotContain("sb-secret-key");
                });
    }

    @Test
    void withoutPropertiesTheComponentKeepsItsOwnDefaults() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            FirefliesComponent component = ctx.getBean(CamelContext.class).getComponent("fireflies",
                    FirefliesComponent.class);
            FirefliesConfiguration expected = new FirefliesConfiguration();
            FirefliesConfiguration c = component.getConfiguration();
            assertThat(c.getApiKey()).isNull();
            assertThat(c.getUrl()).isEqualTo(expected.getUrl());
            assertThat(c.getPath()).isEqualTo(expected.getPath());
            assertThat(c.getEvents()).isEqualTo(expected.getEvents());
            assertThat(c.getConnectTimeout()).isEqualTo(expected.getConnectTimeout());
            assertThat(c.getReconnectDelay()).isEqualTo(expected.getReconnectDelay());
            assertThat(c.getReconnectDelayMax()).isEqualTo(expected.getReconnectDelayMax());
            assertThat(c.getRandomizationFactor()).isEqualTo(expected.getRandomizationFactor());
            assertThat(c.getReconnectAttempts()).isEqualTo(expected.getReconnectAttempts());
            assertThat(c.isReconnectOnServerDisconnect()).isEqualTo(expected.isReconnectOnServerDisconnect());
            assertThat(c.getMaxMessageSize()).isEqualTo(expected.getMaxMessageSize());
            assertThat(c.getQueueSize()).isEqualTo(expected.getQueueSize());
            assertThat(c.getOverflowPolicy()).isEqualTo(expected.getOverflowPolicy());
            assertThat(c.getBackfill()).isNull(); // not set: each endpoint kind has its own default
            assertThat(c.isAllowInsecure()).isEqualTo(expected.isAllowInsecure());
            assertThat(component.getWorkerPoolSize()).isEqualTo(new FirefliesComponent().getWorkerPoolSize());
            assertThat(component.getWebSocketProvider()).isEqualTo(new FirefliesComponent().getWebSocketProvider());
        });
    }

    @Test
    void everyStarterDefaultIsTheCatalogsAndTheComponentsOwn() throws Exception {
        // the starter copies its defaults onto the component: read every option from the catalog, so that a new
        // option, or a default changed in one place only, cannot drift unnoticed
        FirefliesComponentConfiguration starter = new FirefliesComponentConfiguration();
        FirefliesComponent component = new FirefliesComponent();
        FirefliesComponentConfigurer configurer = new FirefliesComponentConfigurer();
        Map<String, PropertyDescriptor> getters = new HashMap<>();
        for (PropertyDescriptor d : Introspector.getBeanInfo(FirefliesComponentConfiguration.class).getPropertyDescriptors()) {
            getters.put(d.getName(), d);
        }
        int withDefault = 0;
        for (Map.Entry<String, JsonNode> e : catalog().get("componentProperties").properties()) {
            String name = e.getKey();
            assertThat(getters).as("starter property for %s", name).containsKey(name);
            Object starterValue = plain(getters.get(name).getReadMethod().invoke(starter));
            JsonNode dflt = e.getValue().get("defaultValue");
            if (dflt == null) {
                assertThat(starterValue).as("%s has no default in the catalog", name).isNull();
                continue;
            }
            withDefault++;
            assertThat(starterValue).as("starter default of %s", name)
                    .isEqualTo(plain(configurer.getOptionValue(component, name, false)));
            assertThat(String.valueOf(starterValue)).as("catalog default of %s", name)
                    .isEqualToIgnoringCase(dflt.asText());
        }
        assertThat(withDefault).isGreaterThan(15);
    }

    /** Durations as milliseconds (the component's long options), boxed numbers as they are. */
    private static Object plain(Object value) {
        return value instanceof Duration d ? (Object) d.toMillis() : value;
    }

    private static JsonNode catalog() throws Exception {
        try (InputStream in = FirefliesComponentAutoConfigurationTest.class
                .getResourceAsStream("/META-INF/io/github/camelfireflies/fireflies.json")) {
            assertThat(in).as("component catalog").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void customizerCanBeSwitchedOff() {
        runner.withPropertyValues("camel.component.fireflies.api-key=k",
                "camel.component.fireflies.customizer.enabled=false")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    FirefliesComponent component = ctx.getBean(CamelContext.class).getComponent("fireflies",
                            FirefliesComponent.class);
                    assertThat(component.getConfiguration().getApiKey()).isNull();
                });
    }

    @Test
    void autoConfigurationCanBeSwitchedOff() {
        runner.withPropertyValues("camel.component.fireflies.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(FirefliesComponentAutoConfiguration.class));
    }

    @Test
    void ideMetadataListsEveryComponentOption() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode catalog;
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/github/camelfireflies/fireflies.json");
             InputStream meta = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("component catalog").isNotNull();
            assertThat(meta).as("spring-configuration-metadata.json of the starter").isNotNull();
            catalog = mapper.readTree(in);
            metadata = mapper.readTree(meta);
        }
        Set<String> keys = new HashSet<>();
        metadata.get("properties").forEach(p -> keys.add(p.get("name").asText()));
        Set<String> expected = new HashSet<>();
        for (Iterator<String> it = catalog.get("componentProperties").fieldNames(); it.hasNext();) {
            expected.add("camel.component.fireflies." + kebab(it.next()));
        }
        assertThat(expected).hasSizeGreaterThan(15);
        assertThat(keys).containsAll(expected);
        metadata.get("properties").forEach(p -> {
            if (p.get("name").asText().startsWith("camel.component.fireflies.")
                && !p.get("name").asText().contains("customizer") && !p.get("name").asText().endsWith(".enabled")) {
                assertThat(p.path("description").asText()).as(p.get("name").asText()).isNotBlank();
            }
        });
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean(destroyMethod = "stop")
        WebSocketContainer myContainer() {
            return new JakartaWebSocketClientContainer(); // never started: only bound
        }

        @Bean(destroyMethod = "shutdownNow")
        ExecutorService myPool() {
            return Executors.newFixedThreadPool(1);
        }
    }
}
