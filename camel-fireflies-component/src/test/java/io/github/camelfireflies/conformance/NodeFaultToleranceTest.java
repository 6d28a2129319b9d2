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

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.LiveConsumer;
import io.github.camelfireflies.internal.stream.OrderedLane;
import io.github.camelfireflies.api.FirefliesException;
import io.github.camelfireflies.simulator.Shape;
import io.github.camelfireflies.testsupport.FirefliesTestServer;
import io.github.camelfireflies.testsupport.LiveRouteTestSupport;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transient and final failures against the genuine socket.io 4.8.4 server, with its fault injection: abrupt drops (FIN
 * and RST), a restart, a half-open stall, a slow route, bad frames mid-stream, server-side endings, stop during
 * backoff, suspend and resume, and many drop/reconnect cycles. The server pings every 500 ms with a 500 ms timeout,
 * so a dead connection must be noticed within about one second.
 */
class NodeFaultToleranceTest extends LiveRouteTestSupport<NodeSocketIoServer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AWAIT = Duration.ofSeconds(15);
    private static final long PING_INTERVAL = 500;
    private static final long PING_TIMEOUT = 500;

    @Override
    protected NodeSocketIoServer startServer() {
        return NodeSocketIoServer.start(NodeSocketIoServer.Options.defaults()
                .withPing(Duration.ofMillis(PING_INTERVAL), Duration.ofMillis(PING_TIMEOUT)));
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private String uri(String tid, String apiKey, String extra) {
        return "fireflies:live?transcriptId=" + tid + "&apiKey=RAW(" + apiKey + ")&url=" + server.url() + "&path="
               + server.path() + "&exceptionHandler=#captor"
               // these tests are about the connection; the fixture knows no transcript of theirs (NodeBackfillTest)
               + (extra.contains("backfill") ? "" : "&backfill=none")
               + (extra.contains("reconnectDelay") ? "" : "&reconnectDelay=100&reconnectDelayMax=500")
               + (extra.isEmpty() ? "" : "&" + extra);
    }

    private MockEndpoint route(String tid, String extra, String name) throws Exception {
        return route(tid, server.apiKey(), extra, name, false);
    }

    private MockEndpoint route(String tid, String apiKey, String extra, String name, boolean slow) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (slow) {
                    // a route that takes 2 s per exchange, on the worker thread
                    from(uri(tid, apiKey, extra)).routeId(name).delay(2000).syncDelayed().to("mock:" + name);
                } else {
                    from(uri(tid, apiKey, extra)).routeId(name).to("mock:" + name);
                }
            }
        });
        if (!context.isStarted()) {
            context.start();
        }
        return context.getEndpoint("mock:" + name, MockEndpoint.class);
    }

    private LiveConsumer consumer(String routeId) {
        return (LiveConsumer) context.getRoute(routeId).getConsumer();
    }

    private static ObjectNode chunk(String tid, String chunkId, String text) {
        ObjectNode o = JSON.createObjectNode();
        o.put("transcript_id", tid);
        o.put("chunk_id", chunkId);
        o.put("text", text);
        o.put("speaker_name", "Alice");
        o.put("start_time", 0);
        o.put("end_time", 1.5);
        return o;
    }

    private void emit(String tid, String... chunkIds) {
        List<JsonNode> events = new ArrayList<>();
        for (String c : chunkIds) {
            events.add(chunk(tid, c, "text of " + c));
        }
        server.emitTranscription(tid, events, Shape.FLAT, AWAIT);
    }

    private static List<String> chunkIds(MockEndpoint mock) {
        return mock.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getBody(TranscriptionEvent.class).chunkId()).toList();
    }

    private void awaitConnected(LiveConsumer c, long reconnects) {
        await().atMost(AWAIT).until(() -> "CONNECTED".equals(c.getConnectionState()) && c.getReconnects() == reconnects);
    }

    // ----------------------------------------------------------------------------------------------- abrupt drops

    @ParameterizedTest(name = "rst={0}")
    @ValueSource(booleans = { false, true })
    void abruptDropReconnectsAndEverythingSentAfterwardsArrivesWithTheGapMarked(boolean rst) throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, "", "drop");
        LiveConsumer c = consumer("drop");
        mock.expectedMessageCount(1);
        emit(tid, "before");
        mock.assertIsSatisfied(AWAIT.toMillis());

        assertThat(server.dropConnections(tid, rst)).isEqualTo(1);
        awaitConnected(c, 1);
        mock.reset();
        mock.expectedMessageCount(10);
        emit(tid, "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9");
        mock.assertIsSatisfied(AWAIT.toMillis());

        assertThat(chunkIds(mock)).containsExactly("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9");
        Exchange first = mock.getReceivedExchanges().get(0);
        assertThat(first.getMessage().getHeader(FirefliesConstants.RECONNECTED)).isEqualTo(Boolean.TRUE);
        assertThat(first.getMessage().getHeader(FirefliesConstants.GAP_MILLIS)).isInstanceOf(Long.class);
        assertThat(first.getMessage().getHeader(FirefliesConstants.GAP_MILLIS, Long.class)).isBetween(0L, 10_000L);
        assertThat(mock.getReceivedExchanges().subList(1, 10))
                .allSatisfy(e -> assertThat(e.getMessage().getHeader(FirefliesConstants.RECONNECTED)).isNull());
        assertThat(server.connectAttempts(tid)).isEqualTo(2); // every connect authenticates again
        assertThat(c.getReconnects()).isEqualTo(1);
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void withEveryEventTheLifecycleExchangeAfterAReconnectCarriesTheGap() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, "events=*", "star");
        LiveConsumer c = consumer("star");
        mock.expectedMessageCount(2); // auth.success, connection.established
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(mock.getReceivedExchanges())
                .allSatisfy(e -> assertThat(e.getMessage().getHeader(FirefliesConstants.RECONNECTED)).isNull());

        mock.reset();
        mock.expectedMessageCount(2);
        server.dropConnections(tid, false);
        awaitConnected(c, 1);
        mock.assertIsSatisfied(AWAIT.toMillis());
        List<Exchange> got = mock.getReceivedExchanges();
        assertThat(got).extracting(e -> e.getMessage().getHeader(FirefliesConstants.EVENT))
                .containsExactly("auth.success", "connection.established");
        assertThat(got.get(0).getMessage().getHeader(FirefliesConstants.RECONNECTED)).isEqualTo(Boolean.TRUE);
        assertThat(got.get(0).getMessage().getHeader(FirefliesConstants.GAP_MILLIS)).isInstanceOf(Long.class);
        assertThat(got.get(1).getMessage().getHeader(FirefliesConstants.RECONNECTED)).isNull();
    }

    @Test
    void serverRestartIsSurvivedAndTheGapCoversTheDowntime() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, "", "restart");
        LiveConsumer c = consumer("restart");
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);

        server.restart(Duration.ofMillis(1500)); // returns once it listens again
        awaitConnected(c, 1);
        mock.expectedMessageCount(3);
        emit(tid, "r0", "r1", "r2");
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(chunkIds(mock)).containsExactly("r0", "r1", "r2");
        long gap = mock.getReceivedExchanges().get(0).getMessage().getHeader(FirefliesConstants.GAP_MILLIS, Long.class);
        assertThat(gap).isBetween(1000L, 15_000L);
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void halfOpenStallIsDetectedWithinPingIntervalPlusPingTimeoutAndResumed() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, "", "stall");
        LiveConsumer c = consumer("stall");
        awaitConnected(c, 0);
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);

        assertThat(server.stall(tid)).isEqualTo(1);
        long slack = 1500; // timer granularity, reconnect delay (100 ms +-50%), a busy 2-core machine
        await().atMost(Duration.ofMillis(PING_INTERVAL + PING_TIMEOUT + slack)).pollInterval(Duration.ofMillis(20))
                .until(() -> c.getReconnects() == 1 || c.getFailedAttempts() > 0
                             || !"CONNECTED".equals(c.getConnectionState()));
        awaitConnected(c, 1);
        // declared dead by the watchdog, and only after pingInterval + pingTimeout without a frame (its own measure)
        Matcher noData = Pattern.compile("No data for (\\d+) ms").matcher(c.getLastError());
        assertThat(noData.find()).as(c.getLastError()).isTrue();
        assertThat(Long.parseLong(noData.group(1))).isGreaterThanOrEqualTo(PING_INTERVAL + PING_TIMEOUT);

        mock.expectedMessageCount(2);
        emit(tid, "s0", "s1");
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(mock.getReceivedExchanges().get(0).getMessage().getHeader(FirefliesConstants.RECONNECTED))
                .isEqualTo(Boolean.TRUE);
    }

    // ----------------------------------------------------------------------------------------------- final outcomes

    @Test
    void badKeyMakesExactlyOneAttemptInTenSeconds() throws Exception {
        String tid = newTranscriptId();
        String badKey = "bad-" + UUID.randomUUID();
        route(tid, badKey, "", "badkey", false);
        LiveConsumer c = consumer("badkey");
        await().atMost(AWAIT).until(() -> !errors.errors().isEmpty());
        assertThat(errors.errors().get(0)).isInstanceOf(FirefliesException.AuthenticationException.class);
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12))
                .until(() -> server.connectAttempts(tid) == 1);
        assertThat(c.getConnectionState()).isEqualTo("FAILED");
        assertThat(errors.errors()).hasSize(1);
        assertThat(errors.allText()).doesNotContain(badKey);
    }

    @Test
    void serverDisconnectEndsTheSubscriptionAndSaysSo() throws Exception {
        String tid = newTranscriptId();
        route(tid, "", "ended");
        LiveConsumer c = consumer("ended");
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);

        server.disconnect(tid);
        // the meeting is over: no error, but the state and the health check say so, and nothing reconnects
        await().atMost(AWAIT).until(() -> "ENDED".equals(c.getConnectionState()));
        assertThat(c.getLastError()).contains("Server ended the session");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> server.connectAttempts(tid) == 1);
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void connectionErrorBacksOffRatherThanLooping() throws Exception {
        String tid = FirefliesTestServer.UNKNOWN_TRANSCRIPT;
        int before = server.connectAttempts(tid);
        // 200 ms doubling to at most 1000 ms: about 5 attempts in 3 s; a tight loop would make hundreds
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("fireflies:live?transcriptId=" + tid + "&apiKey=RAW(" + server.apiKey() + ")&url=" + server.url()
                     + "&path=" + server.path() + "&exceptionHandler=#captor&reconnectDelay=200&reconnectDelayMax=1000"
                     + "&backfill=none")
                        .routeId("unknown").to("mock:unknown");
            }
        });
        context.start();
        LiveConsumer c = consumer("unknown");
        await().atMost(AWAIT).until(() -> c.getFailedAttempts() >= 2); // not reset by the CONNECT ack
        await().atMost(AWAIT).until(() -> server.connectAttempts(tid) - before >= 3);
        context.getRouteController().stopRoute("unknown");
        int attempts = server.connectAttempts(tid) - before;
        assertThat(attempts).isBetween(3, 15);
        assertThat(errors.errors()).isNotEmpty()
                .allSatisfy(e -> assertThat(e).hasMessageContaining("connection.error"));
    }

    // ----------------------------------------------------------------------------------------------- load and data

    @Test
    void slowRouteKeepsTheConnection() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, server.apiKey(), "", "slow", true);
        LiveConsumer c = consumer("slow");
        mock.expectedMessageCount(3);
        emit(tid, "w0", "w1", "w2"); // 6 s of routing, twelve ping intervals
        mock.assertIsSatisfied(Duration.ofSeconds(30).toMillis());
        assertThat(chunkIds(mock)).containsExactly("w0", "w1", "w2");
        assertThat(c.getReconnects()).isZero();
        assertThat(c.getFailedAttempts()).isZero();
        assertThat(c.getConnectionState()).isEqualTo("CONNECTED");
        assertThat(server.connectAttempts(tid)).isEqualTo(1);
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void malformedAndOneMebibyteFramesMidStreamKeepTheConnection() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, "", "mixed");
        LiveConsumer c = consumer("mixed");
        StringBuilder big = new StringBuilder(1 << 20);
        while (big.length() < (1 << 20)) {
            big.append("All work and no play makes Jack a dull boy. ");
        }
        big.setLength(1 << 20);
        mock.expectedMessageCount(4);
        emit(tid, "m0");
        server.emitRawFrame(tid, "42[\"transcription.broadcast\",{\"chunk_id\":", AWAIT);
        server.emitRawFrame(tid, "9nonsense", AWAIT);
        server.emitTranscription(tid, List.of(chunk(tid, "big", big.toString())), Shape.FLAT, AWAIT);
        server.emitRawFrame(tid, "42[\"transcription.broadcast\",\"" + "x".repeat(1 << 20) + "\"]", AWAIT);
        emit(tid, "m1", "m2");
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(chunkIds(mock)).containsExactly("m0", "big", "m1", "m2");
        assertThat(mock.getReceivedExchanges().get(1).getMessage().getBody(TranscriptionEvent.class).text())
                .isEqualTo(big.toString());
        await().atMost(AWAIT).until(() -> errors.errors().size() >= 3);
        assertThat(errors.errors()).hasSize(3)
                .allSatisfy(e -> assertThat(e).isInstanceOf(FirefliesException.MalformedEventException.class));
        assertThat(c.getReconnects()).isZero();
        assertThat(server.connectAttempts(tid)).isEqualTo(1);
    }

    @Test
    void byDefaultAFullQueueSlowsTheReaderAndLosesNothing() throws Exception {
        String tid = newTranscriptId();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // 5 ms an exchange: the queue of 5 fills and the reader waits about 5 ms for each slot (under the
                // 250 ms stall limit that this server's 500 ms pingTimeout gives); the whole backlog takes 200 ms, so
                // a PING queued behind it is still answered within the pingTimeout
                from(uri(tid, server.apiKey(), "queueSize=5")).routeId("paced").delay(5).syncDelayed().to("mock:paced");
            }
        });
        context.start();
        LiveConsumer c = consumer("paced");
        MockEndpoint mock = context.getEndpoint("mock:paced", MockEndpoint.class);
        String[] ids = new String[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "b" + i;
        }
        mock.expectedMessageCount(ids.length);
        emit(tid, ids);
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(chunkIds(mock)).containsExactly(ids);
        assertThat(c.getEventsDropped()).isZero();
        assertThat(c.getRouteStalls()).isZero();
        assertThat(c.getReconnects()).isZero();
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void aRouteThatStallsTheReaderPastTheLimitLetsTheConnectionGoKeepsTheEventAndReconnects() throws Exception {
        String tid = newTranscriptId();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the queue's stall: routed on the workers, so that the reader goes on reading into the queue
                from(uri(tid, server.apiKey(), "queueSize=3&routeOnReader=false")).routeId("stuck")
                        .process(e -> {
                            if ("s0".equals(e.getMessage().getBody(TranscriptionEvent.class).chunkId())) {
                                entered.countDown();
                                // bounded: the test releases it long before
                                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                            }
                        })
                        .to("mock:stuck");
            }
        });
        context.start();
        LiveConsumer c = consumer("stuck");
        MockEndpoint mock = context.getEndpoint("mock:stuck", MockEndpoint.class);
        emit(tid, "s0");
        assertThat(entered.await(AWAIT.toSeconds(), TimeUnit.SECONDS)).isTrue(); // s0 holds the route
        emit(tid, "s1", "s2", "s3", "s4", "s5", "s6"); // 3 fit, the reader waits on s4
        // past 250 ms (half the 500 ms pingTimeout) the reader lets the connection go, keeping s4, and says so at once
        await().atMost(AWAIT).until(() -> c.getRouteStalls() >= 1);
        await().atMost(AWAIT).until(() -> !errors.errors().isEmpty());
        assertThat(release.getCount()).as("reported while the route is still stuck").isEqualTo(1);
        assertThat(errors.errors().get(0)).isInstanceOf(FirefliesException.RouteStalledException.class);
        assertThat(errors.messages().get(0)).contains("more than 250 ms").contains("queueSize=3")
                .contains("overflowPolicy=BLOCK");
        // the connection was let go before the server's heartbeat deadline, and a reconnect follows
        await().atMost(AWAIT).until(() -> server.connectAttempts(tid) >= 2);
        release.countDown();
        await().atMost(AWAIT).until(() -> "CONNECTED".equals(c.getConnectionState()) && c.getReconnects() >= 1);
        await().atMost(AWAIT).until(() -> mock.getReceivedCounter() >= 5);
        // what was read is routed in order, the kept s4 included; nothing was dropped from the queue (s5 and s6 were
        // sent on the connection that was let go: gap healing is backfill's job, see NodeBackfillTest)
        assertThat(chunkIds(mock)).startsWith("s0", "s1", "s2", "s3", "s4");
        assertThat(c.getEventsDropped()).isZero();
        emit(tid, "s7");
        await().atMost(AWAIT).until(() -> chunkIds(mock).contains("s7"));
        assertThat(c.getConnectionState()).isEqualTo("CONNECTED");
    }

    @Test
    void aRouteThatKeepsTheReaderPastTheLimitWithOneEventLetsTheConnectionGoAndReconnects() throws Exception {
        String tid = newTranscriptId();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the default routeOnReader=true: a quick route runs on the reader, so s0 holds the reader itself
                from(uri(tid, server.apiKey(), "queueSize=3")).routeId("stuckReader")
                        .process(e -> {
                            threads.add(Thread.currentThread().getName());
                            if ("r0".equals(e.getMessage().getBody(TranscriptionEvent.class).chunkId())) {
                                entered.countDown();
                                // bounded: the test releases it long before
                                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                            }
                        })
                        .to("mock:stuckReader");
            }
        });
        context.start();
        LiveConsumer c = consumer("stuckReader");
        MockEndpoint mock = context.getEndpoint("mock:stuckReader", MockEndpoint.class);
        // quick exchanges until the route has proven quick (QUICK_STREAK in a row on the workers); bounded
        int sent = 0;
        while (sent < 20 * OrderedLane.QUICK_STREAK && (sent == 0 || !threads.get(sent - 1).startsWith("FirefliesJetty"))) {
            String[] batch = new String[16];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = "q" + (sent + i);
            }
            emit(tid, batch);
            int expected = sent += batch.length;
            await().atMost(AWAIT).until(() -> mock.getReceivedCounter() == expected);
        }
        int quick = sent;
        assertThat(threads.get(0)).as("first on the workers").contains("FirefliesWorker");
        assertThat(threads.get(quick - 1)).as("then, proven quick, on the reader").startsWith("FirefliesJetty");
        assertThat(quick).isGreaterThanOrEqualTo(OrderedLane.QUICK_STREAK);
        emit(tid, "r0");
        assertThat(entered.await(AWAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // past 250 ms (half the 500 ms pingTimeout) the watchdog lets the connection go and says so at once
        await().atMost(AWAIT).until(() -> c.getRouteStalls() >= 1);
        await().atMost(AWAIT).until(() -> !errors.errors().isEmpty());
        assertThat(release.getCount()).as("reported while the route is still stuck").isEqualTo(1);
        assertThat(errors.errors().get(0)).isInstanceOf(FirefliesException.RouteStalledException.class);
        assertThat(errors.messages().get(0)).contains("busy more than 250 ms").contains("routeOnReader=true");
        // a reconnect follows while the route is still stuck: the reader's thread is not needed for it
        await().atMost(AWAIT).until(() -> server.connectAttempts(tid) >= 2);
        await().atMost(AWAIT).until(() -> "CONNECTED".equals(c.getConnectionState()) && c.getReconnects() >= 1);
        emit(tid, "r1"); // on the new connection, while r0 is still routed: it waits for the route
        await().atMost(AWAIT).until(() -> c.getQueuedEvents() == 1);
        assertThat(mock.getReceivedCounter()).isEqualTo(quick);
        release.countDown();
        await().atMost(AWAIT).until(() -> chunkIds(mock).contains("r1"));
        assertThat(chunkIds(mock)).endsWith("r0", "r1").hasSize(quick + 2);
        assertThat(threads.get(quick + 1)).as("after a slow exchange the next ones go to the workers")
                .contains("FirefliesWorker");
        assertThat(c.getEventsDropped()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "DROP_OLDEST", "DROP_NEWEST" })
    void aFullQueueDropsByPolicyAndCountsAndReportsEveryDrop(String policy) throws Exception {
        String tid = newTranscriptId();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(tid, server.apiKey(), "queueSize=5&overflowPolicy=" + policy)).routeId("full")
                        .process(e -> {
                            entered.countDown();
                            // bounded: the test releases it long before
                            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                        })
                        .to("mock:full");
            }
        });
        context.start();
        LiveConsumer c = consumer("full");
        MockEndpoint mock = context.getEndpoint("mock:full", MockEndpoint.class);
        emit(tid, "c0");
        assertThat(entered.await(AWAIT.toSeconds(), TimeUnit.SECONDS)).isTrue(); // c0 holds the route
        String[] more = new String[20];
        for (int i = 0; i < 20; i++) {
            more[i] = "c" + (i + 1);
        }
        emit(tid, more); // 5 fit, 15 are dropped
        await().atMost(AWAIT).until(() -> c.getEventsDropped() == 15);
        assertThat(c.getQueuedEvents()).isEqualTo(5);
        mock.expectedMessageCount(6);
        release.countDown();
        mock.assertIsSatisfied(AWAIT.toMillis());

        assertThat(chunkIds(mock)).containsExactlyElementsOf("DROP_OLDEST".equals(policy)
                ? List.of("c0", "c16", "c17", "c18", "c19", "c20")
                : List.of("c0", "c1", "c2", "c3", "c4", "c5"));
        await().atMost(AWAIT).until(() -> !errors.errors().isEmpty());
        assertThat(errors.errors()).allSatisfy(
                e -> assertThat(e).isInstanceOf(FirefliesException.BufferOverflowException.class));
        long reported = errors.messages().stream()
                .mapToLong(m -> Long.parseLong(m.replaceFirst("^Dropped (\\d+) event.*", "$1"))).sum();
        assertThat(reported).as("drops reported through the exception handler").isEqualTo(15);
        assertThat(errors.messages().get(errors.messages().size() - 1)).contains("15 dropped in all")
                .contains("queueSize=5").contains(policy);
        assertThat(c.getReconnects()).isZero();
    }

    // ----------------------------------------------------------------------------------------------- lifecycle

    @Test
    void stopDuringBackoffNeverConnectsAgain() throws Exception {
        String tid = newTranscriptId();
        route(tid, "reconnectDelay=2000&reconnectDelayMax=2000&randomizationFactor=0", "backoff");
        LiveConsumer c = consumer("backoff");
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);
        server.dropConnections(tid, true);
        await().atMost(AWAIT).until(() -> "RECONNECT_WAIT".equals(c.getConnectionState()));
        assertThat(server.connectAttempts(tid)).isEqualTo(1);

        context.getRouteController().stopRoute("backoff");
        assertThat(c.getConnectionState()).isEqualTo("STOPPED");
        // the reconnect was due 2 s after the drop: wait well past it
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> server.connectAttempts(tid) == 1 && server.subscribers(tid) == 0);
    }

    @Test
    void stopSendsDisconnectAndClosesTheSocket() throws Exception {
        String tid = newTranscriptId();
        route(tid, "", "stop");
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);
        int engineBefore = server.state().path("engineConnections").asInt();
        context.getRouteController().stopRoute("stop");
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 0
                                          && server.state().path("engineConnections").asInt() == engineBefore - 1);
    }

    @Test
    void suspendDisconnectsAndResumeReconnects() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, "", "suspend");
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);

        context.getRouteController().suspendRoute("suspend");
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 0);
        context.getRouteController().resumeRoute("suspend");
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);
        assertThat(server.connectAttempts(tid)).isEqualTo(2);

        mock.expectedMessageCount(1);
        emit(tid, "after-resume");
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(mock.getReceivedExchanges().get(0).getMessage().getHeader(FirefliesConstants.RECONNECTED))
                .isEqualTo(Boolean.TRUE);
    }

    @Test
    void twentyDropCyclesGrowNeitherThreadsNorHeap() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, "", "cycles");
        LiveConsumer c = consumer("cycles");
        mock.expectedMessageCount(1);
        emit(tid, "warmup");
        mock.assertIsSatisfied(AWAIT.toMillis());
        // ten cycles first, so that the bounded pools (workers, connects, Tyrus' transport threads) have filled up
        for (int i = 0; i < 10; i++) {
            server.dropConnections(tid, i % 2 == 1);
            awaitConnected(c, i + 1);
            mock.reset();
            mock.expectedMessageCount(1);
            emit(tid, "warmup-" + i);
            mock.assertIsSatisfied(AWAIT.toMillis());
        }

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();

        for (int i = 0; i < 20; i++) {
            assertThat(server.dropConnections(tid, i % 2 == 1)).as("cycle %d", i).isEqualTo(1);
            awaitConnected(c, i + 11);
            mock.reset();
            mock.expectedMessageCount(1);
            emit(tid, "cycle-" + i);
            mock.assertIsSatisfied(AWAIT.toMillis());
            assertThat(mock.getReceivedExchanges().get(0).getMessage().getHeader(FirefliesConstants.RECONNECTED))
                    .as("cycle %d", i).isEqualTo(Boolean.TRUE);
        }
        assertThat(server.connectAttempts(tid)).isEqualTo(31);

        // threads: pools are bounded and already full, so none may accumulate (idle ones may have ended meanwhile)
        await().atMost(AWAIT).untilAsserted(() -> assertThat(ManagementFactory.getThreadMXBean().getThreadCount())
                .as("new threads: %s", Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                        .map(Thread::getName).toList())
                .isLessThanOrEqualTo(threadsBefore + 2));
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        // 20 cycles with 1 MiB frame buffers would leak far more than this if connections were kept
        assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(32L * 1024 * 1024);
        assertThat(errors.errors()).isEmpty();
    }
}
