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

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.FirefliesException;
import io.github.camelfireflies.api.FirefliesException.BackfillException;
import io.github.camelfireflies.testsupport.LiveRouteTestSupport;
import io.github.camelfireflies.testsupport.LogCapture;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.BridgeExceptionHandlerToErrorHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Expected failures are one log line each, naming the meeting and what to do, without a stack trace; unexpected ones
 * keep Camel's WARN with the trace; a user's exceptionHandler or bridgeErrorHandler gets every failure instead.
 * Counted on the test JVM's real log output (slf4j-simple), against the genuine socket.io server.
 */
class FirefliesExceptionHandlerTest extends LiveRouteTestSupport<NodeSocketIoServer> {

    private static final Duration AWAIT = Duration.ofSeconds(15);

    @Override
    protected NodeSocketIoServer startServer() {
        return NodeSocketIoServer.start();
    }

    private LiveConsumer start(String routeId, String tid, String key, String extra, RouteBuilder more) throws Exception {
        String uri = "fireflies:live?transcriptId=" + tid + "&apiKey=RAW(" + key + ")&url=" + server.url() + "&path="
                     + server.path() + extra;
        if (more != null) {
            context.addRoutes(more);
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).to("mock:" + routeId);
            }
        });
        context.start();
        return (LiveConsumer) context.getRoute(routeId).getConsumer();
    }

    /** The SecretLeakTest's JVM runs every test named by -Dtest with DEBUG on: the trace is then logged at DEBUG. */
    private static final boolean DEBUG = org.slf4j.LoggerFactory.getLogger(LiveConsumer.class).isDebugEnabled();

    private static void assertNoStackTraceAboveDebug(LogCapture log) {
        if (DEBUG) {
            assertThat(log.linesContaining(" DEBUG ").stream().filter(l -> l.contains("Stack trace of:"))).isNotEmpty();
        } else {
            assertThat(log.stackTraceLines()).as(log.text()).isEmpty();
        }
    }

    private static List<String> warnings(LogCapture log, String text) {
        return log.linesContaining(text).stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
    }

    @Test
    void aRejectedKeyIsOneWarnLineWithTheTranscriptIdAndWhatToDoAndNoStackTrace() throws Exception {
        String tid = "t-" + UUID.randomUUID();
        String key = "wrong-" + UUID.randomUUID();
        try (LogCapture log = LogCapture.start()) {
            LiveConsumer consumer = start("rejected", tid, key, "", null);
            assertThat(consumer.getExceptionHandler()).isInstanceOf(FirefliesExceptionHandler.class);
            await().atMost(AWAIT).until(() -> consumer.getFatalError() != null);
            await().atMost(AWAIT).until(() -> !warnings(log, tid).isEmpty());
            context.stop();

            List<String> warnings = warnings(log, tid);
            assertThat(warnings).as(log.text()).singleElement().satisfies(l -> assertThat(l)
                    .contains(" WARN ", "Authentication failed for transcript " + tid, "Set a valid apiKey",
                            "restart the route"));
            assertNoStackTraceAboveDebug(log);
            assertThat(log.text()).doesNotContain(key);
        }
    }

    @Test
    void aUsersExceptionHandlerGetsTheFailureAndNothingIsLoggedTwice() throws Exception {
        String tid = "t-" + UUID.randomUUID();
        try (LogCapture log = LogCapture.start()) {
            LiveConsumer consumer = start("own-handler", tid, "wrong-" + UUID.randomUUID(), "&exceptionHandler=#captor",
                    null);
            await().atMost(AWAIT).until(() -> errors.errors().size() == 1);
            assertThat(errors.errors().get(0)).isInstanceOf(FirefliesException.AuthenticationException.class);
            assertThat(consumer.getExceptionHandler()).isSameAs(errors);
            context.stop();
            assertThat(warnings(log, tid)).as(log.text()).isEmpty();
        }
    }

    @Test
    void bridgeErrorHandlerRoutesTheFailureToTheRoutesErrorHandler() throws Exception {
        String tid = "t-" + UUID.randomUUID();
        RouteBuilder dead = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dead").routeId("dead").to("mock:dead");
            }
        };
        context.getCamelContextExtension().setErrorHandlerFactory(
                new org.apache.camel.builder.DeadLetterChannelBuilder("direct:dead"));
        try (LogCapture log = LogCapture.start()) {
            LiveConsumer consumer = start("bridged", tid, "wrong-" + UUID.randomUUID(), "&bridgeErrorHandler=true", dead);
            assertThat(consumer.getExceptionHandler()).isInstanceOf(BridgeExceptionHandlerToErrorHandler.class);
            MockEndpoint mock = context.getEndpoint("mock:dead", MockEndpoint.class);
            mock.expectedMessageCount(1);
            mock.assertIsSatisfied(AWAIT.toMillis());
            Exchange e = mock.getReceivedExchanges().get(0);
            assertThat(e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))
                    .isInstanceOf(FirefliesException.AuthenticationException.class);
            context.stop();
            assertThat(warnings(log, "Authentication failed for transcript " + tid)).as(log.text()).isEmpty();
        }
    }

    @Test
    void anUnexpectedFailureKeepsCamelsWarnWithTheStackTrace() {
        FirefliesExceptionHandler handler = new FirefliesExceptionHandler(context, LiveConsumer.class);
        try (LogCapture log = LogCapture.start()) {
            handler.handleException("Routing failed", new IllegalStateException("a bug"));
            assertThat(warnings(log, "Routing failed")).singleElement();
            assertThat(log.text()).contains("IllegalStateException: a bug");
            assertThat(log.stackTraceLines()).isNotEmpty();
        }
    }

    @Test
    void expectedFailuresAreTold() {
        assertThat(FirefliesExceptionHandler.classify(new FirefliesException.AuthenticationException("t", "no")).level())
                .isEqualTo(LoggingLevel.WARN);
        assertThat(FirefliesExceptionHandler.classify(new BackfillException("t", BackfillException.Reason.NOT_LIVE,
                "not live", null)).level()).isEqualTo(LoggingLevel.INFO);
        assertThat(FirefliesExceptionHandler.classify(new BackfillException("t",
                BackfillException.Reason.RATE_LIMITED, "429", null)).level()).isEqualTo(LoggingLevel.WARN);
        assertThat(FirefliesExceptionHandler.classify(new GraphQLException.RateLimitedException("429", 429,
                "too_many_requests", Duration.ofSeconds(3))).hint()).contains("Pro: 500 a day");
        assertThat(FirefliesExceptionHandler.classify(new GraphQLException.AuthenticationException("401", 401, null)))
                .isNotNull();
        // a backfill that failed on a bug, and anything else, is not expected
        assertThat(FirefliesExceptionHandler.classify(new BackfillException("t", BackfillException.Reason.FAILED,
                "npe", new NullPointerException()))).isNull();
        assertThat(FirefliesExceptionHandler.classify(new IllegalArgumentException())).isNull();
    }

    @Test
    void aBackfillThatFindsTheMeetingOverIsOneInfoLine() {
        FirefliesExceptionHandler handler = new FirefliesExceptionHandler(context, LiveConsumer.class);
        try (LogCapture log = LogCapture.start()) {
            BackfillException e = new BackfillException("t-over", BackfillException.Reason.NOT_LIVE,
                    "Backfill of transcript t-over failed (NOT_LIVE): is_live is false; live events go on", null);
            handler.handleException(e.getMessage(), e);
            assertThat(log.linesContaining("t-over").stream().filter(l -> l.matches("^\\d\\d:\\d\\d.*") && !l.contains(" DEBUG ")))
                    .singleElement().satisfies(l -> assertThat(l).contains(" INFO ", "nothing to do"));
            assertNoStackTraceAboveDebug(log);
        }
    }
}
