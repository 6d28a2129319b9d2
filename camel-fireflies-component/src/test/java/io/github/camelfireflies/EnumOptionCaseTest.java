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
package io.github.camelfireflies;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.api.BackfillMode;
import io.github.camelfireflies.api.EmitMode;
import io.github.camelfireflies.api.OverflowPolicy;
import io.github.camelfireflies.api.WebSocketProvider;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Enum option values: documented in one casing, the Java constant names ({@code FINAL}, {@code DROP_OLDEST},
 * {@code JETTY}), as Camel's own components list theirs; bound in any casing, so the lower-case spellings documented
 * before ({@code emit=final}, {@code backfill=gaps}, {@code webSocketProvider=jetty}) keep working. The binding is
 * Camel's String to enum conversion, which ignores case.
 */
class EnumOptionCaseTest {

    private static final String LIVE = "fireflies:live?transcriptId=abc&apiKey=sk-live-0123456789abcdef";
    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private FirefliesConfiguration bind(String query) {
        return context.getEndpoint(LIVE + "&" + query, FirefliesEndpoint.class).getConfiguration();
    }

    @Test
    void everyCasingOfEveryDocumentedSpellingBinds() {
        assertThat(bind("emit=FINAL").getEmit()).isEqualTo(EmitMode.FINAL);
        assertThat(bind("emit=final").getEmit()).isEqualTo(EmitMode.FINAL);
        assertThat(bind("emit=Changes").getEmit()).isEqualTo(EmitMode.CHANGES);
        assertThat(bind("emit=revisions").getEmit()).isEqualTo(EmitMode.REVISIONS);
        assertThat(bind("overflowPolicy=block").getOverflowPolicy()).isEqualTo(OverflowPolicy.BLOCK);
        assertThat(bind("overflowPolicy=BLOCK").getOverflowPolicy()).isEqualTo(OverflowPolicy.BLOCK);
        assertThat(bind("overflowPolicy=drop_oldest").getOverflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
        assertThat(bind("overflowPolicy=Drop_Newest").getOverflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
        assertThat(bind("backfill=GAPS").getBackfill()).isEqualTo(BackfillMode.GAPS);
        assertThat(bind("backfill=gaps").getBackfill()).isEqualTo(BackfillMode.GAPS);
        assertThat(bind("backfill=None").getBackfill()).isEqualTo(BackfillMode.NONE);
        assertThat(bind("backfill=ALL").getBackfill()).isEqualTo(BackfillMode.ALL);
    }

    @Test
    void theComponentsProviderBindsInAnyCasing() {
        for (Map.Entry<String, WebSocketProvider> e : Map.of("jetty", WebSocketProvider.JETTY, "TOMCAT",
                WebSocketProvider.TOMCAT, "Tyrus", WebSocketProvider.TYRUS).entrySet()) {
            FirefliesComponent component = new FirefliesComponent();
            PropertyBindingSupport.build().bind(context, component,
                    new HashMap<>(Map.of("webSocketProvider", e.getKey())));
            assertThat(component.getWebSocketProvider()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(WebSocketProvider.parse(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(new FirefliesComponent().getWebSocketProvider()).isEqualTo(WebSocketProvider.JETTY);
    }

    @Test
    void aValueThatIsNoConstantInAnyCaseIsRefused() {
        assertThatThrownBy(() -> bind("emit=last")).isInstanceOf(ResolveEndpointFailedException.class);
        assertThatThrownBy(() -> bind("overflowPolicy=drop")).isInstanceOf(ResolveEndpointFailedException.class);
        assertThatThrownBy(() -> EmitMode.parse("last")).hasMessageContaining("REVISIONS, CHANGES or FINAL");
        assertThatThrownBy(() -> BackfillMode.parse("later")).hasMessageContaining("NONE, GAPS or ALL");
        assertThatThrownBy(() -> WebSocketProvider.parse("netty")).hasMessageContaining("JETTY, TOMCAT or TYRUS");
    }

    /** The catalog (and so the docs and the Spring Boot metadata) lists the constant names, defaults included. */
    @Test
    void theCatalogListsTheConstantNames() throws Exception {
        JsonNode json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/github/camelfireflies/fireflies.json")) {
            assertThat(in).isNotNull();
            json = new ObjectMapper().readTree(in);
        }
        List<String> checked = new ArrayList<>();
        for (String section : List.of("componentProperties", "properties")) {
            json.get(section).fields().forEachRemaining(f -> {
                JsonNode p = f.getValue();
                if (!p.has("enum") || !p.path("javaType").asText().startsWith("io.github.camelfireflies.api.")) {
                    return; // the path parameter (live, meetings, ...) is a path, not an option value
                }
                Class<?> type;
                try {
                    type = Class.forName(p.get("javaType").asText());
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
                if (!type.isEnum()) {
                    return;
                }
                List<String> names = new ArrayList<>();
                for (Object c : type.getEnumConstants()) {
                    names.add(((Enum<?>) c).name());
                }
                List<String> listed = new ArrayList<>();
                p.get("enum").forEach(v -> listed.add(v.asText()));
                assertThat(listed).as(section + "." + f.getKey()).containsExactlyElementsOf(names);
                if (p.has("defaultValue")) {
                    assertThat(names).as(section + "." + f.getKey() + " default").contains(p.get("defaultValue").asText());
                }
                checked.add(f.getKey());
            });
        }
        assertThat(checked).contains("emit", "overflowPolicy", "backfill", "webSocketProvider");
    }
}
