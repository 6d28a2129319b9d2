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
package io.github.camelfireflies.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.api.EmitMode;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.internal.stream.ChunkTracker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A meeting's chunk tracker in the default emit mode ({@code REVISIONS}) once it remembers as many chunks as it keeps
 * ({@link ChunkTracker#DEFAULT_MAX_TRACKED}), as in the bench's bursts: each event is of a new chunk, so it is looked
 * up, remembered, and the oldest chunk is forgotten. One operation is one event; the events are made in advance and
 * come round again after 65,536, long after the tracker forgot them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkTrackerBenchmark {

    private static final int EVENTS = 1 << 16;

    private ChunkTracker tracker;
    private TranscriptionEvent[] events;
    private int next;

    @Setup
    public void setUp() {
        tracker = new ChunkTracker(EmitMode.REVISIONS, 0);
        events = new TranscriptionEvent[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            events[i] = new TranscriptionEvent("bench", "c" + i, "x".repeat(60), "Speaker", (double) i, i + 0.5);
        }
        for (int i = 0; i < ChunkTracker.DEFAULT_MAX_TRACKED; i++) { // full from the start
            tracker.accept(new TranscriptionEvent("bench", "w" + i, "x", "Speaker", (double) i, i + 0.5), 0);
        }
    }

    @Benchmark
    public List<ChunkTracker.Emission> newChunk() {
        TranscriptionEvent e = events[next];
        next = (next + 1) & (EVENTS - 1);
        return tracker.accept(e, 0);
    }
}
