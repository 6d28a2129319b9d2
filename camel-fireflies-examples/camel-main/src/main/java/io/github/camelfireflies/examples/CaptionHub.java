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
package io.github.camelfireflies.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import io.github.camelfireflies.api.TranscriptionEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans caption events out to browsers over Server-Sent Events. A browser that connects first gets the latest revision
 * of the most recent {@value #KEEP} lines, then every event as it comes; each event is one SSE {@code data:} line
 * holding the event's JSON, and the page keys its lines by {@code chunk_id}, so a revision replaces its line.
 * <p>
 * As a {@link Processor} it takes {@link TranscriptionEvent} bodies from the Fireflies route; as a Vert.x handler it
 * serves {@code GET /events}. Writes to a browser always happen on that connection's own Vert.x context, in order; the
 * route's thread never blocks on a slow browser (Vert.x buffers; a browser that stops reading is dropped).
 */
public final class CaptionHub implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(CaptionHub.class);

    /** Lines kept for browsers that connect later. */
    static final int KEEP = 500;
    /** A browser whose unsent output grows beyond this is disconnected (it reconnects and gets the state). */
    private static final int MAX_QUEUED_BYTES = 1 << 20;

    private final Map<String, String> lines = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEEP;
        }
    };
    private final Set<Client> clients = new CopyOnWriteArraySet<>();

    private record Client(HttpServerResponse response, Context context) {
        void send(String json) {
            context.runOnContext(v -> {
                if (response.closed() || response.ended()) {
                    return;
                }
                if (response.writeQueueFull()) {
                    // not reading: drop it rather than buffer without bound
                    response.reset();
                    return;
                }
                response.write("data: " + json + "\n\n");
            });
        }
    }

    @Override
    public void process(Exchange exchange) {
        TranscriptionEvent e = exchange.getMessage().getBody(TranscriptionEvent.class);
        if (e == null) {
            return;
        }
        String json = exchange.getContext().getTypeConverter().convertTo(String.class, exchange, e);
        synchronized (this) {
            lines.put(e.chunkId(), json); // a revision keeps its line's place (insertion order)
            for (Client c : clients) {
                c.send(json);
            }
        }
    }

    /** Serves {@code GET /events}: the current lines, then every new event, until the browser goes away. */
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true);
        response.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
        response.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        response.putHeader("Cache-Control", "no-cache");
        response.putHeader("X-Accel-Buffering", "no");
        Context context = Vertx.currentContext();
        Client client = new Client(response, context);
        response.closeHandler(v -> clients.remove(client));
        response.exceptionHandler(t -> clients.remove(client));
        List<String> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(lines.values());
            // a retry hint for EventSource, then the state; later events are queued on this context after it
            StringBuilder sb = new StringBuilder("retry: 1000\n\n");
            for (String json : snapshot) {
                sb.append("data: ").append(json).append("\n\n");
            }
            response.write(sb.toString());
            clients.add(client);
        }
        LOG.debug("Browser connected for captions ({} lines sent)", snapshot.size());
    }

    /** How many caption lines are kept for browsers that connect later. */
    public synchronized int lineCount() {
        return lines.size();
    }

    /** How many browsers are connected. */
    public int clients() {
        return clients.size();
    }

    /** Ends every browser's stream (on shutdown). */
    public void closeAll() {
        for (Client c : clients) {
            c.context().runOnContext(v -> {
                if (!c.response().ended() && !c.response().closed()) {
                    c.response().end();
                }
            });
        }
        clients.clear();
    }
}
