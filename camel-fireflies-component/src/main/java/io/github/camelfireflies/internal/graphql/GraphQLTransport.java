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
package io.github.camelfireflies.internal.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.api.GraphQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the Fireflies GraphQL API: {@code POST <url>} with {@code Authorization: Bearer <key>} on the JDK's
 * {@link HttpURLConnection} (HTTP/1.1, no thread of its own), the answer's errors turned into
 * {@link GraphQLException}s, Retry-After read, the answer's size bounded, and the {@link CallGate} asked before each
 * call. Also the plain {@code PUT} of an upload. Knows nothing of Camel nor of the operations. Thread-safe.
 */
public final class GraphQLTransport {

    private static final Logger LOG = LoggerFactory.getLogger(GraphQLTransport.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The largest answer read; a larger one is an error rather than a heap full of transcript. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    /** A Retry-After hint larger than this many seconds is an epoch time in milliseconds (as the Node SDK reads it). */
    private static final long EPOCH_MILLIS_THRESHOLD = 100_000_000_000L;

    private final URI url;
    private final ApiKey apiKey;
    private final Duration connectTimeout;
    private final Duration timeout;
    private volatile CallGate gate = CallGate.OPEN;

    public GraphQLTransport(URI url, ApiKey apiKey, Duration connectTimeout, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public URI url() {
        return url;
    }

    /** The gate asked before each call from now on; null for none. */
    public void setCallGate(CallGate gate) {
        this.gate = gate == null ? CallGate.OPEN : gate;
    }

    public CallGate callGate() {
        return gate;
    }

    /**
     * Sends a document after asking the gate.
     *
     * @param  operation the schema's field name of the operation (for the gate), or {@code query}
     * @param  document  the GraphQL document
     * @param  variables its variables, or null
     * @return           the response's {@code data} (never null; a missing one is an error)
     */
    public JsonNode execute(String operation, String document, Map<String, ?> variables) throws GraphQLException {
        byte[] body = requestBody(document, variables);
        List<String> operations = "query".equals(operation) ? RootFields.of(document) : List.of(operation);
        for (int attempt = 1;; attempt++) {
            gate.acquire(operations);
            try {
                return send(body);
            } catch (GraphQLException.RateLimitedException e) {
                if (!gate.rateLimited(e.getRetryAfter(), attempt)) {
                    throw e;
                }
                LOG.debug("GraphQL call {} rate limited by the server (attempt {}); sending it again", operations,
                        attempt);
            }
        }
    }

    /** One request, as it is. */
    private JsonNode send(byte[] body) throws GraphQLException {
        HttpURLConnection c = null;
        try {
            c = open(url, "POST");
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("Authorization", apiKey.authorization());
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? null : read(in);
            return handle(status, text, c.getHeaderField("Retry-After"));
        } catch (IOException e) {
            if (c != null) {
                c.disconnect(); // a broken connection must not go back to the keep-alive cache
            }
            throw new GraphQLException("Cannot reach the Fireflies GraphQL API at " + url + ": " + scrub(e.toString()), 0,
                    null, e);
        }
    }

    /**
     * PUTs bytes to a (signed) upload URL, streaming them: never more than a buffer of them in memory. No
     * {@code Authorization} header: the key is for the GraphQL API only.
     *
     * @param target      the URL {@code createUploadUrl} gave
     * @param in          the bytes; closed when done
     * @param length      how many bytes {@code in} gives
     * @param contentType the content type named to {@code createUploadUrl}
     */
    public void put(URI target, InputStream in, long length, String contentType) throws GraphQLException {
        String where = target.getScheme() + "://" + target.getAuthority() + target.getPath(); // no signature in messages
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new GraphQLException("The upload URL is not an http(s) URL: " + where, 0, null, null);
        }
        HttpURLConnection c = null;
        try (in) {
            c = open(target, "PUT");
            c.setRequestProperty("Content-Type", contentType);
            c.setFixedLengthStreamingMode(length);
            try (OutputStream out = c.getOutputStream()) {
                long copied = in.transferTo(out);
                if (copied != length) {
                    throw new IOException("the recording gave " + copied + " bytes, " + length + " were announced");
                }
            }
            int status = c.getResponseCode();
            InputStream answer = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = answer == null ? null : read(answer);
            if (status / 100 != 2) {
                throw new GraphQLException("The upload to " + where + " answered HTTP " + status + ": "
                                           + abbreviate(scrub(text)), status, null, null);
            }
            LOG.debug("Uploaded {} bytes to {}", length, where);
        } catch (IOException e) {
            if (c != null) {
                c.disconnect();
            }
            throw new GraphQLException("Cannot upload the recording to " + where + ": " + scrub(e.toString()), 0, null, e);
        }
    }

    private HttpURLConnection open(URI target, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection();
        c.setConnectTimeout(millis(connectTimeout));
        c.setReadTimeout(millis(timeout));
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setDoOutput(true);
        c.setRequestMethod(method);
        return c;
    }

    private static byte[] requestBody(String query, Map<String, ?> variables) throws GraphQLException {
        if (query == null || query.isBlank()) {
            throw new GraphQLException("The GraphQL query is empty", 0, null, null);
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("query", query);
        if (variables != null && !variables.isEmpty()) {
            body.set("variables", MAPPER.valueToTree(variables));
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new IOException("The answer is larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private JsonNode handle(int status, String body, String retryAfterHeader) throws GraphQLException {
        JsonNode json = null;
        if (body != null && !body.isBlank()) {
            try {
                json = MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                json = null;
            }
        }
        JsonNode errors = json == null ? null : json.get("errors");
        JsonNode first = errors != null && errors.isArray() && !errors.isEmpty() ? errors.get(0) : null;
        String code = first == null ? null : firstText(first.get("code"), first.path("extensions").get("code"));
        String serverMessage = first == null ? null : scrub(text(first, "message"));
        int errorStatus = first == null ? 0 : first.path("extensions").path("status").asInt(0);

        if (status == 401 || status == 403 || errorStatus == 401 || errorStatus == 403 || isAuthCode(code)) {
            throw new GraphQLException.AuthenticationException(
                    "The Fireflies GraphQL API refused the API key (HTTP " + status + (code == null ? "" : ", " + code) + ")"
                                                               + (serverMessage == null ? "" : ": " + serverMessage)
                                                               + "; check the apiKey",
                    status, code);
        }
        if (status == 429 || errorStatus == 429 || "too_many_requests".equalsIgnoreCase(code)) {
            Duration retryAfter = retryAfter(retryAfterHeader);
            if (retryAfter == null && first != null) {
                retryAfter = retryAfterFromError(first);
            }
            throw new GraphQLException.RateLimitedException(
                    "The Fireflies GraphQL API is rate limiting this key (HTTP " + status
                                                            + (code == null ? "" : ", " + code) + ")"
                                                            + (retryAfter == null ? "" : "; retry after " + retryAfter.toMillis() + " ms")
                                                            + (serverMessage == null ? "" : ": " + serverMessage),
                    status, code, retryAfter);
        }
        if (first != null) {
            StringBuilder all = new StringBuilder();
            for (JsonNode e : errors) {
                if (all.length() > 0) {
                    all.append("; ");
                }
                all.append(scrub(text(e, "message")));
                if (all.length() > 500) {
                    break;
                }
            }
            throw new GraphQLException("The Fireflies GraphQL API answered with errors (HTTP " + status
                                       + (code == null ? "" : ", " + code) + "): " + all,
                    status, code, null);
        }
        if (status / 100 != 2) {
            throw new GraphQLException("The Fireflies GraphQL API answered HTTP " + status + ": " + abbreviate(scrub(body)),
                    status, null, null);
        }
        JsonNode data = json == null ? null : json.get("data");
        if (data == null || data.isNull()) {
            throw new GraphQLException("The Fireflies GraphQL API answered without data: " + abbreviate(scrub(body)),
                    status, null, null);
        }
        LOG.trace("GraphQL call to {} answered HTTP {}", url, status);
        return data;
    }

    private static boolean isAuthCode(String code) {
        if (code == null) {
            return false;
        }
        String c = code.toLowerCase(Locale.ROOT);
        return c.equals("auth_failed") || c.equals("unauthenticated") || c.equals("unauthorized")
               || c.equals("forbidden") || c.equals("invalid_api_key");
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            // an HTTP date
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration retryAfterFromError(JsonNode error) {
        JsonNode ext = error.path("extensions");
        JsonNode v = ext.has("retryAfter") ? ext.get("retryAfter") : ext.path("metadata").get("retryAfter");
        if (v != null && v.canConvertToLong() && v.asLong() >= 0) {
            long value = v.asLong();
            if (value >= EPOCH_MILLIS_THRESHOLD) {
                // an epoch time in milliseconds (the official Node SDK's reading)
                long left = value - System.currentTimeMillis();
                return Duration.ofMillis(Math.max(0, left));
            }
            // seconds, as the Retry-After header
            return Duration.ofSeconds(value);
        }
        return null;
    }

    /** The text without the API key (for messages built from server or exception text). */
    public String scrub(String text) {
        return apiKey.scrub(text);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "(empty body)";
        }
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n != null && n.isValueNode() && !n.isNull()) {
                return n.asText();
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public String toString() {
        return "GraphQLTransport[" + url + "]";
    }
}
