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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.internal.websocket.Utf8Text;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Two per-event pieces of the realistic route. A text frame's bytes to its {@code String}: as Jetty's JSR 356 layer
 * does it ({@code StringMessageSink}: a {@link Utf8StringBuilder} of the 4 KiB input buffer's size per message, fed the
 * payload, then the string taken) against what the component's Jetty transport does now ({@link Utf8Text#decode}). And
 * the event's JSON ({@code convertBodyTo(String.class)}): Jackson's writer against the hand-written
 * {@link TranscriptionEvent#toJson()}, which writes the same text.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TextFrameBenchmark {

    private static final byte[] FRAME = CodecBenchmark.BROADCAST.getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final TranscriptionEvent EVENT = new TranscriptionEvent("bench", "c12345", "x".repeat(60), "Speaker",
            12345.0, 12345.5);

    @Benchmark
    public String jettyStringAssembly() {
        Utf8StringBuilder sb = new Utf8StringBuilder(4096);
        sb.append(ByteBuffer.wrap(FRAME));
        return sb.takeCompleteString(IllegalArgumentException::new);
    }

    @Benchmark
    public String decodeOnce() {
        return Utf8Text.decode(FRAME, 0, FRAME.length);
    }

    @Benchmark
    public String eventJsonJackson() throws Exception {
        return JACKSON.writeValueAsString(EVENT);
    }

    @Benchmark
    public String eventJsonByHand() {
        return EVENT.toJson();
    }
}
