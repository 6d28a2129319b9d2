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

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.api.WebSocketProvider;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;

/**
 * The component on each JSR 356 provider, on one harness against the genuine socket.io server: a burst (throughput
 * and CPU per event of a {@code fireflies:live} route that counts, default options), threads and heap after GC at
 * each number of live subscriptions, threads left after stopping the context, and the weight of the provider's jars.
 * The providers run interleaved (A B C, A B C, ...), each run in a fresh JVM ({@link ProviderProbe}).
 *
 * <pre>
 * ProviderComparison &lt;full|smoke&gt; &lt;output dir&gt;
 * </pre>
 *
 * Writes {@code providers.md} (the tables BENCHMARKS.md includes) and {@code providers.json} (every run) there.
 * {@code -Dbench.providers=jetty,tomcat,tyrus} picks providers, {@code -Dbench.providerRounds=3} the rounds,
 * {@code -Dbench.providerSizes=1000,10000} the subscription counts.
 */
public final class ProviderComparison {

    static final String TID = "providers";
    static final int TEXT_LENGTH = Harness.TEXT_LENGTH;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one mode runs. */
    record Plan(int rounds, int warmup, int burst, List<Integer> sizes, List<WebSocketProvider> providers) {

        static Plan of(String mode) {
            Plan p = switch (mode) {
                case "full" -> new Plan(3, 50_000, 300_000, List.of(1_000, 10_000), List.of(WebSocketProvider.values()));
                case "smoke" -> new Plan(1, 200, 1_000, List.of(3), List.of(WebSocketProvider.values()));
                default -> throw new IllegalArgumentException("mode must be full or smoke, was " + mode);
            };
            String providers = System.getProperty("bench.providers", "");
            String rounds = System.getProperty("bench.providerRounds", "");
            String sizes = System.getProperty("bench.providerSizes", "");
            return new Plan(rounds.isBlank() ? p.rounds : Integer.parseInt(rounds.trim()), p.warmup, p.burst,
                    sizes.isBlank() ? p.sizes : Arrays.stream(sizes.split(",")).map(String::trim).map(Integer::valueOf).toList(),
                    providers.isBlank() ? p.providers
                            : Arrays.stream(providers.split(",")).map(String::trim).map(WebSocketProvider::parse).toList());
        }
    }

    /** Everything measured: per provider, one entry per round. */
    static final class Results {
        final Map<WebSocketProvider, List<JsonNode>> burst = new LinkedHashMap<>();
        final Map<WebSocketProvider, List<JsonNode>> scale = new LinkedHashMap<>();
        final Map<WebSocketProvider, List<JsonNode>> left = new LinkedHashMap<>();
        final Map<WebSocketProvider, List<String>> jars = new LinkedHashMap<>();
        final List<String> rounds = new ArrayList<>();
        String machine;
    }

    private final Plan plan;
    private final Path logs;
    private final Results results = new Results();

    ProviderComparison(Plan plan, Path logs) {
        this.plan = plan;
        this.logs = logs;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "full";
        Path out = Path.of(args.length > 1 ? args[1] : "target/providers").toAbsolutePath().normalize();
        String md = runInto(mode, out);
        System.out.println(md);
        System.exit(md.isBlank() ? 1 : 0);
    }

    /** Runs the comparison of {@code mode}, writes providers.md and providers.json into {@code out}; returns the tables. */
    static String runInto(String mode, Path out) throws Exception {
        ProviderComparison c = new ProviderComparison(Plan.of(mode), out.resolve("logs"));
        Results r = c.run();
        String md = c.markdown();
        Files.createDirectories(out);
        Files.writeString(out.resolve("providers.md"), md);
        write(r, out.resolve("providers.json"));
        return md;
    }

    Results run() throws Exception {
        Files.createDirectories(logs);
        results.machine = Machine.describe();
        for (WebSocketProvider p : plan.providers()) {
            results.jars.put(p, jars(p));
        }
        try (NodeSocketIoServer server = NodeSocketIoServer.start()) {
            server.burst(TID, plan.burst(), TEXT_LENGTH); // nobody subscribed: the server encodes the frames once
            for (int round = 1; round <= plan.rounds(); round++) {
                String load0 = Machine.loadAverage();
                long t0 = System.nanoTime();
                for (WebSocketProvider p : plan.providers()) {
                    burst(server, p, round);
                    scale(server, p, round);
                }
                results.rounds.add(String.format(Locale.ROOT, "round %d: load average %s at its start, %s at its end; %d s",
                        round, load0, Machine.loadAverage(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)));
                Harness.log(results.rounds.get(results.rounds.size() - 1));
            }
        }
        return results;
    }

    // ------------------------------------------------------------------------------------------------ runs

    private void burst(NodeSocketIoServer server, WebSocketProvider p, int round) throws Exception {
        List<String> cmd = javaCommand();
        cmd.addAll(List.of(ProviderProbe.class.getName(), "burst", p.name(), server.url(), server.path(), server.apiKey(),
                TID, Integer.toString(plan.warmup()), Integer.toString(plan.burst())));
        try (Harness.Child child = new Harness.Child(cmd, logs.resolve(p + "-burst-" + round + ".log"))) {
            child.expect("READY", 60_000);
            awaitSubscribers(server, List.of(TID), 120);
            server.burst(TID, plan.warmup(), TEXT_LENGTH);
            child.expect("WARM", 120_000);
            NodeSocketIoServer.BurstResult b = server.burst(TID, plan.burst(), TEXT_LENGTH);
            JsonNode result = JSON.readTree(child.expect("RESULT ", ClientMain.TIMEOUT_MILLIS));
            results.burst.computeIfAbsent(p, k -> new ArrayList<>()).add(result);
            Harness.log(String.format(Locale.ROOT, "providers: burst %-6s round %d: %,.0f events/s, %.2f us CPU per event,"
                                                   + " server sent %,d/s, dropped %d", p, round,
                    Harness.eventsPerSecond(result), Harness.cpuSecondsPerMillion(result), b.framesPerSecond(),
                    result.path("dropped").asLong()));
        }
        awaitNoSubscribers(server, List.of(TID));
    }

    private void scale(NodeSocketIoServer server, WebSocketProvider p, int round) throws Exception {
        String prefix = "prov-" + p + "-" + round + "-";
        int max = plan.sizes().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> all = IntStream.range(0, max).mapToObj(i -> prefix + i).toList();
        List<String> cmd = javaCommand();
        cmd.addAll(List.of(ProviderProbe.class.getName(), "scale", p.name(), server.url(), server.path(), server.apiKey(),
                prefix, String.join(",", plan.sizes().stream().map(String::valueOf).toList())));
        try (Harness.Child child = new Harness.Child(cmd, logs.resolve(p + "-scale-" + round + ".log"))) {
            for (int size : plan.sizes()) {
                child.expect("CONNECTED ", 360_000);
                List<String> tids = all.subList(0, size);
                long missing = awaitSubscribers(server, tids, 120);
                server.paced(tids, 3, 1, false); // three events to each: every subscription is live
                child.send("MEASURE");
                ObjectNode node = (ObjectNode) JSON.readTree(child.expect("RESULT ", ProviderProbe.WINDOW_MILLIS + 120_000));
                node.put("round", round).put("missingOnServer", missing);
                results.scale.computeIfAbsent(p, k -> new ArrayList<>()).add(node);
                Harness.log(String.format(Locale.ROOT, "providers: scale %-6s round %d, %,d subscriptions (%d connected,"
                                                       + " %d missing on the server): heap %.1f MB, %d JVM threads, CPU %.1f%%,"
                                                       + " events %d; threads %s", p, round, size,
                        node.path("connected").asInt(), missing, node.path("heapBytes").asLong() / 1048576.0,
                        node.path("javaThreads").asInt(), node.path("cpuPercent").asDouble(),
                        node.path("eventsTotal").asLong(), node.path("threads").asText()));
            }
            child.send("STOP");
            JsonNode left = JSON.readTree(child.expect("LEFT ", 120_000));
            results.left.computeIfAbsent(p, k -> new ArrayList<>()).add(left);
            Harness.log(String.format(Locale.ROOT, "providers: stop %-6s round %d: stop took %d ms, %d threads left: %s", p,
                    round, left.path("stopMillis").asLong(), left.path("count").asInt(), left.path("names").asText()));
        }
        awaitNoSubscribers(server, all);
    }

    private static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    }

    /** Waits until each transcript has a subscriber at the same moment; returns how many had none at the deadline. */
    private static long awaitSubscribers(NodeSocketIoServer server, List<String> tids, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (;;) {
            JsonNode subs = server.state().path("subscribers");
            long missing = tids.stream().filter(t -> subs.path(t).asInt(0) < 1).count();
            if (missing == 0 || System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(50);
        }
    }

    private static void awaitNoSubscribers(NodeSocketIoServer server, List<String> tids) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode subs = server.state().path("subscribers");
            if (tids.stream().noneMatch(t -> subs.path(t).asInt(0) > 0)) {
                return;
            }
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------------------------------------ jars

    /**
     * The provider's jars on this class path (the component's own {@code jakarta.websocket-client-api} is not counted;
     * the server API jar Jetty and Tomcat need is): {@code name size}.
     */
    static List<String> jars(WebSocketProvider p) {
        Predicate<String> mine = switch (p) {
            case JETTY -> f -> f.contains("/org/eclipse/jetty/") || f.contains("/jakarta/websocket/jakarta.websocket-api/");
            case TOMCAT -> f -> f.contains("/org/apache/tomcat/") && !f.contains("/org/apache/tomcat/embed/");
            case TYRUS -> f -> f.contains("/org/glassfish/tyrus/");
        };
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String f = entry.replace(File.separatorChar, '/');
            if (f.endsWith(".jar") && mine.test(f)) {
                out.add(Path.of(entry).getFileName() + " " + new File(entry).length());
            }
        }
        return out;
    }

    private static long jarBytes(List<String> jars) {
        return jars.stream().mapToLong(j -> Long.parseLong(j.substring(j.lastIndexOf(' ') + 1))).sum();
    }

    // ------------------------------------------------------------------------------------------------ report

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("The component (`fireflies:live`, default options but `webSocketProvider`) on each provider, same harness"
                  + " and server, providers interleaved in each round, each run in a fresh JVM. Burst: ")
                .append(String.format(Locale.ROOT, "%,d", plan.burst())).append(" events after a warm-up of ")
                .append(String.format(Locale.ROOT, "%,d", plan.warmup())).append(", a route whose processor counts; CPU = the"
                        + " client process's user+system time per event. Subscriptions: one route each, three events sent to"
                        + " each, then CPU over ").append(ProviderProbe.WINDOW_MILLIS / 1000).append(" s idle (server pings every"
                        + " 25 s), heap used after two `System.gc()`, JVM threads (`ThreadMXBean`). Left after stop: threads"
                        + " not alive before the CamelContext was made and still alive 20 s after `stop()` returned. Medians"
                        + " of ").append(plan.rounds()).append(" rounds (min to max).\n\n");
        md.append("| provider | events/s | CPU µs/event | dropped |");
        for (int size : plan.sizes()) {
            md.append(String.format(Locale.ROOT, " %,d subs: JVM threads | %,d subs: heap MB |", size, size));
        }
        md.append(String.format(Locale.ROOT, " %,d subs: CPU %% idle | threads left after stop | jars | jar MB |\n",
                plan.sizes().get(plan.sizes().size() - 1)));
        md.append("| --- | ---: | ---: | ---: |").append(" ---: | ---: |".repeat(plan.sizes().size())).append(" ---: | --- | ---: | ---: |\n");
        for (WebSocketProvider p : plan.providers()) {
            List<JsonNode> b = results.burst.getOrDefault(p, List.of());
            md.append("| ").append(p).append(" | ").append(range(b, Harness::eventsPerSecond, "%,.0f"))
                    .append(" | ").append(range(b, Harness::cpuSecondsPerMillion, "%.2f"))
                    .append(" | ").append(b.stream().mapToLong(j -> j.path("dropped").asLong()).sum()).append(" |");
            for (int size : plan.sizes()) {
                List<JsonNode> s = results.scale.getOrDefault(p, List.of()).stream()
                        .filter(j -> j.path("subscriptions").asInt() == size).toList();
                md.append(' ').append(range(s, j -> j.path("javaThreads").asDouble(), "%.0f")).append(" | ")
                        .append(range(s, j -> j.path("heapBytes").asDouble() / 1048576.0, "%.0f")).append(" |");
            }
            int last = plan.sizes().get(plan.sizes().size() - 1);
            List<JsonNode> s = results.scale.getOrDefault(p, List.of()).stream()
                    .filter(j -> j.path("subscriptions").asInt() == last).toList();
            List<JsonNode> left = results.left.getOrDefault(p, List.of());
            List<String> jars = results.jars.getOrDefault(p, List.of());
            md.append(' ').append(range(s, j -> j.path("cpuPercent").asDouble(), "%.1f")).append(" | ")
                    .append(leftSummary(left)).append(" | ").append(jars.size()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", jarBytes(jars) / 1048576.0)).append(" |\n");
        }
        WebSocketProvider base = plan.providers().get(0);
        if (plan.providers().size() > 1 && results.burst.containsKey(base)) {
            md.append("\nSame-round ratios against ").append(base)
                    .append(" (median of the rounds' ratios, min to max; the machine's load moves all providers of a round"
                            + " alike):\n\n| provider | events/s ratio | CPU per event ratio |\n| --- | ---: | ---: |\n");
            for (WebSocketProvider p : plan.providers()) {
                List<JsonNode> b = results.burst.getOrDefault(p, List.of());
                List<JsonNode> a = results.burst.get(base);
                int n = Math.min(a.size(), b.size());
                double[] tp = IntStream.range(0, n).mapToDouble(i -> Harness.eventsPerSecond(b.get(i)) / Harness.eventsPerSecond(a.get(i))).toArray();
                double[] cpu = IntStream.range(0, n).mapToDouble(
                        i -> Harness.cpuSecondsPerMillion(b.get(i)) / Harness.cpuSecondsPerMillion(a.get(i))).toArray();
                md.append("| ").append(p).append(" | ").append(range(tp, "%.2f")).append(" | ").append(range(cpu, "%.2f"))
                        .append(" |\n");
            }
        }
        md.append("\nLoad average (1, 5, 15 min) during the rounds:\n\n");
        results.rounds.forEach(r -> md.append("- ").append(r).append('\n'));
        md.append("\nThreads by name at the largest count, last round:\n\n");
        for (WebSocketProvider p : plan.providers()) {
            List<JsonNode> s = results.scale.getOrDefault(p, List.of());
            if (!s.isEmpty()) {
                md.append("- ").append(p).append(": ").append(s.get(s.size() - 1).path("threads").asText()).append('\n');
            }
        }
        md.append("\nJars counted:\n\n");
        results.jars.forEach((p, jars) -> md.append("- ").append(p).append(": ")
                .append(String.join(", ", jars.stream().map(j -> j.substring(0, j.lastIndexOf(' '))).toList())).append('\n'));
        return md.toString();
    }

    private static String leftSummary(List<JsonNode> left) {
        if (left.isEmpty()) {
            return "-";
        }
        int max = left.stream().mapToInt(j -> j.path("count").asInt()).max().orElse(0);
        String names = left.stream().map(j -> j.path("names").asText()).filter(s -> !s.isBlank()).distinct()
                .reduce((a, b) -> a + "; " + b).orElse("");
        return max == 0 ? "0" : max + " (" + names + ")";
    }

    private static String range(List<JsonNode> runs, java.util.function.ToDoubleFunction<JsonNode> f, String fmt) {
        return range(runs.stream().mapToDouble(f).toArray(), fmt);
    }

    private static String range(double[] v, String fmt) {
        if (v.length == 0) {
            return "-";
        }
        String med = String.format(Locale.ROOT, fmt, Report.median(v));
        return v.length == 1 ? med : med + " (" + String.format(Locale.ROOT, fmt, Report.min(v)) + "–"
                                     + String.format(Locale.ROOT, fmt, Report.max(v)) + ")";
    }

    private static void write(Results r, Path file) throws java.io.IOException {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("machine", r.machine);
        raw.put("rounds", r.rounds);
        raw.put("burst", r.burst);
        raw.put("scale", r.scale);
        raw.put("left", r.left);
        raw.put("jars", r.jars);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), raw);
    }
}
