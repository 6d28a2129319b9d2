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

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.internal.stream.TranscriptionEventMapper;
import io.github.camelfireflies.internal.stream.TranscriptionEventReader;
import io.github.camelfireflies.internal.stream.TranscriptionEventScanner;
import io.github.camelfireflies.internal.socketio.Packet;
import io.github.camelfireflies.internal.socketio.EventReader;
import io.github.camelfireflies.internal.socketio.PacketCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-event work on the I/O thread: decoding a {@code transcription.broadcast} frame as the server sends it, and
 * mapping its argument to a {@link TranscriptionEvent}: the general path (a tree, then the mapper) against the fast
 * paths the consumer takes for broadcasts: {@code readBroadcast}, a streaming parser straight from the frame into the
 * event, and {@code scanBroadcast}, the scanner the consumer tries first (the text read in place, no parser).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    /** A frame as the node server's burst writes it (60 characters of text). */
    public static final String BROADCAST = "42[\"transcription.broadcast\",{\"transcript_id\":\"bench\",\"chunk_id\":\"c12345\","
                                           + "\"text\":\"" + "x".repeat(60) + "\",\"speaker_name\":\"Speaker\","
                                           + "\"start_time\":12345,\"end_time\":12345.5}]";

    private static final EventReader<TranscriptionEvent> FAST = EventReader.of(
            "transcription.broadcast", p -> TranscriptionEventReader.read(p, "bench"));
    private static final EventReader<TranscriptionEvent> SCAN = EventReader.of(
            "transcription.broadcast", (f, from) -> TranscriptionEventScanner.scan(f, from, "bench"),
            p -> TranscriptionEventReader.read(p, "bench"));

    private JsonNode arg;

    @Setup
    public void setUp() throws Exception {
        arg = ((Packet.Event) PacketCodec.decode(BROADCAST)).firstArg();
    }

    @Benchmark
    public Packet decodeBroadcast() throws Exception {
        return PacketCodec.decode(BROADCAST);
    }

    @Benchmark
    public Packet decodePing() throws Exception {
        return PacketCodec.decode("2");
    }

    @Benchmark
    public TranscriptionEvent mapEvent() throws Exception {
        return TranscriptionEventMapper.map(arg, "bench");
    }

    @Benchmark
    public TranscriptionEvent decodeAndMap() throws Exception {
        return TranscriptionEventMapper.map(((Packet.Event) PacketCodec.decode(BROADCAST)).firstArg(), "bench");
    }

    @Benchmark
    public TranscriptionEvent readBroadcast() {
        return FAST.read(BROADCAST);
    }

    @Benchmark
    public TranscriptionEvent scanBroadcast() {
        return SCAN.read(BROADCAST);
    }
}
