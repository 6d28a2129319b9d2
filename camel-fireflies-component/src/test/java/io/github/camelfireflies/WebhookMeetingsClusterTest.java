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

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.simulator.WebhookDelivery;
import io.github.camelfireflies.testsupport.PlatformHttp;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of {@code webhook:fireflies:meetings} (two CamelContexts, each behind its own webhook URL, sharing a
 * file-lock cluster service), polling off; the simulator delivers every webhook to both, the same bytes. A meeting
 * started by its {@code meeting.bot_joined} is streamed by one of them only, each segment routed once, and both let it
 * go when it ends.
 */
class WebhookMeetingsClusterTest extends CamelTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "whsec-cluster-" + Long.toHexString(System.nanoTime());
    private static final String KEY = "sim-key-cluster";

    /** "instance|event|text" of every exchange of both instances. */
    private final Queue<String> seen = new ConcurrentLinkedQueue<>();
    private Path clusterRoot;
    private int portA;
    private int portB;
    private FirefliesSimulator sim;
    private CamelContext b;

    /** Four segments over two seconds, then the end. */
    private static MeetingScript allHands() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            b.append("{\"at_ms\":").append(300 + i * 500).append(",\"event\":\"transcription.broadcast\",\"data\":{")
                    .append("\"chunk_id\":\"a").append(i).append("\",\"speaker_name\":\"Speaker ").append(i % 2)
                    .append("\",\"text\":\"Point ").append(i).append("\",\"start_time\":").append(i)
                    .append(",\"end_time\":").append(i + 0.5).append("}}\n");
        }
        b.append("{\"at_ms\":2600,\"action\":\"end\"}");
        return MeetingScript.parse(b.toString(), "all-hands");
    }

    private static FileLockClusterService cluster(String name, Path root) {
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId("file-" + name);
        cluster.setRoot(root.toString());
        cluster.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
        cluster.setAcquireLockInterval(200, TimeUnit.MILLISECONDS);
        return cluster;
    }

    private static void serve(CamelContext context, int port) throws Exception {
        PlatformHttp.serve(context, port);
    }

    private RouteBuilder route(String instance) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("webhook:fireflies:meetings?webhookSecret=RAW(" + SECRET + ")&webhookAutoRegister=false"
                     + "&webhookComponentName=platform-http&pollInterval=0&url=" + sim.url() + "&apiKey=RAW(" + KEY
                     + ")&events=transcription.broadcast,meeting.started,meeting.ended&emit=final&finalizeAfter=200")
                        .routeId("meetings-" + instance)
                        .process(e -> {
                            Object body = e.getMessage().getBody();
                            seen.add(instance + "|" + e.getMessage().getHeader(FirefliesConstants.EVENT) + "|"
                                     + (body instanceof TranscriptionEvent t ? t.text() : ""));
                        });
            }
        };
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        clusterRoot = Files.createTempDirectory("fireflies-webhook-cluster");
        portA = PlatformHttp.freeLoopbackPort();
        portB = PlatformHttp.freeLoopbackPort();
        sim = FirefliesSimulator.builder()
                .apiKey(KEY)
                .defaultMeeting(allHands())
                .webhook(List.of(URI.create("http://127.0.0.1:" + portA + "/fireflies/meetings"),
                        URI.create("http://127.0.0.1:" + portB + "/fireflies/meetings")), SECRET)
                .transcriptReadyDelay(Duration.ofMillis(300))
                .start();
        CamelContext a = super.createCamelContext();
        a.getCamelContextExtension().setName("instance-a");
        a.addService(cluster("a", clusterRoot));
        serve(a, portA);
        return a;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return route("a");
    }

    @Override
    protected void doPostSetup() throws Exception {
        b = new DefaultCamelContext();
        b.getCamelContextExtension().setName("instance-b");
        b.addService(cluster("b", clusterRoot));
        serve(b, portB);
        b.addRoutes(route("b"));
        b.start();
    }

    @Override
    protected void doPostTearDown() throws Exception {
        context.stop();
        if (b != null) {
            b.stop();
        }
        if (sim != null) {
            sim.close();
        }
        try (var files = Files.walk(clusterRoot)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private long count(String event) {
        return seen.stream().filter(s -> s.contains("|" + event + "|")).count();
    }

    @Test
    void twoInstancesBehindTheSameDeliveriesStreamTheMeetingOnce() throws Exception {
        AtomicInteger most = new AtomicInteger();
        sim.startMeeting("all-hands", "All hands", "ceo@example.com"); // meeting.bot_joined, to both instances
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> sim.subscribers("all-hands") == 1);
        Instant live = Instant.now();
        // the fan-out sends to one URL after the other: the second delivery may be recorded after the subscription
        List<WebhookDelivery> joined = await().atMost(WAIT).until(() -> sim.webhookDeliveries().stream()
                .filter(d -> WebhookEvent.MEETING_BOT_JOINED.equals(d.event())).toList(), l -> l.size() == 2);
        assertThat(joined).allSatisfy(d -> assertThat(d.status()).isEqualTo(200));
        assertThat(joined.get(0).body()).isEqualTo(joined.get(1).body());
        long followedMs = Duration.between(joined.get(0).sentAt(), live).toMillis();
        System.out.printf("webhook:fireflies:meetings, two instances, file-lock cluster (lock delay 100 ms): subscribed"
                          + " %d ms after meeting.bot_joined went out%n", followedMs);
        assertThat(followedMs).as("cold, lock delay included; tolerance for a loaded machine").isLessThan(3000);

        // until the meeting is over: never two subscribers
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            most.accumulateAndGet(sim.subscribers("all-hands"), Math::max);
            return count("meeting.ended") == 1;
        });
        assertThat(most.get()).isEqualTo(1);
        assertThat(count("transcription.broadcast")).isEqualTo(4);
        assertThat(seen.stream().filter(s -> s.contains("|transcription.broadcast|")).map(s -> s.split("\\|")[2]))
                .containsExactly("Point 0", "Point 1", "Point 2", "Point 3");
        // one instance did it all
        assertThat(seen.stream().map(s -> s.substring(0, 1)).distinct()).hasSize(1);
        assertThat(count("meeting.started")).isEqualTo(1);

        // meeting.transcribed reaches both: nobody follows the meeting any more, nobody took it over
        await().atMost(WAIT).until(() -> sim.webhookDeliveries().stream()
                .filter(d -> WebhookEvent.MEETING_TRANSCRIBED.equals(d.event()) && d.status() == 200).count() == 2);
        await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> sim.subscribers("all-hands") == 0);
        assertThat(sim.connectAttempts("all-hands")).isEqualTo(1);
        assertThat(sim.graphqlRequests("active_meetings")).isZero();
    }
}
