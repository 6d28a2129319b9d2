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
package io.github.camelfireflies.simulator;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator's own framing, against frames written out by hand from the wire format. */
class SioFramesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void encodesWhatTheServerSends() {
        assertThat(SioFrames.open("abc", 25000, 20000, 1000000))
                .isEqualTo("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                           + "\"maxPayload\":1000000}");
        assertThat(SioFrames.connect(NODES.objectNode().put("sid", "x"))).isEqualTo("40{\"sid\":\"x\"}");
        assertThat(SioFrames.connectError("/ws/realtime", "Invalid namespace", null))
                .isEqualTo("44/ws/realtime,{\"message\":\"Invalid namespace\"}");
        assertThat(SioFrames.connectError("/", "no", NODES.objectNode().put("reason", "r")))
                .isEqualTo("44{\"message\":\"no\",\"data\":{\"reason\":\"r\"}}");
        assertThat(SioFrames.event("connection.established")).isEqualTo("42[\"connection.established\"]");
        assertThat(SioFrames.event("x", (com.fasterxml.jackson.databind.JsonNode) null)).isEqualTo("42[\"x\",null]");
        assertThat(SioFrames.event("t", NODES.objectNode().put("end_time", 1.5), NODES.numberNode(0)))
                .isEqualTo("42[\"t\",{\"end_time\":1.5},0]");
        assertThat(SioFrames.binaryEvent("bin", 1, List.of(SioFrames.placeholder(0))))
                .isEqualTo("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
    }

    @Test
    void decodesWhatAClientSends() throws Exception {
        assertThat(SioFrames.decode("3").kind()).isEqualTo(SioFrames.Kind.PONG);
        assertThat(SioFrames.decode("2").kind()).isEqualTo(SioFrames.Kind.PING);
        assertThat(SioFrames.decode("1").kind()).isEqualTo(SioFrames.Kind.CLOSE);
        assertThat(SioFrames.decode("6").kind()).isEqualTo(SioFrames.Kind.NOOP);
        SioFrames.Decoded connect = SioFrames.decode("40{\"token\":\"Bearer k\",\"transcriptId\":\"t\"}");
        assertThat(connect.kind()).isEqualTo(SioFrames.Kind.CONNECT);
        assertThat(connect.namespace()).isEqualTo("/");
        assertThat(connect.payload().get("transcriptId").asText()).isEqualTo("t");
        SioFrames.Decoded other = SioFrames.decode("40/ws/realtime,{\"token\":\"x\"}");
        assertThat(other.namespace()).isEqualTo("/ws/realtime");
        assertThat(SioFrames.decode("40").payload()).isNull();
        assertThat(SioFrames.decode("41").kind()).isEqualTo(SioFrames.Kind.DISCONNECT);
        SioFrames.Decoded event = SioFrames.decode("4212[\"hello\",1]");
        assertThat(event.kind()).isEqualTo(SioFrames.Kind.EVENT);
        assertThat(event.payload().get(1).asInt()).isEqualTo(1);
        assertThat(SioFrames.decode("431[]").kind()).isEqualTo(SioFrames.Kind.ACK);
        assertThat(SioFrames.decode("451-[\"b\",{\"_placeholder\":true,\"num\":0}]").kind())
                .isEqualTo(SioFrames.Kind.BINARY_EVENT);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "9", "4", "47", "40[1]", "401{}", "41{}", "42", "42{}", "42[]", "42[1]", "42[\"a\"",
                             "42[\"a\"] x", "43[]", "45[\"b\"]", "45x-[\"b\"]", "4212345678901234567890[\"a\"]" })
    void refusesWhatIsNotAPacket(String frame) {
        assertThatThrownBy(() -> SioFrames.decode(frame)).isInstanceOf(SioFrames.ProtocolException.class);
    }
}
