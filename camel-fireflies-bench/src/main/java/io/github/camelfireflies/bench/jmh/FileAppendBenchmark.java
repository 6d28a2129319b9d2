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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.api.TranscriptionEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the realistic route's last step costs without the component: one event's JSON line appended to a file by
 * Camel's file producer ({@code fileExist=Append&appendChars=\n}, sent with a {@link ProducerTemplate}, so with an
 * exchange of its own) against the JDK opening, appending and closing the file ({@code Files.writeString} with
 * {@code APPEND}), which is what the JS client's {@code fs.appendFileSync} does. Single-threaded, so the time per
 * operation is its CPU time; it tells how much of the realistic route's CPU per event no change in the component can
 * remove.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FileAppendBenchmark {

    private CamelContext context;
    private ProducerTemplate template;
    private Endpoint fileEndpoint;
    private Path dir;
    private Path jdkFile;
    private String json;
    private String line;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("file-append-bench");
        jdkFile = dir.resolve("jdk.jsonl");
        json = new TranscriptionEvent("bench", "c12345", "x".repeat(60), "Speaker", 12345.0, 12345.5).toJson();
        line = json + "\n";
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
        fileEndpoint = context.getEndpoint("file:" + dir + "?fileName=camel.jsonl&fileExist=Append&appendChars=\\n");
    }

    /** The files would grow by gigabytes over a run: each iteration starts with empty ones. */
    @TearDown(Level.Iteration)
    public void truncate() throws IOException {
        Files.deleteIfExists(dir.resolve("camel.jsonl"));
        Files.deleteIfExists(jdkFile);
    }

    @TearDown
    public void tearDown() throws Exception {
        context.close();
        truncate();
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public void camelFileProducer() {
        template.sendBody(fileEndpoint, json);
    }

    @Benchmark
    public void jdkAppend() throws IOException {
        Files.writeString(jdkFile, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
