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

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code fireflies} dev console lists the live consumers, is discoverable, and never shows the key. */
class FirefliesDevConsoleTest {

    @Test
    void listsEachConsumerWithItsStateAndNeverTheKey() throws Exception {
        assertThat(getClass().getClassLoader().getResource("META-INF/services/org/apache/camel/dev-console/fireflies"))
                .as("service file generated from @DevConsole").isNotNull();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String key = "console-secret-key";
        CamelContext context = new DefaultCamelContext();
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("fireflies:live?transcriptId=t-console&apiKey=RAW(" + key + ")&url=ws://127.0.0.1:" + closedPort
                         + "&reconnectDelay=100&reconnectDelayMax=200").routeId("console").to("mock:console");
                }
            });
            context.start();
            LiveConsumer c = (LiveConsumer) context.getRoute("console").getConsumer();
            await().atMost(Duration.ofSeconds(15)).until(() -> c.getFailedAttempts() >= 1);

            FirefliesDevConsole console = new FirefliesDevConsole();
            console.setCamelContext(context);
            assertThat(console.getId()).isEqualTo("fireflies");
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> consumers = (List<Map<String, Object>>) json.get("consumers");
            assertThat(consumers).hasSize(1);
            assertThat(consumers.get(0)).containsEntry("routeId", "console").containsEntry("transcriptId", "t-console")
                    .containsKeys("state", "eventsReceived", "eventsDropped", "reconnects", "lastError");
            String text = (String) console.call(DevConsole.MediaType.TEXT);
            assertThat(text).contains("console (transcript t-console)").contains("Cannot connect");
            assertThat(json.toString() + text).doesNotContain(key);
        } finally {
            context.stop();
        }
    }
}
