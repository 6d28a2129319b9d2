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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.testsupport.CapturingExceptionHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two CamelContexts ("instances") share a file-lock cluster service: each meeting is streamed by exactly one of them,
 * and when one stops the other takes its meetings over.
 */
class DiscoveryClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> MEETINGS = List.of("k-1", "k-2", "k-3", "k-4");
    private static final int PER_ROUND = 5;

    @TempDir
    Path clusterRoot;

    private FirefliesSimulator sim;
    private final List<CamelContext> contexts = new ArrayList<>();
    /** "instance|transcriptId|chunkId" of every exchange, from both instances. */
    private final Queue<String> received = new ConcurrentLinkedQueue<>();
    private final CapturingExceptionHandler errors = new CapturingExceptionHandler();

    @AfterEach
    void tearDown() {
        contexts.forEach(CamelContext::stop);
        if (sim != null) {
            sim.close();
        }
    }

    private MeetingsConsumer instance(String name) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName(name);
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId("file-" + name);
        cluster.setRoot(clusterRoot.toString());
        cluster.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
        cluster.setAcquireLockInterval(200, TimeUnit.MILLISECONDS);
        ctx.addService(cluster);
        ctx.getRegistry().bind("capture", errors);
        String uri = "fireflies:meetings?url=" + sim.url() + "&graphqlUrl=" + sim.graphqlUrl() + "&apiKey=RAW("
                     + sim.apiKey() + ")&exceptionHandler=#capture&pollInterval=200";
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("discovery").process(e -> received.add(name + "|"
                                                                           + e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID)
                                                                           + "|" + e.getMessage().getHeader(FirefliesConstants.CHUNK_ID)));
            }
        });
        ctx.start();
        contexts.add(ctx);
        return (MeetingsConsumer) ctx.getRoute("discovery").getConsumer();
    }

    private boolean eachMeetingHasOneSubscriber() {
        return MEETINGS.stream().allMatch(m -> sim.subscribers(m) == 1);
    }

    private void emitRound(String round) {
        for (String m : MEETINGS) {
            for (int i = 0; i < PER_ROUND; i++) {
                assertThat(sim.emitTranscription(m, round + "-" + i, "Speaker", "text " + i, i, i + 1))
                        .as("subscribers of %s", m).isEqualTo(1);
            }
        }
    }

    private Set<String> keysWithoutInstance() {
        Set<String> keys = new HashSet<>();
        for (String r : received) {
            keys.add(r.substring(r.indexOf('|') + 1));
        }
        return keys;
    }

    @Test
    void everyMeetingIsStreamedByOneInstanceAndMovesWhenItsOwnerStops() throws Exception {
        FirefliesSimulator.Builder b = FirefliesSimulator.builder();
        MEETINGS.forEach(m -> b.activeMeeting(m, "Meeting " + m, "owner@example.com", Duration.ZERO, null));
        sim = b.start();

        MeetingsConsumer a = instance("a");
        MeetingsConsumer bb = instance("b");

        // both instances know every meeting; each meeting is streamed by exactly one of them
        await().atMost(WAIT).until(() -> a.getMeetingsTracked() == MEETINGS.size()
                                          && bb.getMeetingsTracked() == MEETINGS.size()
                                          && a.getMeetingsStreaming() + bb.getMeetingsStreaming() == MEETINGS.size()
                                          && eachMeetingHasOneSubscriber());
        Set<String> ownedByA = a.streamingMeetingIds();
        Set<String> ownedByB = bb.streamingMeetingIds();
        // how the meetings split depends on which instance's lock attempts come first: one instance may own all
        // of them. Whatever the split, no meeting has two owners and every meeting has one.
        assertThat(Collections.disjoint(ownedByA, ownedByB)).as("owned by a %s, by b %s", ownedByA, ownedByB).isTrue();
        Set<String> owned = new HashSet<>(ownedByA);
        owned.addAll(ownedByB);
        assertThat(owned).containsExactlyInAnyOrderElementsOf(MEETINGS);
        // connection.established is not selected; wait until every subscription is fully open before emitting
        await().atMost(WAIT).until(() -> {
            for (String m : MEETINGS) {
                if (sim.emitEvent(m, "probe") != 1) {
                    return false;
                }
            }
            return true;
        });

        emitRound("r1");
        await().atMost(WAIT).until(() -> received.size() >= MEETINGS.size() * PER_ROUND);
        assertThat(received).hasSize(MEETINGS.size() * PER_ROUND);
        assertThat(keysWithoutInstance()).hasSize(MEETINGS.size() * PER_ROUND);
        for (String r : received) {
            String instance = r.substring(0, 1);
            String meeting = r.split("\\|")[1];
            assertThat(instance.equals("a") ? ownedByA : ownedByB).as(r).contains(meeting);
        }

        // the owner of some meetings stops: the other instance takes them over
        String stopping = ownedByA.isEmpty() ? "b" : "a";
        MeetingsConsumer survivor = stopping.equals("a") ? bb : a;
        contexts.get(stopping.equals("a") ? 0 : 1).stop();
        await().atMost(WAIT).until(() -> survivor.getMeetingsStreaming() == MEETINGS.size() && eachMeetingHasOneSubscriber());
        await().atMost(WAIT).until(() -> {
            for (String m : MEETINGS) {
                if (sim.emitEvent(m, "probe") != 1) {
                    return false;
                }
            }
            return true;
        });

        int before = received.size();
        emitRound("r2");
        await().atMost(WAIT).until(() -> received.size() >= before + MEETINGS.size() * PER_ROUND);
        List<String> round2 = new ArrayList<>(received).subList(before, received.size());
        assertThat(round2).hasSize(MEETINGS.size() * PER_ROUND).allSatisfy(r -> assertThat(r).startsWith(
                stopping.equals("a") ? "b|" : "a|"));
        assertThat(keysWithoutInstance()).hasSize(2 * MEETINGS.size() * PER_ROUND);
        assertThat(errors.errors()).isEmpty();
    }
}
