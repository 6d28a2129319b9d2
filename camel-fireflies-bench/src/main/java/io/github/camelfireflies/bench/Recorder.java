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

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts the events one benchmark client receives: {@code warmup} events first, then {@code count} measured ones, with
 * the time of the first and last measured event, the process CPU time spent meanwhile and (latency mode) each event's
 * latency from the stamp in its text. Called by one thread at a time (clients deliver in order).
 */
final class Recorder {

    private final int warmup;
    private final int count;
    private final long[] latencies;
    private final CountDownLatch warm = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private long received;
    private long firstNs;
    private volatile long lastNs;
    private volatile long measured;
    private volatile long cpuStart;
    private volatile long cpuEnd;
    private volatile java.util.Map<String, Long> threadsStart = java.util.Map.of();
    private volatile java.util.Map<String, Long> threadsEnd = java.util.Map.of();

    Recorder(int warmup, int count, boolean latency) {
        this.warmup = warmup;
        this.count = count;
        this.latencies = latency ? new long[count] : null;
        if (warmup == 0) {
            warmed();
        }
    }

    /** One event arrived; {@code text} is only read in latency mode. */
    void onEvent(String text) {
        long now = System.nanoTime();
        long n = ++received;
        if (n <= warmup) {
            if (n == warmup) {
                warmed();
            }
            return;
        }
        long k = n - warmup;
        if (k > count) {
            return;
        }
        if (latencies != null) {
            latencies[(int) (k - 1)] = now - Long.parseLong(text);
        }
        if (k == 1) {
            firstNs = now;
        }
        lastNs = now;
        measured = k;
        if (k == count) {
            if (latencies == null) {
                cpuEnd = cpuNanos();
                threadsEnd = ThreadCpu.snapshot();
            }
            done.countDown();
        }
    }

    private void warmed() {
        if (latencies == null) { // in latency mode the CPU is not reported, and a snapshot would delay the next event
            threadsStart = ThreadCpu.snapshot();
            cpuStart = cpuNanos();
        }
        warm.countDown();
    }

    boolean awaitWarm(long millis) throws InterruptedException {
        return warm.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean awaitDone(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Racy read for progress checks from another thread. */
    long received() {
        return received;
    }

    /** Ends the warm-up early (events were dropped, so {@code warmup} will never be reached). */
    void forceWarm() {
        if (warm.getCount() > 0) {
            received = warmup;
            warmed();
        }
    }

    /** Ends the measurement early (events were dropped, so {@code count} will never be reached). */
    void finishNow() {
        cpuEnd = cpuNanos();
        threadsEnd = ThreadCpu.snapshot();
        done.countDown();
    }

    /** The RESULT line's JSON. */
    String resultJson(String client, long dropped) {
        StringBuilder sb = new StringBuilder("{\"client\":\"").append(client).append('"')
                .append(",\"events\":").append(measured)
                .append(",\"nanos\":").append(lastNs - firstNs)
                .append(",\"cpuNanos\":").append(cpuEnd - cpuStart)
                .append(",\"dropped\":").append(dropped);
        if (!threadsEnd.isEmpty() && !threadsStart.isEmpty()) {
            sb.append(",\"cpuByThread\":{");
            String sep = "";
            for (java.util.Map.Entry<String, Long> e : ThreadCpu.minus(threadsEnd, threadsStart).entrySet()) {
                sb.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
                sep = ",";
            }
            sb.append('}');
        }
        if (latencies != null) {
            String dump = System.getProperty("bench.dumpLatencies"); // one value per line, in arrival order
            if (dump != null) {
                try {
                    java.nio.file.Files.write(java.nio.file.Path.of(dump + "-" + client + ".txt"),
                            Arrays.stream(latencies).mapToObj(Long::toString).toList());
                } catch (java.io.IOException e) {
                    System.err.println("cannot write " + dump + ": " + e);
                }
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            sb.append(",\"p50Us\":").append(at(sorted, 0.5) / 1000.0)
                    .append(",\"p99Us\":").append(at(sorted, 0.99) / 1000.0)
                    .append(",\"p999Us\":").append(at(sorted, 0.999) / 1000.0)
                    .append(",\"maxUs\":").append(sorted[sorted.length - 1] / 1000.0);
        }
        return sb.append('}').toString();
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
