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

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time of this JVM's threads by kind, read from {@code /proc/self/task} (Linux): the JIT compilers, the garbage
 * collector and VM threads, the WebSocket I/O threads, the route's worker threads, the rest. Taken at the start and at
 * the end of a measured window, the difference says where the client's CPU per event goes, which the process total
 * cannot. The two snapshots are subtracted thread by thread (by thread id): a thread that ended inside the window
 * takes its time with it (a pool that lets an idle thread go loses a little), and never makes a kind negative; one
 * started inside it counts whole. Elsewhere than Linux the map is empty.
 */
final class ThreadCpu {

    static final String JIT = "jit";
    static final String GC = "gc";
    static final String IO = "io";
    static final String ROUTE = "route";
    static final String OTHER = "other";

    /** Linux reports times in clock ticks of 1/100 s (USER_HZ) on every architecture the bench runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ThreadCpu() {
    }

    /** CPU nanoseconds of each thread, now, keyed {@code kind/tid}; see {@link #minus}. */
    static Map<String, Long> snapshot() {
        Map<String, Long> byThread = new LinkedHashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return Map.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path t : ds) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = Files.readString(t.resolve("comm")).trim();
                    // the fields after the name (which may hold spaces) start after the last ')'
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    byThread.put(kind(name) + "/" + t.getFileName(), ticks * NANOS_PER_TICK);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byThread;
    }

    /** The kind of a thread from its OS name (the first 15 characters of the Java name). */
    static String kind(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")
            || name.startsWith("VM Periodic")) {
            return GC;
        }
        if (name.startsWith("FirefliesJetty") || name.startsWith("WebSocketClient") || name.startsWith("Grizzly")
            || name.startsWith("tyrus") || name.startsWith("EventThread") || name.startsWith("OkHttp")) {
            return IO;
        }
        if (name.startsWith("Camel (")) {
            return ROUTE;
        }
        return OTHER;
    }

    /** {@code end - start} by kind, thread by thread: the threads alive at the end, less what they had at the start. */
    static Map<String, Long> minus(Map<String, Long> end, Map<String, Long> start) {
        Map<String, Long> d = new LinkedHashMap<>();
        if (end.isEmpty()) {
            return d;
        }
        for (String k : new String[] { JIT, GC, IO, ROUTE, OTHER }) {
            d.put(k, 0L);
        }
        end.forEach((thread, v) -> d.merge(thread.substring(0, thread.indexOf('/')),
                Math.max(0, v - start.getOrDefault(thread, 0L)), Long::sum));
        return d;
    }
}
