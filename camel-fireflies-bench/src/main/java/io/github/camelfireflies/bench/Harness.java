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
package io.github.camelfireflies.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.bench.jmh.CodecBenchmark;
import io.github.camelfireflies.bench.jmh.HeadersBenchmark;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark harness. One run, one machine, one server (the genuine socket.io 4.8.4 node fixture of the component's
 * tests); each client in its own process.
 *
 * <pre>
 * Harness &lt;full|quick|smoke&gt; &lt;output dir&gt;
 * </pre>
 *
 * {@code full} writes {@code docs/benchmarks/} (results.md, PNG plots) under the output directory and replaces the
 * generated part of {@code BENCHMARKS.md} there; {@code smoke} runs tiny counts once and writes only to the output
 * directory it is given.
 * <p>
 * Long because it drives every client and section of one bench run, in order.
 */
public final class Harness {

    /** Throughput clients, in the order each round runs them. */
    static final List<String> BURST_CLIENTS = List.of("sink", "raw", "camel", "iosocket", "js", "camel-file", "js-file");
    /** The clients that write every event as a line to a file (the realistic route and its JS counterpart). */
    static final List<String> FILE_CLIENTS = List.of("camel-file", "js-file");
    static final List<String> LATENCY_CLIENTS = List.of("camel", "iosocket", "js");
    static final List<String> SCALE_CLIENTS = List.of("camel", "iosocket");
    static final String TID = "bench";
    static final int TEXT_LENGTH = 60;

    /** What one mode runs. */
    record Plan(boolean full, int runs, int burstWarmup, int burstCount, int latencyWarmup, int latencyCount, int latencyRate,
                List<Integer> scaleSizes, long scaleSettleMillis, long scaleMeasureMillis, boolean jmhForked) {

        static Plan of(String mode) {
            return switch (mode) {
                case "full" -> new Plan(true, 5, 1_000_000, 500_000, 3_000, 20_000, 1_000, List.of(1, 1000, 10_000),
                        3_000, 5_000, true);
                case "smoke" -> new Plan(false, 1, 500, 2_000, 100, 300, 1_000, List.of(3), 500, 1_000, false);
                case "quick" -> new Plan(false, 1, 1_000_000, 300_000, 2_000, 5_000, 1_000, List.of(100), 3_000, 5_000, true);
                default -> throw new IllegalArgumentException("mode must be full, quick or smoke, was " + mode);
            };
        }

        /**
         * The counts from {@code -Dbench.burstWarmup}, {@code -Dbench.burstCount}, {@code -Dbench.latencyWarmup} and
         * {@code -Dbench.latencyCount}, where given.
         */
        Plan withCounts() {
            return new Plan(full, runs, Integer.getInteger("bench.burstWarmup", burstWarmup),
                    Integer.getInteger("bench.burstCount", burstCount), Integer.getInteger("bench.latencyWarmup", latencyWarmup),
                    Integer.getInteger("bench.latencyCount", latencyCount), latencyRate, scaleSizes, scaleSettleMillis,
                    scaleMeasureMillis, jmhForked);
        }

        Plan withScaleSizes(List<Integer> sizes) {
            return new Plan(full, runs, burstWarmup, burstCount, latencyWarmup, latencyCount, latencyRate, sizes,
                    scaleSettleMillis, scaleMeasureMillis, jmhForked);
        }
    }

    /** Everything measured, for the report and the smoke test. */
    static final class Results {
        final Map<String, List<JsonNode>> burst = new LinkedHashMap<>();
        final Map<String, List<Long>> serverSendRate = new LinkedHashMap<>();
        final Map<String, List<Double>> serverCpuShare = new LinkedHashMap<>();
        final Map<String, JsonNode> latency = new LinkedHashMap<>();
        final List<JsonNode> scale = new ArrayList<>();
        final Map<String, double[]> jmh = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        String machine;
        /** The provider comparison's tables ({@link ProviderComparison}), or null when that section did not run. */
        String providers;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Plan plan;
    private final Path out;
    private final Path logs;
    private final Results results = new Results();

    Harness(Plan plan, Path out) {
        this.plan = plan;
        this.out = out;
        this.logs = out.resolve("logs");
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "full";
        Path root = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
        Plan plan = Plan.of(mode).withCounts();
        String sizes = System.getProperty("bench.scaleSizes", "");
        if (!sizes.isBlank()) {
            plan = plan.withScaleSizes(Arrays.stream(sizes.split(",")).map(String::trim).map(Integer::valueOf).toList());
        }
        Path out = plan.full() ? root.resolve("docs/benchmarks") : root.resolve("target/bench-" + mode);
        Results r = new Harness(plan, out).run();
        if (plan.full()) {
            Report.replaceGenerated(root.resolve("BENCHMARKS.md"), Files.readString(out.resolve("results.md")));
        }
        System.out.println(Files.readString(out.resolve("results.md")));
        boolean measured = !r.burst.isEmpty() || !r.latency.isEmpty() || !r.scale.isEmpty() || !r.jmh.isEmpty()
                           || r.providers != null;
        System.exit(measured ? 0 : 1);
    }

    /** -Dbench.sections=burst,latency,scale,jmh (default all) and -Dbench.clients=camel,raw,... (default all). */
    private static boolean enabled(String property, String name) {
        String v = System.getProperty(property);
        return v == null || v.isBlank() || List.of(v.split(",")).contains(name);
    }

    private static boolean named(String property, String name) {
        String v = System.getProperty(property);
        return v != null && List.of(v.split(",")).contains(name);
    }

    Results run() throws Exception {
        Files.createDirectories(logs);
        long t0 = System.nanoTime();
        results.machine = Machine.describe();
        log("machine: " + results.machine.replace('\n', ' '));
        ensureJsClient();
        try (NodeSocketIoServer server = NodeSocketIoServer.start()) {
            // nobody subscribed yet: this only makes the server encode (and keep) the frames before the first round
            server.burst(TID, plan.burstCount(), TEXT_LENGTH);
            for (int run = 1; run <= plan.runs(); run++) {
                for (String client : BURST_CLIENTS) {
                    if (enabled("bench.sections", "burst") && enabled("bench.clients", client)) {
                        burst(server, client, run);
                    }
                }
            }
            for (String client : LATENCY_CLIENTS) {
                if (enabled("bench.sections", "latency") && enabled("bench.clients", client)) {
                    latency(server, client);
                }
            }
        }
        NodeSocketIoServer.Options pinging = NodeSocketIoServer.Options.defaults()
                .withPing(Duration.ofSeconds(2), Duration.ofSeconds(5));
        try (NodeSocketIoServer server = NodeSocketIoServer.start(pinging)) {
            for (int n : plan.scaleSizes()) {
                for (String client : SCALE_CLIENTS) {
                    // io.socket (an OkHttp client with threads per socket) is the reference up to 1,000
                    boolean reference = "camel".equals(client) || n <= 1000;
                    if (reference && enabled("bench.sections", "scale") && enabled("bench.clients", client)) {
                        scale(server, client, n);
                    }
                }
            }
        }
        if (enabled("bench.sections", "jmh")) {
            jmh();
        }
        // long (fresh JVMs, up to 10,000 subscriptions each): in full runs, or when named in bench.sections
        if (plan.full() ? enabled("bench.sections", "providers") : named("bench.sections", "providers")) {
            results.providers = ProviderComparison.runInto(plan.full() ? "full" : "smoke", out);
        }
        results.machine += "\nload average at the end: " + Machine.loadAverage() + "; harness wall time "
                           + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s";
        Report.write(plan, results, out);
        return results;
    }

    // ------------------------------------------------------------------------------------------------ throughput

    private void burst(NodeSocketIoServer server, String client, int run) throws Exception {
        Path file = FILE_CLIENTS.contains(client) ? out.resolve("files").resolve(client + "-burst-" + run + ".jsonl") : null;
        if (file != null) {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        }
        try (Child child = start(server, client, "burst", plan.burstWarmup(), plan.burstCount(), client + "-burst-" + run,
                file)) {
            child.expect("READY", 60_000);
            awaitSubscribers(server, List.of(TID));
            if (plan.burstWarmup() > 0) {
                server.burst(TID, plan.burstWarmup(), TEXT_LENGTH);
            }
            child.expect("WARM", 120_000);
            long cpu0 = Machine.processCpuNanos(server.pid());
            long wall0 = System.nanoTime();
            NodeSocketIoServer.BurstResult b = server.burst(TID, plan.burstCount(), TEXT_LENGTH);
            double serverCpu = (Machine.processCpuNanos(server.pid()) - cpu0) / (double) (System.nanoTime() - wall0);
            JsonNode result = JSON.readTree(child.expect("RESULT ", ClientMain.TIMEOUT_MILLIS));
            if (file != null) {
                // every event of the warm-up and of the burst is a line of the file: the two writers are compared for count
                long lines = countLines(file);
                ((com.fasterxml.jackson.databind.node.ObjectNode) result).put("lines", lines)
                        .put("linesExpected", (long) plan.burstWarmup() + plan.burstCount());
                Files.deleteIfExists(file);
            }
            results.burst.computeIfAbsent(client, k -> new ArrayList<>()).add(result);
            results.serverSendRate.computeIfAbsent(client, k -> new ArrayList<>()).add(b.framesPerSecond());
            results.serverCpuShare.computeIfAbsent(client, k -> new ArrayList<>()).add(serverCpu);
            log(String.format(Locale.ROOT, "burst %-8s run %d: %,.0f events/s, %.2f CPU s per million, server sent %,d/s"
                                           + " (server CPU %.0f%% of one core), dropped %d",
                    client, run, eventsPerSecond(result), cpuSecondsPerMillion(result), b.framesPerSecond(), serverCpu * 100,
                    result.path("dropped").asLong()));
        }
        awaitNoSubscribers(server, TID);
    }

    /** Lines ({@code \n}) in a file, read in bulk. */
    static long countLines(Path file) throws IOException {
        long lines = 0;
        byte[] buf = new byte[1 << 16];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    static double eventsPerSecond(JsonNode r) {
        return (r.path("events").asLong() - 1) * 1e9 / Math.max(1, r.path("nanos").asLong());
    }

    static double cpuSecondsPerMillion(JsonNode r) {
        return r.path("cpuNanos").asLong() / 1e9 * 1e6 / r.path("events").asLong();
    }

    // ------------------------------------------------------------------------------------------------ latency

    /** {@code -Dbench.latencyBurst=N}: a burst of N events before the latency run's paced warm-up (default none). */
    static int latencyBurst() {
        return Math.max(0, Integer.getInteger("bench.latencyBurst", 0));
    }

    private void latency(NodeSocketIoServer server, String client) throws Exception {
        int burst = latencyBurst();
        try (Child child = start(server, client, "latency", burst + plan.latencyWarmup(), plan.latencyCount(),
                client + "-latency", null)) {
            child.expect("READY", 60_000);
            awaitSubscribers(server, List.of(TID));
            if (burst > 0) {
                server.burst(TID, burst, TEXT_LENGTH);
            }
            CompletableFuture<NodeSocketIoServer.PacedResult> paced = CompletableFuture.supplyAsync(
                    () -> server.paced(List.of(TID), plan.latencyWarmup() + plan.latencyCount(), plan.latencyRate(), true));
            JsonNode result = JSON.readTree(child.expect("RESULT ", ClientMain.TIMEOUT_MILLIS));
            paced.get(60, TimeUnit.SECONDS);
            results.latency.put(client, result);
            log(String.format(Locale.ROOT, "latency %-8s p50 %.0f us, p99 %.0f us, p99.9 %.0f us, max %.0f us", client,
                    result.path("p50Us").asDouble(), result.path("p99Us").asDouble(), result.path("p999Us").asDouble(),
                    result.path("maxUs").asDouble()));
        }
        awaitNoSubscribers(server, TID);
    }

    // ------------------------------------------------------------------------------------------------ scale

    private void scale(NodeSocketIoServer server, String client, int n) throws Exception {
        String prefix = "scale-" + client + "-" + n + "-";
        List<String> tids = IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of(ScaleMain.class.getName(), client, server.url(), server.path(), server.apiKey(), prefix,
                Integer.toString(n), Long.toString(plan.scaleMeasureMillis())));
        try (Child child = new Child(cmd, logs.resolve(client + "-scale-" + n + ".log"))) {
            child.expect("READY", 60_000 + 20L * n);
            long missing = awaitSubscribers(server, tids, 90);
            if (missing > 0) { // measured anyway, and said so: a subscription reconnecting is part of the picture
                results.notes.add(client + " with " + n + " subscriptions: " + missing
                                  + " had no subscriber on the server at the same moment after 90 s");
                log(results.notes.get(results.notes.size() - 1));
            }
            long seconds = (plan.scaleSettleMillis() + plan.scaleMeasureMillis()) / 1000 + 3;
            CompletableFuture<NodeSocketIoServer.PacedResult> stream = CompletableFuture.supplyAsync(
                    () -> server.paced(tids, (int) seconds, 1, false));
            Thread.sleep(plan.scaleSettleMillis());
            child.send("MEASURE");
            JsonNode result = JSON.readTree(child.expect("RESULT ", plan.scaleMeasureMillis() + 60_000));
            results.scale.add(result);
            if (result.path("notConnected").asLong() > 0) {
                results.notes.add(client + " with " + n + " subscriptions: " + result.path("notConnected").asLong()
                                  + " not connected at the end of the measurement (see " + client + "-scale-" + n + ".log)");
            }
            log(String.format(Locale.ROOT, "scale %-8s %4d subscriptions: heap %.1f MB after GC, %d JVM threads (%d OS),"
                                           + " CPU %.1f%%, %d events in the window, %d reconnects, %d not connected",
                    client, n, result.path("heapBytes").asLong() / 1048576.0, result.path("javaThreads").asInt(),
                    result.path("osThreads").asInt(), result.path("cpuPercent").asDouble(),
                    result.path("eventsInWindow").asLong(), result.path("reconnects").asLong(),
                    result.path("notConnected").asLong()));
            stream.get(seconds * 2 + 30, TimeUnit.SECONDS);
        }
        for (String tid : tids) {
            awaitNoSubscribers(server, tid);
        }
    }

    // ------------------------------------------------------------------------------------------------ JMH

    private void jmh() throws Exception {
        OptionsBuilder o = new OptionsBuilder();
        o.include(CodecBenchmark.class.getName());
        o.include(HeadersBenchmark.class.getName());
        o.include(io.github.camelfireflies.bench.jmh.TextFrameBenchmark.class.getName());
        o.include(io.github.camelfireflies.bench.jmh.FileAppendBenchmark.class.getName());
        o.include(io.github.camelfireflies.bench.jmh.LaneBenchmark.class.getName());
        o.include(io.github.camelfireflies.bench.jmh.ChunkTrackerBenchmark.class.getName());
        if (plan.jmhForked()) {
            o.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(5)
                    .measurementTime(TimeValue.seconds(1));
        } else {
            o.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(200)).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200));
        }
        o.output(logs.resolve("jmh.log").toString());
        Collection<RunResult> runs = new Runner(o.build()).run();
        for (RunResult r : runs) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1); // Class.method
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            results.jmh.put(name, new double[] { score, Double.isNaN(error) ? 0 : error });
            log(String.format(Locale.ROOT, "jmh %-32s %.1f +- %.1f ns/op", name, score, error));
        }
    }

    // ------------------------------------------------------------------------------------------------ children

    private Child start(NodeSocketIoServer server, String client, String mode, int warmup, int count, String logName,
                        Path file) throws IOException {
        List<String> cmd = new ArrayList<>();
        if ("js".equals(client) || "js-file".equals(client)) {
            cmd.addAll(List.of(Machine.which("node"), jsDir().resolve("client.js").toString()));
        } else {
            cmd.addAll(javaCommand());
            // the Camel client runs the component's defaults (queueSize=10000, overflowPolicy=BLOCK) unless
            // -Dbench.queueSize is given: javaCommand() hands every bench.* property to the child
            cmd.add(ClientMain.class.getName());
            cmd.add(client);
        }
        cmd.addAll(List.of(mode, server.url(), server.path(), server.apiKey(), TID, Integer.toString(warmup),
                Integer.toString(count)));
        if (file != null) {
            cmd.add(file.toString());
        }
        return new Child(cmd, logs.resolve(logName + ".log"));
    }

    private static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("bench.") && !n.equals("bench.js.dir"))
                .sorted().forEach(n -> cmd.add("-D" + n + "=" + System.getProperty(n)));
        String extra = System.getProperty("bench.childJvmArgs"); // e.g. a profiler for one investigation
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        return cmd;
    }

    private static Path jsDir() {
        String prop = System.getProperty("bench.js.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        for (String candidate : List.of("src/main/node", "camel-fireflies-bench/src/main/node")) {
            if (Files.isRegularFile(Path.of(candidate, "client.js"))) {
                return Path.of(candidate).toAbsolutePath();
            }
        }
        throw new IllegalStateException("client.js not found; set -Dbench.js.dir");
    }

    private void ensureJsClient() throws Exception {
        Path dir = jsDir();
        if (Files.isRegularFile(dir.resolve("node_modules/socket.io-client/package.json"))) {
            return;
        }
        log("npm ci in " + dir);
        Process p = new ProcessBuilder(Machine.which("npm"), "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(logs.resolve("npm-ci.log").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("npm ci failed in " + dir + "; see " + logs.resolve("npm-ci.log"));
        }
    }

    private static void awaitSubscribers(NodeSocketIoServer server, List<String> tids) throws InterruptedException {
        long missing = awaitSubscribers(server, tids, 120);
        if (missing > 0) {
            throw new IllegalStateException(missing + " of " + tids.size() + " subscriptions missing after 120 s");
        }
    }

    /** Waits until every transcript has a subscriber at the same moment; returns how many had none at the deadline. */
    private static long awaitSubscribers(NodeSocketIoServer server, List<String> tids, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (;;) {
            JsonNode subs = server.state().path("subscribers");
            long missing = tids.stream().filter(t -> subs.path(t).asInt(0) < 1).count();
            if (missing == 0 || System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(20);
        }
    }

    private static void awaitNoSubscribers(NodeSocketIoServer server, String tid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.subscribers(tid) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    static void log(String line) {
        System.out.println("[bench] " + line);
        System.out.flush();
    }

    /** A client process: stdout lines in a queue, stderr to a log file; closed by closing stdin, then killing it. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> command;

        Child(List<String> command, Path log) throws IOException {
            this.command = command;
            this.process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // gone
                }
            }, "bench-child-" + process.pid());
            pump.setDaemon(true);
            pump.start();
        }

        /** The first line starting with {@code prefix} (the rest of it), within the timeout. */
        String expect(String prefix, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            for (;;) {
                long left = deadline - System.nanoTime();
                String l = left > 0 ? lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS)
                        : null;
                if (l != null && l.startsWith(prefix)) {
                    return l.substring(prefix.length());
                }
                if (l == null && (!process.isAlive() || left <= 0)) {
                    throw new IllegalStateException("expected " + prefix.trim() + " from pid " + process.pid() + " ("
                                                    + String.join(" ", command.subList(command.size() - 8, command.size()))
                                                    + "); alive=" + process.isAlive()
                                                    + (process.isAlive() ? "" : ", exit " + process.exitValue()));
                }
            }
        }

        void send(String line) throws IOException {
            OutputStream o = process.getOutputStream();
            o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
        }

        @Override
        public void close() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already closed
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }
}
