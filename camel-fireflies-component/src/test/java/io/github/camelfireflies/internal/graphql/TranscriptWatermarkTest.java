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
package io.github.camelfireflies.internal.graphql;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The window rule of fireflies:transcripts: floor, newest minus overlap, held back by open transcripts. */
class TranscriptWatermarkTest {

    private static final long HOUR = 3_600_000L;
    private static final long FLOOR = 100 * HOUR;

    @Test
    void startsAtTheFloorAndFollowsTheNewestHandledDateMinusTheOverlap() {
        TranscriptWatermark w = new TranscriptWatermark(FLOOR, 6 * HOUR);
        assertThat(w.fromDate()).isEqualTo(FLOOR);

        w.polled(true, Set.of("a", "b"), List.of(FLOOR + 2 * HOUR, FLOOR + 4 * HOUR), Map.of(), FLOOR);
        assertThat(w.fromDate()).isEqualTo(FLOOR); // 4 h − 6 h is before the floor
        w.polled(true, Set.of("c"), List.of(FLOOR + 20 * HOUR), Map.of(), FLOOR);
        assertThat(w.fromDate()).isEqualTo(FLOOR + 14 * HOUR);
        assertThat(w.newest()).isEqualTo(FLOOR + 20 * HOUR);
        // an older date handled later does not move it back
        w.polled(true, Set.of("d"), List.of(FLOOR + 15 * HOUR), Map.of(), FLOOR + 14 * HOUR);
        assertThat(w.fromDate()).isEqualTo(FLOOR + 14 * HOUR);
    }

    @Test
    void anOpenTranscriptHoldsTheWindowBackUntilItIsHandledOrGone() {
        TranscriptWatermark w = new TranscriptWatermark(FLOOR, HOUR);
        w.polled(true, Set.of("live", "done"), List.of(FLOOR + 30 * HOUR), Map.of("live", FLOOR + 5 * HOUR), FLOOR);
        assertThat(w.fromDate()).isEqualTo(FLOOR + 5 * HOUR);
        assertThat(w.openCount()).isEqualTo(1);

        // still open: still held
        w.polled(true, Set.of("live", "done"), List.of(FLOOR + 30 * HOUR), Map.of("live", FLOOR + 5 * HOUR),
                FLOOR + 5 * HOUR);
        assertThat(w.fromDate()).isEqualTo(FLOOR + 5 * HOUR);

        // finished and handled: released
        w.polled(true, Set.of("live", "done"), List.of(FLOOR + 5 * HOUR, FLOOR + 30 * HOUR), Map.of(), FLOOR + 5 * HOUR);
        assertThat(w.fromDate()).isEqualTo(FLOOR + 29 * HOUR);
        assertThat(w.openCount()).isZero();

        // deleted while open: a complete listing from before its date no longer shows it
        w.polled(true, Set.of("x"), List.of(), Map.of("x", FLOOR + 29 * HOUR), FLOOR + 29 * HOUR);
        assertThat(w.openCount()).isEqualTo(1);
        w.polled(true, Set.of(), List.of(), Map.of(), FLOOR + 29 * HOUR);
        assertThat(w.openCount()).isZero();
    }

    @Test
    void anIncompletePollKeepsTheWindowButRemembersWhatItFoundOpen() {
        TranscriptWatermark w = new TranscriptWatermark(FLOOR, HOUR);
        w.polled(false, Set.of("a", "b"), List.of(FLOOR + 50 * HOUR), Map.of("b", FLOOR + 10 * HOUR), FLOOR);
        assertThat(w.newest()).isNull();
        assertThat(w.fromDate()).isEqualTo(FLOOR);
        assertThat(w.openCount()).isEqualTo(1);
    }
}
