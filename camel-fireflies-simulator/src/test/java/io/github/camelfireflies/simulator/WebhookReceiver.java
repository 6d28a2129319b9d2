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
package io.github.camelfireflies.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A webhook receiver on 127.0.0.1: records every request with its raw bytes and answers the status it is told to. */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String method, String protocol, Headers headers, byte[] body, long nanos) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.getFirst(name); // case-insensitive
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ToIntFunction<Request> status;

    /** @param status the status to answer a request with (may block, to play a slow receiver) */
    WebhookReceiver(ToIntFunction<Request> status) {
        this.status = status;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        server.createContext("/hooks/fireflies", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    WebhookReceiver() {
        this(r -> 200);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Request r = new Request(exchange.getRequestMethod(), exchange.getProtocol(), exchange.getRequestHeaders(), body,
                System.nanoTime());
        requests.add(r);
        int code = status.applyAsInt(r);
        exchange.sendResponseHeaders(code, -1);
        try (OutputStream out = exchange.getResponseBody()) {
            out.flush();
        }
        exchange.close();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/fireflies");
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
