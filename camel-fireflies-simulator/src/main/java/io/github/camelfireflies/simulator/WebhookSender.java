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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Sends webhooks as Fireflies does: POST, {@code Content-Type: application/json}, the body signed with HMAC-SHA256
 * (lower-case hex, optionally after {@code sha256=}) in {@code X-Hub-Signature} (V2) or {@code x-hub-signature} (V1),
 * through the JDK HttpClient on HTTP/1.1, with a 10 s timeout and no retry. Deliveries go out one at a time, in order,
 * on a thread of their own (never the meeting timer's); each is recorded with the status it got.
 */
final class WebhookSender {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final ObjectMapper MAPPER = SimJson.MAPPER;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The V1 event, the only one of the legacy scheme. */
    static final String V1_TRANSCRIPTION_COMPLETED = "Transcription completed";

    private final WebhookSettings settings;
    private final List<WebhookDelivery> deliveries = new ArrayList<>();
    private final Map<CompletableFuture<WebhookDelivery>, WebhookDelivery> pending = new ConcurrentHashMap<>();
    private volatile ExecutorService executor;
    private volatile HttpClient client;
    private volatile boolean closed;

    WebhookSender(WebhookSettings settings) {
        this.settings = settings;
    }

    WebhookSettings settings() {
        return settings;
    }

    synchronized void start() {
        if (executor != null || closed) {
            return;
        }
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        executor = Executors.newSingleThreadExecutor(SimTimer.threadFactory("fireflies-sim-webhook"));
    }

    // ------------------------------------------------------------------------------------------------ bodies

    /** {@code {"event","timestamp","meeting_id"[,"client_reference_id"]}}. */
    static String v2Body(String event, long timestampMs, String meetingId, String clientReferenceId) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event", event);
        o.put("timestamp", timestampMs);
        o.put("meeting_id", meetingId);
        if (clientReferenceId != null) {
            o.put("client_reference_id", clientReferenceId);
        }
        return o.toString();
    }

    /** {@code {"meetingId","eventType"[,"clientReferenceId"]}}. */
    static String v1Body(String eventType, String meetingId, String clientReferenceId) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("meetingId", meetingId);
        o.put("eventType", eventType);
        if (clientReferenceId != null) {
            o.put("clientReferenceId", clientReferenceId);
        }
        return o.toString();
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} with {@code secret} (both UTF-8). */
    static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // never the key in the message
            throw new IllegalStateException("Cannot compute HMAC-SHA256: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The signature header's value for {@code body}: hex, or {@code sha256=}hex; null when there is no secret. */
    String signature(String body) {
        if (!settings.signed()) {
            return null;
        }
        String hex = hmacSha256Hex(settings.secret(), body.getBytes(StandardCharsets.UTF_8));
        return settings.signaturePrefix() ? "sha256=" + hex : hex;
    }

    // ------------------------------------------------------------------------------------------------ sending

    /** Sends {@code event} about {@code meetingId} now, in the body of {@code version}, signed with the secret. */
    CompletableFuture<WebhookDelivery> send(WebhookVersion version, String event, String meetingId,
            String clientReferenceId) {
        String body = version == WebhookVersion.V2
                ? v2Body(event, System.currentTimeMillis(), meetingId, clientReferenceId)
                : v1Body(event, meetingId, clientReferenceId);
        return sendRaw(version, body, signature(body));
    }

    /** Sends {@code body} as is, with {@code signature} as the signature header's value (null: no such header). */
    CompletableFuture<WebhookDelivery> sendRaw(WebhookVersion version, String body, String signature) {
        ExecutorService e = executor;
        if (e == null || closed) {
            throw new IllegalStateException(closed ? "Simulator closed" : "Simulator not started");
        }
        String[] what = eventAndMeeting(version, body);
        CompletableFuture<WebhookDelivery> result = new CompletableFuture<>();
        // what the future completes with if the simulator closes before this one is sent
        pending.put(result, new WebhookDelivery(version, what[0], what[1], body, signature, -1,
                "simulator closed before sending", null, Duration.ZERO));
        try {
            e.execute(() -> {
                try {
                    // the same bytes to every URL, in order; the future tells how the first one answered
                    WebhookDelivery first = null;
                    for (URI url : settings.urls()) {
                        WebhookDelivery d = deliver(url, version, what, body, signature);
                        first = first == null ? d : first;
                    }
                    result.complete(first);
                } finally {
                    pending.remove(result);
                }
            });
        } catch (RejectedExecutionException ex) {
            pending.remove(result);
            throw new IllegalStateException("Simulator closed", ex);
        }
        return result;
    }

    private WebhookDelivery deliver(URI url, WebhookVersion version, String[] what, String body, String signature) {
        HttpRequest.Builder req = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (signature != null) {
            req.header(version.signatureHeader(), signature);
        }
        Instant sentAt = Instant.now();
        long t0 = System.nanoTime();
        int status = -1;
        String error = null;
        try {
            status = client.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException ex) {
            error = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            error = "interrupted (simulator closed)";
        }
        WebhookDelivery d = new WebhookDelivery(version, what[0], what[1], body, signature, status, error, sentAt,
                Duration.ofNanos(System.nanoTime() - t0), url);
        synchronized (deliveries) {
            deliveries.add(d);
        }
        if (error == null) {
            LOG.debug("Webhook {} {} for {}: HTTP {}", version, what[0], what[1], status);
        } else {
            LOG.debug("Webhook {} {} for {}: no answer ({})", version, what[0], what[1], error);
        }
        return d;
    }

    /** The event and meeting id a body names (null where it names none, or is not JSON). */
    private static String[] eventAndMeeting(WebhookVersion version, String body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json == null || !json.isObject()) {
                return new String[2];
            }
            return version == WebhookVersion.V2
                    ? new String[] { json.path("event").asText(null), json.path("meeting_id").asText(null) }
                    : new String[] { json.path("eventType").asText(null), json.path("meetingId").asText(null) };
        } catch (IOException e) {
            return new String[2];
        }
    }

    /** Every delivery so far, in the order they were sent. */
    List<WebhookDelivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /**
     * Stops the delivery thread: a delivery under way is interrupted, those not sent yet are dropped (their futures
     * complete with status -1). Waits at most 5 s.
     */
    void close() {
        closed = true;
        ExecutorService e = executor;
        if (e == null) {
            return;
        }
        e.shutdownNow();
        try {
            if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The simulator's webhook thread did not stop within 5 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        pending.forEach(CompletableFuture::complete);
        pending.clear();
        HttpClient c = client;
        client = null;
        if (c instanceof AutoCloseable closeable) {
            // Java 21 and later: its threads stop now (on 17 they end when the client is collected)
            try {
                closeable.close();
            } catch (Exception ex) {
                LOG.debug("Closing the webhook HTTP client: {}", ex.toString());
            }
        }
    }
}
