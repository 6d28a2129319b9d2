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
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.camelfireflies.FirefliesComponent;
import io.github.camelfireflies.api.WebSocketProvider;
import io.github.camelfireflies.LiveConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One JVM of the provider comparison ({@link ProviderComparison}): the component on one {@link WebSocketProvider},
 * with its default options otherwise.
 *
 * <pre>
 * ProviderProbe burst &lt;provider&gt; url path apiKey transcriptId warmup count
 * ProviderProbe scale &lt;provider&gt; url path apiKey transcriptPrefix size[,size...]
 * </pre>
 *
 * {@code burst}: one {@code fireflies:live} route whose processor counts; prints {@code READY}, {@code WARM} after
 * {@code warmup} events and {@code RESULT {json}} after {@code count} more (as {@link ClientMain}). {@code scale}: for
 * each size, adds routes up to that many subscriptions, prints {@code CONNECTED n} once all are connected, and on a
 * {@code MEASURE} line measures the process CPU over a window, forces GC and prints {@code RESULT {json}} (heap after
 * GC, JVM threads, threads by name). After the last size, on {@code STOP}: stops the CamelContext and prints
 * {@code LEFT {json}} with the threads that were not there before the context was made and are still alive 20 s
 * later. Exits when stdin closes.
 */
public final class ProviderProbe {

    static final long WINDOW_MILLIS = 10_000;

    private ProviderProbe() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        WebSocketProvider provider = WebSocketProvider.parse(args[1]);
        String url = args[2];
        String path = args[3];
        String key = args[4];
        if ("burst".equals(mode)) {
            burst(provider, url, path, key, args[5], Integer.parseInt(args[6]), Integer.parseInt(args[7]));
        } else if ("scale".equals(mode)) {
            List<Integer> sizes = java.util.Arrays.stream(args[6].split(",")).map(Integer::valueOf).toList();
            scale(provider, url, path, key, args[5], sizes);
        } else {
            throw new IllegalArgumentException("mode must be burst or scale, was " + mode);
        }
        System.exit(0);
    }

    private static CamelContext context(WebSocketProvider provider, String key) {
        CamelContext ctx = new DefaultCamelContext();
        FirefliesComponent component = new FirefliesComponent();
        component.setWebSocketProvider(provider);
        ctx.addComponent("fireflies", component);
        ctx.getPropertiesComponent().addInitialProperty("bench.key", key);
        return ctx;
    }

    private static String uri(String url, String path, String tid) {
        return "fireflies:live?transcriptId=" + tid + "&apiKey={{bench.key}}&url=" + url + "&path=" + path;
    }

    // ------------------------------------------------------------------------------------------------ burst

    static void burst(WebSocketProvider provider, String url, String path, String key, String tid, int warmup, int count)
            throws Exception {
        ClientMain.watchStdin();
        Recorder rec = new Recorder(warmup, count, false);
        CamelContext ctx = context(provider, key);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(url, path, tid)).routeId("bench").process(e -> rec.onEvent(null));
            }
        });
        ctx.start();
        LiveConsumer consumer = (LiveConsumer) ctx.getRoute("bench").getConsumer();
        System.out.println("READY");
        long deadline = System.currentTimeMillis() + ClientMain.TIMEOUT_MILLIS;
        while (!rec.awaitWarm(20)) {
            if (consumer.getEventsDropped() > 0 && rec.received() + consumer.getEventsDropped() >= warmup) {
                rec.forceWarm();
            }
            if (System.currentTimeMillis() > deadline) {
                ClientMain.fail("no warm-up after " + rec.received() + " events");
            }
        }
        long droppedInWarmup = consumer.getEventsDropped();
        System.out.println("WARM");
        while (!rec.awaitDone(20)) {
            long d = consumer.getEventsDropped();
            if (d > droppedInWarmup && rec.received() + d >= (long) warmup + count) {
                rec.finishNow();
            }
            if (System.currentTimeMillis() > deadline) {
                ClientMain.fail("timed out after " + rec.received() + " events");
            }
        }
        System.out.println("RESULT " + rec.resultJson(provider.name(), consumer.getEventsDropped() - droppedInWarmup));
        System.out.flush();
        ctx.stop();
    }

    // ------------------------------------------------------------------------------------------------ scale

    static void scale(WebSocketProvider provider, String url, String path, String key, String prefix, List<Integer> sizes)
            throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Set<Thread> before = liveThreads();
        LongAdder events = new LongAdder();
        CamelContext ctx = context(provider, key);
        ctx.start();
        int routes = 0;
        for (int size : sizes) {
            int from = routes;
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int i = from; i < size; i++) {
                        from(uri(url, path, prefix + i)).routeId("scale" + i).process(e -> events.increment());
                    }
                }
            });
            routes = size;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (notConnected(ctx) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            System.out.println("CONNECTED " + (size - notConnected(ctx)));
            System.out.flush();
            if (!"MEASURE".equals(readLine(stdin))) {
                return;
            }
            long events0 = events.sum();
            long cpu0 = Recorder.cpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(WINDOW_MILLIS);
            long cpu = Recorder.cpuNanos() - cpu0;
            long wall = System.nanoTime() - t0;
            String names = ScaleMain.threadNames();
            System.gc();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.println(String.format(Locale.ROOT,
                    "RESULT {\"provider\":\"%s\",\"subscriptions\":%d,\"connected\":%d,\"heapBytes\":%d,\"javaThreads\":%d,"
                    + "\"osThreads\":%d,\"cpuPercent\":%.2f,\"eventsTotal\":%d,\"eventsInWindow\":%d,\"threads\":\"%s\"}",
                    provider, size, size - notConnected(ctx), heap,
                    ManagementFactory.getThreadMXBean().getThreadCount(), ScaleMain.osThreads(), 100.0 * cpu / wall,
                    events.sum(), events.sum() - events0, names.replace("\"", "'")));
            System.out.flush();
        }
        if (!"STOP".equals(readLine(stdin))) {
            return;
        }
        long t0 = System.nanoTime();
        ctx.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // up to 20 s for threads to end after the stop returned; the names of those still alive then
        List<String> left = newThreads(before);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = newThreads(before);
        }
        System.out.println("LEFT {\"provider\":\"" + provider + "\",\"stopMillis\":" + stopMillis + ",\"count\":" + left.size()
                           + ",\"names\":\"" + String.join(", ", left) + "\"}");
        System.out.flush();
        readLine(stdin); // until the harness closes stdin
    }

    private static String readLine(BufferedReader in) throws java.io.IOException {
        String l = in.readLine();
        return l == null ? null : l.trim();
    }

    private static long notConnected(CamelContext ctx) {
        long n = 0;
        for (Route r : ctx.getRoutes()) {
            if (!"CONNECTED".equals(((LiveConsumer) r.getConsumer()).getConnectionState())) {
                n++;
            }
        }
        return n;
    }

    private static Set<Thread> liveThreads() {
        Set<Thread> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(Thread.getAllStackTraces().keySet());
        return s;
    }

    /** Threads alive now and not before the context was made. */
    private static List<String> newThreads(Set<Thread> before) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !before.contains(t)) {
                names.add(t.getName().trim());
            }
        }
        Collections.sort(names);
        return names;
    }
}
