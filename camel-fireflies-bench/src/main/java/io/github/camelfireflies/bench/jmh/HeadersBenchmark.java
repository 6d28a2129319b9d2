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

import io.github.camelfireflies.FirefliesBinding;
import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.LiveMessage;
import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The headers of a transcription exchange (nine of them, as the consumer sets them for a broadcast): one
 * {@code setHeader} each into Camel's case-insensitive map ({@code setHeaderEach}, how the consumer set them until
 * 2026-12-01, kept here as the baseline) against {@link FirefliesBinding#bindEvent}, which hands Camel the headers
 * already sorted so that its map is built without comparing keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeadersBenchmark {

    private CamelContext context;
    private TranscriptionEvent te;
    private RealtimeEvent event;
    private ChunkTracker.Emission emission;

    @Setup
    public void setUp() {
        context = new DefaultCamelContext();
        context.start(); // the header map factory is in place once started
        te = new TranscriptionEvent("bench", "c12345", "x".repeat(60), "Speaker", 12345.0, 12345.5);
        event = new RealtimeEvent("transcription.broadcast", "bench", te, null, false, 0L);
        emission = new ChunkTracker.Emission(te, 1, false, false);
    }

    @TearDown
    public void tearDown() throws Exception {
        context.close();
    }

    @Benchmark
    public Message bindEvent() {
        Message m = new DefaultMessage(context);
        FirefliesBinding.bindEvent(m, event, emission);
        return m;
    }

    /** As the consumers bind an event: on their {@link LiveMessage}, whose headers wait until the route asks. */
    @Benchmark
    public Message bindEventOnDemand() {
        Exchange exchange = new DefaultExchange(context);
        LiveMessage m = new LiveMessage(exchange);
        exchange.setIn(m);
        FirefliesBinding.bindEvent(m, event, emission);
        return m;
    }

    /** {@link #bindEventOnDemand}, then one header read: what a route that reads a header pays. */
    @Benchmark
    public Object bindEventOnDemandThenRead() {
        return bindEventOnDemand().getHeader(FirefliesConstants.CHUNK_ID);
    }

    /** {@link #bindEvent} with the exchange the on-demand variants make, for comparison. */
    @Benchmark
    public Message bindEventWithExchange() {
        Exchange exchange = new DefaultExchange(context);
        Message m = new DefaultMessage(exchange);
        exchange.setIn(m);
        FirefliesBinding.bindEvent(m, event, emission);
        return m;
    }

    @Benchmark
    public Message setHeaderEach() {
        Message m = new DefaultMessage(context);
        m.setHeader(FirefliesConstants.EVENT, event.name());
        m.setHeader(FirefliesConstants.TRANSCRIPT_ID, te.transcriptId());
        m.setHeader(FirefliesConstants.CHUNK_ID, te.chunkId());
        m.setHeader(FirefliesConstants.SPEAKER_NAME, te.speakerName());
        m.setHeader(FirefliesConstants.START_TIME, te.startTime());
        m.setHeader(FirefliesConstants.END_TIME, te.endTime());
        m.setHeader(FirefliesConstants.CHUNK_REVISION, emission.revision());
        m.setHeader(FirefliesConstants.CHUNK_FINAL, emission.last());
        m.setHeader(FirefliesConstants.CORRECTION, emission.correction());
        m.setBody(te);
        return m;
    }
}
