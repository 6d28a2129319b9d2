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
package io.github.camelfireflies.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.LiveConsumer;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code wss} against the genuine socket.io server serving TLS on 127.0.0.1 with a self-signed certificate made by
 * {@code keytool} for this test: trusted through {@code sslContextParameters} it works; with the JVM's default trust
 * store the consumer does not connect, says why, and keeps retrying (a certificate can be fixed on the server side).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeTlsTest {

    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private Path trustStore;
    private NodeSocketIoServer server;
    private CamelContext context;

    @BeforeAll
    void startTlsServer() throws Exception {
        Path serverStore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.pem");
        trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", serverStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", serverStore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        server = NodeSocketIoServer.start(NodeSocketIoServer.Options.defaults().withTls(serverStore, PASSWORD));
        assertThat(server.url()).startsWith("wss://127.0.0.1:");
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("keytool did not finish within 60 s: " + cmd);
            }
            out = new String(p.getInputStream().readAllBytes());
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], out).isZero();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    private MockEndpoint route(String name, String extra) throws Exception {
        String uri = "fireflies:live?transcriptId=t-" + UUID.randomUUID() + "&apiKey=RAW(" + server.apiKey() + ")&url="
                     + server.url() + "&path=" + server.path() + "&events=*&reconnectDelay=200&reconnectDelayMax=500"
                     + extra;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(name).to("mock:" + name);
            }
        });
        context.start();
        return context.getEndpoint("mock:" + name, MockEndpoint.class);
    }

    @Test
    void sslContextParametersWithATrustStoreConnects() throws Exception {
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setResource("file:" + trustStore);
        ks.setPassword(PASSWORD);
        ks.setType("PKCS12");
        TrustManagersParameters tm = new TrustManagersParameters();
        tm.setKeyStore(ks);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(tm);
        context.getRegistry().bind("tls", tls);

        MockEndpoint mock = route("trusted", "&sslContextParameters=#tls");
        mock.expectedMessageCount(2);
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(mock.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(FirefliesConstants.EVENT))
                .containsExactly("auth.success", "connection.established");
        assertThat(Files.exists(trustStore)).isTrue();
    }

    @Test
    void theDefaultTrustStoreRefusesTheSelfSignedCertificateAndSaysWhy() throws Exception {
        MockEndpoint mock = route("untrusted", "");
        LiveConsumer c = (LiveConsumer) context.getRoute("untrusted").getConsumer();
        await().atMost(AWAIT).until(() -> c.getFailedAttempts() >= 2);
        assertThat(c.getConnectionState()).isIn("CONNECTING", "RECONNECT_WAIT");
        assertThat(c.getLastError()).contains("Cannot connect to wss://127.0.0.1:")
                .containsAnyOf("PKIX", "certification path", "SSLHandshakeException", "certificate");
        assertThat(mock.getReceivedCounter()).isZero();
    }
}
