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
package io.github.camelfireflies.metrics;

import java.util.List;

import io.github.camelfireflies.internal.stream.StreamStats;
import io.github.camelfireflies.internal.socketio.SocketIoSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The totals over a changing set of streams never go down: what a closed or restarted stream counted is kept. */
class StreamTotalsTest {

    private static StreamStats stats(String id, long received, long delivered) {
        return new StreamStats(id, "ws://127.0.0.1/x", SocketIoSession.State.CONNECTED, received, delivered, 0, 0, 0, 0,
                0, null, 0, null, 0, 0, 0, 0);
    }

    @Test
    void closedAndRestartedStreamsKeepWhatTheyCounted() {
        StreamTotals totals = new StreamTotals();
        assertThat(totals.update(List.of(stats("a", 5, 4), stats("b", 2, 2))).delivered()).isEqualTo(6);
        // b's meeting ended: its stream is gone, its count stays
        assertThat(totals.update(List.of(stats("a", 7, 6))).delivered()).isEqualTo(8);
        // a is followed again from zero: what it had counted stays
        assertThat(totals.update(List.of(stats("a", 1, 1))).delivered()).isEqualTo(9);
        assertThat(totals.update(List.of(stats("a", 3, 3))).received()).isEqualTo(7 + 2 + 3);
        assertThat(totals.update(List.of()).delivered()).isEqualTo(11);
    }
}
