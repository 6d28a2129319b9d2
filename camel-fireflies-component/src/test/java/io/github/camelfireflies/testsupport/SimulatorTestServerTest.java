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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.internal.socketio.PacketCodec;
import io.github.camelfireflies.simulator.Shape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator behind {@link FirefliesTestServer}, seen by a raw WebSocket client. */
class SimulatorTestServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void speaksTheTestServerInterface() throws Exception {
        try (SimulatorTestServer server = SimulatorTestServer.start()) {
            FirefliesTestServer s = server;
            assertThat(s.url()).startsWith("ws://127.0.0.1:");
            assertThat(s.path()).isEqualTo("/ws/realtime");
            assertThatThrownBy(() -> s.emitEvent("m", "x", List.of(), Duration.ofMillis(100)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("m");
            try (NodeSocketIoServerTest.RawClient c = NodeSocketIoServerTest.RawClient.connected(s, "m")) {
                assertThat(s.subscribers("m")).isEqualTo(1);
                assertThat(s.connectAttempts("m")).isEqualTo(1);
                assertThat(s.emitTranscription("m", List.of(PacketCodec.mapper().readTree("{\"text\":\"a\"}")),
                        Shape.DATA, WAIT)).isEqualTo(1);
                assertThat(c.nextText()).isEqualTo("42[\"transcription.broadcast\",{\"data\":{\"text\":\"a\"}}]");
                s.disconnect("m");
                assertThat(c.nextText()).isEqualTo("41");
            }
        }
    }

    @Test
    void emitWaitsForALateSubscriber() throws Exception {
        try (SimulatorTestServer server = SimulatorTestServer.start()) {
            CompletableFuture<Integer> emitted = CompletableFuture.supplyAsync(
                    () -> server.emitEvent("late", "hello", List.of(), WAIT));
            try (NodeSocketIoServerTest.RawClient c = NodeSocketIoServerTest.RawClient.connected(server, "late")) {
                assertThat(emitted.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1);
                assertThat(c.nextText()).isEqualTo("42[\"hello\"]");
            }
        }
    }
}
