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

import io.github.camelfireflies.api.WebSocketProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.simulator.Shape;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import io.github.camelfireflies.testsupport.ThreadCensus;
import io.github.camelfireflies.testsupport.TlsFixture;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every {@link WebSocketProvider} the component can make containers with, against the genuine socket.io server: 1 MiB
 * frames arrive (and a message over {@code maxMessageSize} does not), {@code wss} works with
 * {@code sslContextParameters} through the provider's own TLS, and stopping the context ends the provider's threads
 * (Tyrus' static idle timer excepted, and only for Tyrus).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketProvidersTest {

    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "changeit";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private NodeSocketIoServer plain;
    private NodeSocketIoServer tls;
    private Path trustStore;
    private CamelContext context;

    @BeforeAll
    void startServers() throws Exception {
        trustStore = dir.resolve("trust.p12");
        Path serverStore = TlsFixture.selfSignedLocalhost(dir, trustStore, PASSWORD);
        plain = NodeSocketIoServer.start();
        tls = NodeSocketIoServer.start(NodeSocketIoServer.Options.defaults().withTls(serverStore, PASSWORD));
    }

    @AfterAll
    void stopServers() {
        if (plain != null) {
            plain.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    @AfterEach
    void stopContext() {
        if (context != null) {
            context.stop();
        }
    }

    private CamelContext newContext(WebSocketProvider provider) {
        context = new DefaultCamelContext();
        FirefliesComponent component = new FirefliesComponent();
        component.setWebSocketProvider(provider);
        context.addComponent("fireflies", component);
        return context;
    }

    private static String uri(NodeSocketIoServer server, String tid, String extra) {
        return "fireflies:live?transcriptId=" + tid + "&apiKey=RAW(" + server.apiKey() + ")&url=" + server.url()
               + "&path=" + server.path() + "&reconnectDelay=100&reconnectDelayMax=200" + extra;
    }

    private static JsonNode chunk(String id, String text) {
        return JSON.createObjectNode().put("chunk_id", id).put("text", text);
    }

    private static String text(int length) {
        StringBuilder sb = new StringBuilder(length + 64);
        while (sb.length() < length) {
            sb.append("The quick brown fox jumps over the lazy dog. ");
        }
        sb.setLength(length);
        return sb.toString();
    }

    @ParameterizedTest
    @EnumSource(WebSocketProvider.class)
    void oneMebibyteFramesArriveAndAMessageOverTheLimitDoesNot(WebSocketProvider provider) throws Exception {
        CamelContext ctx = newContext(provider);
        String big = "t-" + UUID.randomUUID();
        String small = "t-" + UUID.randomUUID();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(plain, big, "")).routeId("big").to("mock:big");
                from(uri(plain, small, "&maxMessageSize=65536")).routeId("small").to("mock:small");
            }
        });
        ctx.start();
        MockEndpoint bigMock = ctx.getEndpoint("mock:big", MockEndpoint.class);
        MockEndpoint smallMock = ctx.getEndpoint("mock:small", MockEndpoint.class);
        String mebibyte = text(1 << 20);
        String unicode = "Launch 🚀 ✅ — שלום עולם — 你好 — e\u0301 " + text(20_000);
        bigMock.expectedMessageCount(3);
        plain.emitTranscription(big, List.of(chunk("a", mebibyte), chunk("b", unicode)), Shape.FLAT, AWAIT);
        plain.emitBinaryEvent(big, "transcription.broadcast", new byte[] { 1, 2, 3 }, AWAIT); // reported, skipped
        plain.emitTranscription(big, List.of(chunk("c", mebibyte + mebibyte)), Shape.FLAT, AWAIT);
        bigMock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(bigMock.getReceivedExchanges()).extracting(e -> e.getMessage().getBody(TranscriptionEvent.class).text())
                .containsExactly(mebibyte, unicode, mebibyte + mebibyte);

        if (provider == WebSocketProvider.TYRUS) {
            return; // Tyrus applies only its container's limit (the component's maxMessageSize) to a one-frame message
        }
        // 100 KB against a limit of 64 KiB: refused (the connection is closed and made again), the next one arrives
        LiveConsumer smallConsumer = (LiveConsumer) ctx.getRoute("small").getConsumer();
        plain.emitTranscription(small, List.of(chunk("big", text(100_000))), Shape.FLAT, AWAIT);
        await().atMost(AWAIT).pollInSameThread().until(() -> smallConsumer.getReconnects() >= 1
                                                             && "CONNECTED".equals(smallConsumer.getConnectionState()));
        smallMock.expectedMessageCount(1);
        plain.emitTranscription(small, List.of(chunk("after", "fits")), Shape.FLAT, AWAIT);
        smallMock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(smallMock.getReceivedExchanges().get(0).getMessage().getBody(TranscriptionEvent.class).text())
                .isEqualTo("fits");
    }

    @ParameterizedTest
    @EnumSource(WebSocketProvider.class)
    void wssWithATrustStoreFromSslContextParameters(WebSocketProvider provider) throws Exception {
        CamelContext ctx = newContext(provider);
        ctx.getRegistry().bind("tls", trustStoreParameters());
        String tid = "t-" + UUID.randomUUID();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(tls, tid, "&events=*&sslContextParameters=#tls")).routeId("tls").to("mock:tls");
            }
        });
        ctx.start();
        MockEndpoint mock = ctx.getEndpoint("mock:tls", MockEndpoint.class);
        mock.expectedMessageCount(2); // the fixture's admin API cannot be reached over its TLS port: no transcript here
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(mock.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(FirefliesConstants.EVENT))
                .containsExactly("auth.success", "connection.established");
    }

    @ParameterizedTest
    @EnumSource(WebSocketProvider.class)
    void stoppingTheContextEndsTheProvidersThreads(WebSocketProvider provider) throws Exception {
        ThreadCensus before = ThreadCensus.take();
        CamelContext ctx = newContext(provider);
        ctx.getRegistry().bind("tls", trustStoreParameters());
        List<String> tids = new ArrayList<>();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < 3; i++) {
                    String tid = "t-" + UUID.randomUUID();
                    tids.add(tid);
                    from(uri(plain, tid, "")).to("mock:plain");
                }
                String tid = "t-" + UUID.randomUUID();
                tids.add(tid);
                from(uri(tls, tid, "&sslContextParameters=#tls&events=connection.established")).to("mock:tls");
            }
        });
        ctx.start();
        MockEndpoint plainMock = ctx.getEndpoint("mock:plain", MockEndpoint.class);
        MockEndpoint tlsMock = ctx.getEndpoint("mock:tls", MockEndpoint.class);
        plainMock.expectedMessageCount(3);
        tlsMock.expectedMessageCount(1);
        for (int i = 0; i < 3; i++) {
            plain.emitTranscription(tids.get(i), List.of(chunk("a", "x")), Shape.FLAT, AWAIT);
        }
        MockEndpoint.assertIsSatisfied(ctx, AWAIT.toSeconds(), TimeUnit.SECONDS);
        ctx.stop();
        context = null;

        // Tyrus' JDK client starts a static scheduler the first time a last connection closes and never ends it
        Set<String> allowed = provider == WebSocketProvider.TYRUS ? Set.of("tyrus-jdk-container-idle-timeout (daemon)")
                : Set.of();
        await().atMost(AWAIT).pollInSameThread().pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(before.newThreads()).as("threads left by %s", provider)
                        .isSubsetOf(allowed));
    }

    private SSLContextParameters trustStoreParameters() {
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setResource("file:" + trustStore);
        ks.setPassword(PASSWORD);
        ks.setType("PKCS12");
        TrustManagersParameters tm = new TrustManagersParameters();
        tm.setKeyStore(ks);
        SSLContextParameters p = new SSLContextParameters();
        p.setTrustManagers(tm);
        return p;
    }
}
