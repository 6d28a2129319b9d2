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
package io.github.camelfireflies.testsupport;

import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * The life of a test class that runs {@code fireflies} routes against a test server: the server once per class, a
 * fresh CamelContext per test with a {@link CapturingExceptionHandler} bound as {@code #captor}. When the server cannot
 * start here (no Node.js outside CI), every test is reported as skipped, with the reason.
 *
 * @param <S> the kind of server
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LiveRouteTestSupport<S extends FirefliesTestServer> {

    protected S server;
    protected CamelContext context;
    protected CapturingExceptionHandler errors;
    private String unavailable;

    /** Starts the server under test (once per class). */
    protected abstract S startServer() throws Exception;

    @BeforeAll
    void startServerOnce() throws Exception {
        try {
            server = startServer();
        } catch (TestAbortedException e) {
            unavailable = e.getMessage();
        }
    }

    @AfterAll
    void stopServerOnce() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newContext() {
        Assumptions.assumeTrue(unavailable == null, () -> "Skipped: " + unavailable);
        context = new DefaultCamelContext();
        errors = new CapturingExceptionHandler();
        context.getRegistry().bind("captor", errors);
    }

    @AfterEach
    void stopContext() {
        if (context != null) {
            context.stop();
        }
    }

    /** A fresh transcript id, so tests never see each other's events. */
    protected static String newTranscriptId() {
        return "t-" + UUID.randomUUID();
    }
}
