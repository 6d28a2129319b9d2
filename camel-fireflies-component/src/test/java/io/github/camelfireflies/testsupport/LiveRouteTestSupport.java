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

import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.opentest4j.TestAbortedException;

/**
 * Camel's {@link CamelTestSupport} for test classes that run {@code fireflies} routes against a test server (the
 * genuine socket.io server or the simulator): a fresh CamelContext per test, as Camel's own tests have it, with a
 * {@link CapturingExceptionHandler} bound as {@code #captor}; what this adds is the server, started once per class by
 * {@link #startServer()} and shared by its tests. The context is not started for the test: a test adds its routes,
 * sets what must be set before a start, then starts it. JMX stays on and a stop may take as long as outside tests, so
 * the consumers behave as in an application. When the server cannot start here (no Node.js outside CI), every test is
 * reported as skipped, with the reason.
 *
 * @param <S> the kind of server
 */
public abstract class LiveRouteTestSupport<S extends FirefliesTestServer> extends CamelTestSupport {

    // the server of the test class that runs now (JUnit runs a class's tests one after another)
    private static FirefliesTestServer classServer;
    private static Class<?> serverClass;
    private static String unavailable;

    protected S server;
    protected final CapturingExceptionHandler errors = new CapturingExceptionHandler();

    /** Starts the server under test (once per class). */
    protected abstract S startServer() throws Exception;

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withAutoStartContext(false).withJMX(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.withShutdownTimeout(45); // Camel's default outside tests: the consumers' own stop rules apply
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        registry.bind("captor", errors);
    }

    @BeforeEach
    @SuppressWarnings("unchecked")
    void serverOfThisClass() throws Exception {
        if (serverClass != getClass()) {
            closeServer();
            serverClass = getClass();
            try {
                classServer = startServer();
            } catch (TestAbortedException e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> "Skipped: " + unavailable);
        server = (S) classServer;
    }

    @AfterAll
    static void closeServer() {
        if (classServer != null) {
            classServer.close();
        }
        classServer = null;
        serverClass = null;
        unavailable = null;
    }

    /** A fresh transcript id, so tests never see each other's events. */
    protected static String newTranscriptId() {
        return "t-" + UUID.randomUUID();
    }
}
