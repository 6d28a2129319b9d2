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
package io.github.camelfireflies.internal.websocket;

import java.time.Duration;
import java.util.function.Function;

import jakarta.websocket.WebSocketContainer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * Jetty 12's jakarta client, with every thread it uses made here and ended by {@link DefaultContainers.Owned#stop()}:
 * one bounded pool ({@value #THREAD_NAME}-*, daemon; one of its threads is the selector, the others read and write
 * frames and go after {@value #IDLE_TIMEOUT_MS} ms idle) and one scheduler thread ({@value #THREAD_NAME}-scheduler-*)
 * for the connect timeout. The HTTP client, the WebSocket components and the container share them, and one buffer
 * pool. Frames and messages up to {@code maxMessageSize} are accepted (Jetty's own defaults refuse 64 KiB); a message
 * is accumulated as it arrives, never preallocated.
 */
final class JettyContainers {

    static final String THREAD_NAME = "FirefliesJetty";
    /** The selector and up to this many threads less one that run frames; the I/O callbacks never block long. */
    static final int MAX_THREADS = 8;
    static final int MIN_THREADS = 2;
    static final int IDLE_TIMEOUT_MS = 30_000;

    private JettyContainers() {
    }

    static DefaultContainers.Owned create(DefaultContainers.Settings settings) {
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, IDLE_TIMEOUT_MS);
        pool.setName(THREAD_NAME);
        pool.setDaemon(true);
        // One thread parked for Jetty's execution strategy: the selector's thread then reads the frames it woke up for
        // itself while the parked one takes over selecting. Without it, each wake-up handed the read to a pool thread
        // woken for it, a second wake-up on the path of every frame (at 1,000 events/s, p99 from frame sent to route
        // 1.6 to 2.8 ms with none, 0.6 to 0.9 ms with one; BENCHMARKS.md). One, for the one selector; it is one of the
        // pool's MAX_THREADS, not one more.
        pool.setReservedThreads(1);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler(THREAD_NAME + "-scheduler", true);
        ArrayByteBufferPool buffers = new ArrayByteBufferPool();

        ClientConnector connector = new ClientConnector();
        connector.setExecutor(pool);
        connector.setScheduler(scheduler);
        connector.setByteBufferPool(buffers);
        connector.setSelectors(1);
        connector.setConnectTimeout(Duration.ofMillis(settings.connectTimeoutMs()));
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (settings.sslContext() != null) {
            tls.setSslContext(settings.sslContext());
        }
        connector.setSslContextFactory(tls);

        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(connector)); // the upgrade is HTTP/1.1
        http.setExecutor(pool);
        http.setScheduler(scheduler);
        http.setByteBufferPool(buffers);
        http.setConnectTimeout(settings.connectTimeoutMs());
        http.setFollowRedirects(false);

        WebSocketComponents components = new WebSocketComponents(null, null, buffers, null, null, pool);
        Container container = new Container(components, c -> new WebSocketCoreClient(http, c), settings.maxMessageSize());
        // the component's own connections use Jetty's frame API (JettyCoreTransport), on the same client and threads
        WebSocketCoreClient core = new WebSocketCoreClient(http, components);
        java.util.Set<JettyCoreTransport.CoreConnection> open = JettyCoreTransport.newConnectionSet();
        LifeCycle[] parts = { pool, scheduler, http, components, container, core };
        try {
            for (LifeCycle part : parts) {
                part.start();
            }
        } catch (Exception e) {
            stopAll(parts);
            throw new IllegalStateException("Cannot start the Jetty WebSocket client: " + e.getMessage(), e);
        }
        return new DefaultContainers.Owned() {
            @Override
            public WebSocketContainer container() {
                return container;
            }

            @Override
            public boolean assembleParts() {
                return false;
            }

            @Override
            public WebSocketTransport transport(int maxMessageSize, java.util.Map<String, Object> userProperties) {
                return new JettyCoreTransport(core, maxMessageSize, settings.connectTimeoutMs(), open);
            }

            @Override
            public void stop() {
                JettyCoreTransport.closeAll(open);
                stopAll(parts);
            }
        };
    }

    /** Stops in reverse order of start: the container closes its sessions first, the thread pool ends last. */
    private static void stopAll(LifeCycle[] parts) {
        for (int i = parts.length - 1; i >= 0; i--) {
            LifeCycle.stop(parts[i]);
        }
    }

    /** Jetty's container with its frame and message limits raised to the component's (and no idle timeout). */
    static final class Container extends JakartaWebSocketClientContainer {

        Container(WebSocketComponents components, Function<WebSocketComponents, WebSocketCoreClient> coreClientFactory,
                  int maxMessageSize) {
            super(components, coreClientFactory);
            defaultCustomizer.setMaxFrameSize(maxMessageSize);
            defaultCustomizer.setMaxTextMessageSize(maxMessageSize);
            defaultCustomizer.setMaxBinaryMessageSize(maxMessageSize);
            defaultCustomizer.setIdleTimeout(Duration.ZERO); // the Engine.IO heartbeat decides when a connection is dead
        }
    }
}
