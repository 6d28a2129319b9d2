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
package io.github.camelfireflies.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * An {@link InstanceMain} running in a JVM process of its own ({@code java -cp <the test class path>}), with its
 * stdout and stderr copied into the test log, its {@code IT ...} lines parsed ({@link #ownershipLog()},
 * {@link #errors()}) and its output file read back ({@link #emitted()}).
 * <p>
 * {@link #kill()} sends SIGKILL ({@link Process#destroyForcibly()} does on Linux; the exit code 137 = 128 + 9 proves
 * it). {@link #stop(Duration)} closes its stdin (a graceful stop: the context stops, the cluster views are released)
 * and escalates to SIGTERM, then SIGKILL, each step bounded. {@link #close()} stops it if it is still alive, so a test
 * that closes its instances leaves no process behind even when it fails; and an instance exits by itself when its
 * stdin closes, so it does not outlive the test JVM either.
 */
public final class InstanceProcess implements AutoCloseable {

    /** What the meetings consumer logs when it leaves a cluster view and joins it again. */
    public static final String REJOIN_LOG = "joining it again";

    /** The exit code of a JVM killed by SIGKILL (128 + 9). */
    public static final int SIGKILL_EXIT_CODE = 137;

    private static final Logger LOG = LoggerFactory.getLogger(InstanceProcess.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EXIT_WAIT = Duration.ofSeconds(20);

    /** {@code STREAMING} or {@code RELEASED} of one meeting, as the instance said it. */
    public record Ownership(String instance, boolean streaming, String transcriptId, long nanos, long epochMillis) {
    }

    /** One line of the output file: one exchange the instance's route got. */
    public record Emitted(String instance, long nanos, long epochMillis, String event, String transcriptId,
                          String chunkId, String text, Integer chunkRevision, Boolean chunkFinal, Boolean correction,
                          Boolean reconnected, String speaker, Double startTime, boolean backfill) {

        static Emitted of(JsonNode n) {
            return new Emitted(n.path("instance").asText(), n.path("nanos").asLong(), n.path("at").asLong(),
                    text(n, "event"), text(n, "transcriptId"), text(n, "chunkId"), text(n, "text"),
                    n.path("chunkRevision").isNumber() ? n.path("chunkRevision").asInt() : null,
                    n.path("chunkFinal").isBoolean() ? n.path("chunkFinal").asBoolean() : null,
                    n.path("correction").isBoolean() ? n.path("correction").asBoolean() : null,
                    n.path("reconnected").isBoolean() ? n.path("reconnected").asBoolean() : null,
                    text(n, "speaker"), n.path("startTime").isNumber() ? n.path("startTime").asDouble() : null,
                    n.path("backfill").asBoolean(false));
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.path(field);
            return v.isTextual() ? v.asText() : null;
        }

        /** {@code transcriptId/chunkId}: what identifies a segment across instances. */
        public String key() {
            return transcriptId + "/" + chunkId;
        }
    }

    /** What {@link #kill()} did: when (the test's {@link System#nanoTime()}, just before the signal) and the exit code. */
    public record Killed(long nanos, long epochMillis, int exitCode) {
    }

    private final InstanceOptions options;
    private final Process process;
    private final List<String> said = new CopyOnWriteArrayList<>();
    private final List<Ownership> ownership = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> rejoins = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private InstanceProcess(InstanceOptions options, Process process) {
        this.options = options;
        this.process = process;
    }

    /** Starts the instance; returns at once (see {@link #awaitReady(Duration)}). */
    public static InstanceProcess start(InstanceOptions options, String apiKey) {
        return start(options, apiKey, null);
    }

    /** Starts the instance, with the webhook secret its {@code fireflies:meetings?webhookPath=...} checks deliveries with. */
    public static InstanceProcess start(InstanceOptions options, String apiKey, String webhookSecret) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // small and quick to warm up: two such JVMs share 2 cores with the build, the fixture and ZooKeeper
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(List.of("-cp", testClassPath(), InstanceMain.class.getName()));
        cmd.addAll(options.toArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(InstanceOptions.API_KEY_ENV, apiKey);
        if (webhookSecret != null) {
            pb.environment().put(InstanceOptions.WEBHOOK_SECRET_ENV, webhookSecret);
        }
        Process p;
        try {
            Files.createDirectories(options.output().toAbsolutePath().getParent());
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start instance " + options.name(), e);
        }
        InstanceProcess instance = new InstanceProcess(options, p);
        LOG.info("Started instance {} (pid {}): {} {}", options.name(), p.pid(), InstanceMain.class.getSimpleName(),
                String.join(" ", options.toArgs()));
        String prefix = "[" + options.name() + " " + p.pid() + "] ";
        pump(p.getInputStream(), options.name() + "-stdout", line -> {
            LOG.info("{}{}", prefix, line);
            instance.onStdout(line);
        });
        pump(p.getErrorStream(), options.name() + "-stderr", line -> {
            LOG.info("{}{}", prefix, line);
            if (line.contains(REJOIN_LOG)) {
                instance.rejoins.add(line);
            }
        });
        return instance;
    }

    /** The class path of the running tests (surefire's, not its booter jar's). */
    static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void onStdout(String line) {
        if (!line.startsWith(InstanceMain.PREFIX)) {
            return;
        }
        String rest = line.substring(InstanceMain.PREFIX.length());
        said.add(rest);
        String[] parts = rest.split(" ");
        try {
            if ((parts[0].equals("STREAMING") || parts[0].equals("RELEASED")) && parts.length == 4) {
                ownership.add(new Ownership(options.name(), parts[0].equals("STREAMING"), parts[1],
                        Long.parseLong(parts[2]), Long.parseLong(parts[3])));
            }
        } catch (RuntimeException e) {
            errors.add("unparsable line: " + line);
        }
    }

    private static void pump(InputStream in, String name, Consumer<String> onLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "instance-" + name + "-pump");
        t.setDaemon(true);
        t.start();
    }

    // ------------------------------------------------------------------------------------------------ observation

    public String name() {
        return options.name();
    }

    public InstanceOptions options() {
        return options;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the instance said {@code READY}; fails early when it exits first. */
    public InstanceProcess awaitReady(Duration timeout) {
        await("instance " + name() + " ready").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive() && !said("READY " + name())) {
                        throw new IllegalStateException("Instance " + name() + " exited with " + process.exitValue()
                                                        + " before it was ready");
                    }
                    return said("READY " + name());
                });
        return this;
    }

    /** Whether the instance printed {@code IT <line>}. */
    public boolean said(String line) {
        return said.contains(line);
    }

    /** Its log lines that say it left a cluster view and joined it again. */
    public List<String> rejoins() {
        return List.copyOf(rejoins);
    }

    /** Every {@code IT HEALTH ...} line so far, without the prefix {@code HEALTH }. */
    public List<String> healthLog() {
        return said.stream().filter(l -> l.startsWith("HEALTH ")).map(l -> l.substring("HEALTH ".length())).toList();
    }

    /** The last value it said for a counter line ({@code TAKENOVER}, {@code HELD}...), or 0. */
    public long counter(String name) {
        long n = 0;
        for (String line : said) {
            if (line.startsWith(name + " ")) {
                n = Long.parseLong(line.substring(name.length() + 1));
            }
        }
        return n;
    }

    /** The highest value it said for a counter line, or 0. */
    public long maxCounter(String name) {
        long n = 0;
        for (String line : said) {
            if (line.startsWith(name + " ")) {
                n = Math.max(n, Long.parseLong(line.substring(name.length() + 1)));
            }
        }
        return n;
    }

    /** How many meetings its consumer knows of, as it last said ({@code TRACKED}). */
    public int tracked() {
        int n = 0;
        for (String line : said) {
            if (line.startsWith("TRACKED ")) {
                n = Integer.parseInt(line.substring("TRACKED ".length()));
            }
        }
        return n;
    }

    /** How many final segments its consumer skipped as emitted before, as it last said ({@code SKIPPED}). */
    public long skipped() {
        long n = 0;
        for (String line : said) {
            if (line.startsWith("SKIPPED ")) {
                n = Long.parseLong(line.substring("SKIPPED ".length()));
            }
        }
        return n;
    }

    /** Every {@code STREAMING} and {@code RELEASED} so far, in order. */
    public List<Ownership> ownershipLog() {
        return List.copyOf(ownership);
    }

    /** The meetings it streams now, according to what it said (nothing once it is dead). */
    public Set<String> streaming() {
        Set<String> ids = new TreeSet<>();
        for (Ownership o : ownership) {
            if (o.streaming()) {
                ids.add(o.transcriptId());
            } else {
                ids.remove(o.transcriptId());
            }
        }
        return ids;
    }

    /** When it last started streaming {@code transcriptId} (its nano time), or -1. */
    public long streamingSince(String transcriptId) {
        long since = -1;
        for (Ownership o : ownership) {
            if (o.transcriptId().equals(transcriptId)) {
                since = o.streaming() ? o.nanos() : -1;
            }
        }
        return since;
    }

    /** What its consumer's exception handler was given before it began to stop. */
    public List<String> errors() {
        return errorsSaid(false);
    }

    /** What its consumer's exception handler was given while it stopped (an interrupted poll, for instance). */
    public List<String> errorsWhileStopping() {
        return errorsSaid(true);
    }

    private List<String> errorsSaid(boolean stopping) {
        List<String> list = new ArrayList<>();
        boolean stopped = false;
        for (String line : said) {
            if (line.equals("STOPPING")) {
                stopped = true;
            } else if (line.startsWith("ERROR") && stopped == stopping) {
                list.add(line.substring("ERROR".length()).trim());
            }
        }
        for (String e : errors) {
            if (e.startsWith("unparsable line") && !stopping) {
                list.add(e);
            }
        }
        return list;
    }

    /** Every complete line of its output file so far (a line cut by a kill is left out). */
    public List<Emitted> emitted() {
        Path file = options.output();
        if (!Files.exists(file)) {
            return List.of();
        }
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Emitted> list = new ArrayList<>();
        int start = 0;
        int nl;
        while ((nl = content.indexOf('\n', start)) >= 0) {
            String line = content.substring(start, nl);
            start = nl + 1;
            if (line.isBlank()) {
                continue;
            }
            try {
                list.add(Emitted.of(JSON.readTree(line)));
            } catch (IOException e) {
                throw new IllegalStateException("Bad line in " + file + ": " + line, e);
            }
        }
        return list;
    }

    /** Its lines of one meeting. */
    public List<Emitted> emitted(String transcriptId) {
        return emitted().stream().filter(e -> Objects.equals(e.transcriptId(), transcriptId)).toList();
    }

    // ------------------------------------------------------------------------------------------------ ending

    /** SIGKILL, then waits (bounded) for the process to end. */
    public Killed kill() {
        long nanos = System.nanoTime();
        long millis = System.currentTimeMillis();
        process.destroyForcibly();
        int exit = awaitExit();
        LOG.info("Instance {} (pid {}) killed with SIGKILL: exit code {}", name(), pid(), exit);
        closed.set(true);
        return new Killed(nanos, millis, exit);
    }

    /**
     * A graceful stop: closes stdin and waits up to {@code timeout}; then SIGTERM (its shutdown hook stops the
     * context), then SIGKILL, each wait bounded. Returns the exit code (0 when it stopped by itself).
     */
    public int stop(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return process.isAlive() ? -1 : process.exitValue();
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Instance {} (pid {}) did not stop within {}: SIGTERM", name(), pid(), timeout);
                process.destroy();
                if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Instance {} (pid {}) ignored SIGTERM: SIGKILL", name(), pid());
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        int exit = awaitExit();
        LOG.info("Instance {} (pid {}) stopped: exit code {}", name(), pid(), exit);
        return exit;
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("Instance " + name() + " (pid " + pid() + ") does not end");
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for instance " + name(), e);
        }
        return process.exitValue();
    }

    /** Stops it (gracefully, bounded) if it is still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(20));
        }
    }

    @Override
    public String toString() {
        return "instance " + name() + " (pid " + pid() + ")";
    }
}
