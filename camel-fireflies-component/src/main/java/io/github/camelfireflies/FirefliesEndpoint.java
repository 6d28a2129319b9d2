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
package io.github.camelfireflies;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;

import java.util.Set;
import java.util.stream.Collectors;

import io.github.camelfireflies.event.ChunkTracker;
import io.github.camelfireflies.realtime.FirefliesRealtimeClient;
import io.github.camelfireflies.socketio.Backoff;
import io.github.camelfireflies.socketio.SocketIoUris;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Receive live meeting transcripts from the Fireflies.ai Realtime API.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "fireflies", title = "Fireflies", syntax = "fireflies:type",
             consumerOnly = true, category = { Category.AI, Category.API }, headersClass = FirefliesConstants.class)
public class FirefliesEndpoint extends DefaultEndpoint implements EndpointServiceLocation {

    /** The kinds of endpoint. */
    public enum EndpointType {
        /** A live subscription to one meeting's transcript. */
        live;

        static EndpointType parse(String remaining) {
            String name = remaining == null ? "" : remaining.trim();
            for (EndpointType t : values()) {
                if (t.name().equalsIgnoreCase(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("Unknown fireflies endpoint type '" + name + "': valid types are "
                                               + Arrays.toString(values()));
        }
    }

    @UriPath(description = "The kind of endpoint: `live` follows one meeting's transcript as it is spoken.",
             enums = "live")
    @Metadata(required = true)
    private EndpointType type;

    @UriParam(label = "common",
              description = "The transcript id of the meeting to follow (required for `live`).")
    private String transcriptId;

    @UriParam
    private FirefliesConfiguration configuration;

    public FirefliesEndpoint(String uri, FirefliesComponent component, FirefliesConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public FirefliesComponent getComponent() {
        return (FirefliesComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("fireflies:" + type + " can only be used as a consumer (from)");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        FirefliesConsumer consumer = new FirefliesConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Fails endpoint creation with a message that says what is wrong and how to fix it. */
    void validate() {
        if (type == EndpointType.live && (transcriptId == null || transcriptId.isBlank())) {
            throw new IllegalArgumentException(
                    "fireflies:live needs a transcriptId, e.g. fireflies:live?transcriptId=<the meeting's transcript id>");
        }
        String key = configuration.getApiKey();
        if (key == null || key.isBlank() || key.trim().equalsIgnoreCase("Bearer")) {
            throw new IllegalArgumentException("fireflies:" + type + " needs an apiKey: set it on the endpoint"
                                               + " (apiKey=RAW(...)) or on the component (camel.component.fireflies.api-key)");
        }
        URI uri = SocketIoUris.engineIoUri(configuration.getUrl(), configuration.getPath());
        if ("ws".equals(uri.getScheme()) && !configuration.isAllowInsecure() && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("Refusing the plain ws:// URL to " + uri.getHost()
                                               + ": the API key would cross the network unencrypted. Use wss://,"
                                               + " or set allowInsecure=true if you really mean it.");
        }
        if (configuration.getMaxMessageSize() <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive, was " + configuration.getMaxMessageSize());
        }
        if (configuration.getQueueSize() <= 0) {
            throw new IllegalArgumentException("queueSize must be positive, was " + configuration.getQueueSize());
        }
        if (configuration.getConnectTimeout() <= 0) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + configuration.getConnectTimeout());
        }
        if (configuration.getReconnectAttempts() < -1) {
            throw new IllegalArgumentException(
                    "reconnectAttempts must be -1 (never), 0 (no limit) or positive, was "
                                               + configuration.getReconnectAttempts());
        }
        emitMode(); // validates emit
        if (configuration.getFinalizeAfter() < 0) {
            throw new IllegalArgumentException("finalizeAfter must not be negative, was " + configuration.getFinalizeAfter());
        }
        backoff(); // validates the reconnect options
        eventNames(); // validates events
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if ("localhost".equalsIgnoreCase(h)) {
            return true;
        }
        // only literal addresses: no name lookup here
        if (!h.isEmpty() && (Character.isDigit(h.charAt(0)) || h.contains(":"))) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    Backoff backoff() {
        return new Backoff(configuration.getReconnectDelay(), configuration.getReconnectDelayMax(),
                configuration.getRandomizationFactor());
    }

    /** The emit option, parsed. */
    ChunkTracker.Mode emitMode() {
        return ChunkTracker.Mode.parse(configuration.getEmit());
    }

    /** The selected event names; empty means every event. */
    Set<String> eventNames() {
        String events = configuration.getEvents();
        if (events == null || events.isBlank()) {
            throw new IllegalArgumentException("events must name at least one event, or * for all");
        }
        Set<String> names = Arrays.stream(events.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return names.contains("*") ? Set.of() : names;
    }

    FirefliesRealtimeClient.Options clientOptions() {
        return new FirefliesRealtimeClient.Options(configuration.getUrl(), configuration.getPath(),
                configuration.getApiKey(), transcriptId, eventNames(), configuration.getConnectTimeout(), backoff(),
                configuration.getReconnectAttempts(), configuration.isReconnectOnServerDisconnect());
    }

    @Override
    public String getServiceUrl() {
        return SocketIoUris.engineIoUri(configuration.getUrl(), configuration.getPath()).toString();
    }

    @Override
    public String getServiceProtocol() {
        return "socket.io";
    }

    public EndpointType getType() {
        return type;
    }

    public void setType(EndpointType type) {
        this.type = type;
    }

    public String getTranscriptId() {
        return transcriptId;
    }

    public void setTranscriptId(String transcriptId) {
        this.transcriptId = transcriptId;
    }

    public FirefliesConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FirefliesConfiguration configuration) {
        this.configuration = configuration;
    }

}
