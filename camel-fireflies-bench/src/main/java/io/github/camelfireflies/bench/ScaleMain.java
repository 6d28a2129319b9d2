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
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.camelfireflies.LiveConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Many live subscriptions in one JVM, run by {@link Harness}:
 *
 * <pre>
 * ScaleMain &lt;camel|iosocket&gt; url path apiKey transcriptPrefix n measureMillis
 * </pre>
 *
 * Subscribes to {@code <prefix>0 .. <prefix>n-1} (camel: one CamelContext with n routes; iosocket: n sockets of the
 * official Java client), prints {@code READY}, and when a line {@code MEASURE} arrives on stdin measures the process
 * CPU over {@code measureMillis}, then forces GC and prints {@code RESULT {json}} with heap used after GC and thread
 * counts. Exits when stdin closes.
 */
public final class ScaleMain {

    private ScaleMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: ScaleMain <camel|iosocket> url path apiKey transcriptPrefix n measureMillis");
            System.exit(2);
        }
        String kind = args[0];
        String url = args[1];
        String path = args[2];
        String key = args[3];
        String prefix = args[4];
        int n = Integer.parseInt(args[5]);
        long measureMillis = Long.parseLong(args[6]);
        LongAdder events = new LongAdder();
        List<AutoCloseable> clients = new ArrayList<>();
        // camel: reconnects so far and subscriptions not connected right now, read from the consumers
        Supplier<long[]> churn = () -> new long[] { -1, -1 };

        if ("camel".equals(kind)) {
            CamelContext ctx = new DefaultCamelContext();
            ctx.getPropertiesComponent().addInitialProperty("bench.key", key);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int i = 0; i < n; i++) {
                        from("fireflies:live?transcriptId=" + prefix + i + "&apiKey={{bench.key}}&url=" + url + "&path=" + path)
                                .routeId("scale" + i).process(e -> events.increment());
                    }
                }
            });
            ctx.start();
            clients.add(ctx);
            churn = () -> {
                long reconnects = 0;
                long down = 0;
                for (Route route : ctx.getRoutes()) {
                    LiveConsumer c = (LiveConsumer) route.getConsumer();
                    reconnects += c.getReconnects();
                    if (!"CONNECTED".equals(c.getConnectionState())) {
                        down++;
                        System.err.println("not connected: " + c.getTranscriptId() + " state " + c.getConnectionState()
                                           + ", failed attempts " + c.getFailedAttempts() + ", last error " + c.getLastError());
                    }
                }
                return new long[] { reconnects, down };
            };
        } else if ("iosocket".equals(kind)) {
            // One shared OkHttp client whose dispatcher admits every socket: OkHttp 3 keeps each WebSocket's reader loop
            // in a running async call, and its default dispatcher (64 calls) left all sockets beyond the 64th unconnected.
            okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
            dispatcher.setMaxRequests(n + 16);
            dispatcher.setMaxRequestsPerHost(n + 16);
            okhttp3.OkHttpClient okHttp = new okhttp3.OkHttpClient.Builder().dispatcher(dispatcher)
                    .readTimeout(1, java.util.concurrent.TimeUnit.MINUTES).build();
            clients.add(() -> {
                okHttp.dispatcher().executorService().shutdown();
                okHttp.connectionPool().evictAll();
            });
            for (int i = 0; i < n; i++) {
                io.socket.client.IO.Options options = io.socket.client.IO.Options.builder()
                        .setPath(path)
                        .setTransports(new String[] { io.socket.engineio.client.transports.WebSocket.NAME })
                        .setAuth(Map.of("token", "Bearer " + key, "transcriptId", prefix + i))
                        .setForceNew(true)
                        .build();
                options.webSocketFactory = okHttp;
                options.callFactory = okHttp;
                io.socket.client.Socket socket = io.socket.client.IO.socket(URI.create(url), options);
                socket.on("transcription.broadcast", a -> events.increment());
                socket.connect();
                clients.add(socket::close);
            }
        } else {
            throw new IllegalArgumentException("unknown client " + kind);
        }
        System.out.println("READY");

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null) {
            if (!"MEASURE".equals(line.trim())) {
                continue;
            }
            long events0 = events.sum();
            long cpu0 = Recorder.cpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(measureMillis);
            long cpu = Recorder.cpuNanos() - cpu0;
            long wall = System.nanoTime() - t0;
            long received = events.sum() - events0;
            long[] churned = churn.get();
            System.err.println("JVM threads by name: " + threadNames());
            System.gc();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            System.out.println("RESULT {\"client\":\"" + kind + "\",\"subscriptions\":" + n
                               + ",\"heapBytes\":" + heap
                               + ",\"javaThreads\":" + threads.getThreadCount()
                               + ",\"osThreads\":" + osThreads()
                               + ",\"cpuPercent\":" + (100.0 * cpu / wall)
                               + ",\"eventsInWindow\":" + received
                               + ",\"reconnects\":" + churned[0]
                               + ",\"notConnected\":" + churned[1] + "}");
            System.out.flush();
        }
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }
        System.exit(0);
    }

    /** Live threads grouped by name with the digits left out ({@code "tyrus-#-thread-#" x10, ...}), most first. */
    static String threadNames() {
        Map<String, Long> byName = Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.groupingBy(t -> t.getName().trim().replaceAll("[0-9]+", "#"),
                        Collectors.counting()));
        StringBuilder sb = new StringBuilder();
        byName.entrySet().stream().sorted(Map.Entry.<String, Long> comparingByValue().reversed())
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append('"').append(e.getKey()).append("\" x")
                        .append(e.getValue()));
        return sb.toString();
    }

    /** Threads of this process as the OS counts them (GC and JIT threads included), or -1 off Linux. */
    static int osThreads() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Threads:")) {
                    return Integer.parseInt(l.substring(8).trim());
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}
