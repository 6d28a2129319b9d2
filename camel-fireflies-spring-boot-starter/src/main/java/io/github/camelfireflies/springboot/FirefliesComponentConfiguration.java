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
package io.github.camelfireflies.springboot;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import io.github.camelfireflies.FirefliesConfiguration;
import io.github.camelfireflies.realtime.OrderedLane;
import jakarta.websocket.WebSocketContainer;
import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code camel.component.fireflies.*} properties: one per option of the {@code fireflies} component, copied onto
 * the component (and so becoming the default of every {@code fireflies:} endpoint) when Camel creates it. The defaults
 * here are the component's own. Options whose type is an object take a bean reference, {@code #bean:name} or
 * {@code #name}.
 */
@ConfigurationProperties(prefix = "camel.component.fireflies")
public class FirefliesComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * Whether to enable auto configuration of the fireflies component. This is enabled by default.
     */
    private Boolean enabled;

    /**
     * The Fireflies API key, with or without the 'Bearer ' prefix. Sent only in the Socket.IO CONNECT packet,
     * never logged.
     */
    private String apiKey;

    /**
     * Base URL of the realtime server: scheme (wss, ws, https, http), host and optional port, without a path.
     */
    private String url = "wss://api.fireflies.ai";

    /**
     * The Socket.IO path of the realtime server (the server's path option, not a namespace).
     */
    private String path = "/ws/realtime";

    /**
     * Comma-separated Socket.IO event names that become exchanges; a single asterisk selects every event, lifecycle
     * ones (auth.success, auth.failed, connection.established, connection.error) included.
     */
    private String events = "transcription.broadcast";

    /**
     * Time allowed for one connect, from opening the TCP connection to the Socket.IO CONNECT ack. A plain number is
     * read as milliseconds.
     */
    private Duration connectTimeout = Duration.ofMillis(20000);

    /**
     * The largest incoming WebSocket message accepted, in bytes.
     */
    private Integer maxMessageSize = 4194304;

    /**
     * The first wait before reconnecting after a transient failure; it doubles with each failed attempt. A plain
     * number is read as milliseconds.
     */
    private Duration reconnectDelay = Duration.ofMillis(1000);

    /**
     * The longest wait between reconnect attempts. A plain number is read as milliseconds.
     */
    private Duration reconnectDelayMax = Duration.ofMillis(5000);

    /**
     * How much each reconnect wait is spread at random, from 0 (not at all) to 1 (+-100%).
     */
    private Double randomizationFactor = 0.5;

    /**
     * How many reconnect attempts in a row before giving up; 0 means no limit, -1 never reconnect. Authentication
     * failures are never retried.
     */
    private Integer reconnectAttempts = 0;

    /**
     * Whether to reconnect after the server ends the session on purpose (a Socket.IO DISCONNECT), which usually means
     * the meeting is over.
     */
    private Boolean reconnectOnServerDisconnect = false;

    /**
     * How many events may wait for the route; when the route is slower than the meeting the queue fills and
     * overflowPolicy decides what is dropped.
     */
    private Integer queueSize = 10000;

    /**
     * What to drop when the queue is full: DROP_OLDEST keeps the stream current, DROP_NEWEST keeps what already
     * waits. Every drop is counted and reported.
     */
    private OrderedLane.OverflowPolicy overflowPolicy = OrderedLane.OverflowPolicy.DROP_OLDEST;

    /**
     * A JSR 356 WebSocketContainer to connect with instead of the component's default one (Tyrus JDK client). The
     * option is a jakarta.websocket.WebSocketContainer type: give a bean reference, #bean:name.
     */
    private WebSocketContainer webSocketContainer;

    /**
     * TLS settings for wss connections; by default the JVM's trust store verifies the server. The option is a
     * org.apache.camel.support.jsse.SSLContextParameters type: give a bean reference, #bean:name.
     */
    private SSLContextParameters sslContextParameters;

    /**
     * Allow a plain ws:// (or http://) URL to a host other than the loopback interface. Refused by default: the API
     * key would cross the network in clear text.
     */
    private Boolean allowInsecure = false;

    /**
     * Threads that route the events of all live consumers of this component. Each meeting is routed by one thread at a
     * time, in order.
     */
    private Integer workerPoolSize = 10;

    /**
     * A thread pool to route events on instead of the component's own; not shut down by the component. Give it a queue
     * that is not bounded: while it refuses tasks, the events of a meeting wait in their queue (and a warning is
     * logged). The option is a java.util.concurrent.ExecutorService type: give a bean reference, #bean:name.
     */
    private ExecutorService workerPool;

    /**
     * Default options for every endpoint of this component, as one object. The option is a
     * io.github.camelfireflies.FirefliesConfiguration type: give a bean reference, #bean:name.
     */
    private FirefliesConfiguration configuration;

    /**
     * Allows for bridging the consumer to the Camel routing Error Handler, which means any exceptions (if possible)
     * occurred while the Camel consumer is trying to pickup incoming messages, or the likes, will now be processed as
     * a message and handled by the routing Error Handler.
     */
    private Boolean bridgeErrorHandler = false;

    /**
     * Whether autowiring is enabled: options marked as autowired are looked up in the registry when a single bean of
     * their type is found.
     */
    private Boolean autowiredEnabled = true;

    /**
     * Used for enabling or disabling all consumer based health checks from this component.
     */
    private Boolean healthCheckConsumerEnabled = true;

    /**
     * Used for enabling or disabling all producer based health checks from this component (it has no producer).
     */
    private Boolean healthCheckProducerEnabled = true;

    /**
     * Which transcription events become exchanges: revisions (every event), changes (every event except exact
     * repeats of a segment's text) or final (one exchange per segment with its last revision; finality is inferred,
     * see finalizeAfter, and a later revision is emitted again as a correction).
     */
    private String emit = "revisions";

    /**
     * With emit=final: a segment is taken as finished once a newer segment has started and it has had no revision for
     * this long. A heuristic.
     */
    private Duration finalizeAfter = Duration.ofMillis(5000);

    /**
     * What the consumers fetch from the GraphQL API (transcript(id), the live sentences) so that the transcript misses
     * nothing the socket missed: none, gaps (after a reconnect, the segments spoken while the connection was down) or
     * all (gaps, plus everything said before the first subscription). Not set: gaps for live, all for meetings.
     */
    private String backfill;

    /**
     * The Fireflies GraphQL endpoint, used by the meetings (discovery) and graphql endpoints.
     */
    private String graphqlUrl = "https://api.fireflies.ai/graphql";

    /**
     * Whether producers (fireflies:graphql) start lazily, on the first message, rather than with the route.
     */
    private Boolean lazyStartProducer = false;

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getEvents() {
        return events;
    }

    public void setEvents(String events) {
        this.events = events;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Integer getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(Integer maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public Duration getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(Duration reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public Duration getReconnectDelayMax() {
        return reconnectDelayMax;
    }

    public void setReconnectDelayMax(Duration reconnectDelayMax) {
        this.reconnectDelayMax = reconnectDelayMax;
    }

    public Double getRandomizationFactor() {
        return randomizationFactor;
    }

    public void setRandomizationFactor(Double randomizationFactor) {
        this.randomizationFactor = randomizationFactor;
    }

    public Integer getReconnectAttempts() {
        return reconnectAttempts;
    }

    public void setReconnectAttempts(Integer reconnectAttempts) {
        this.reconnectAttempts = reconnectAttempts;
    }

    public Boolean getReconnectOnServerDisconnect() {
        return reconnectOnServerDisconnect;
    }

    public void setReconnectOnServerDisconnect(Boolean reconnectOnServerDisconnect) {
        this.reconnectOnServerDisconnect = reconnectOnServerDisconnect;
    }

    public Integer getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(Integer queueSize) {
        this.queueSize = queueSize;
    }

    public OrderedLane.OverflowPolicy getOverflowPolicy() {
        return overflowPolicy;
    }

    public void setOverflowPolicy(OrderedLane.OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }

    public WebSocketContainer getWebSocketContainer() {
        return webSocketContainer;
    }

    public void setWebSocketContainer(WebSocketContainer webSocketContainer) {
        this.webSocketContainer = webSocketContainer;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public Boolean getAllowInsecure() {
        return allowInsecure;
    }

    public void setAllowInsecure(Boolean allowInsecure) {
        this.allowInsecure = allowInsecure;
    }

    public Integer getWorkerPoolSize() {
        return workerPoolSize;
    }

    public void setWorkerPoolSize(Integer workerPoolSize) {
        this.workerPoolSize = workerPoolSize;
    }

    public ExecutorService getWorkerPool() {
        return workerPool;
    }

    public void setWorkerPool(ExecutorService workerPool) {
        this.workerPool = workerPool;
    }

    public FirefliesConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FirefliesConfiguration configuration) {
        this.configuration = configuration;
    }

    public Boolean getBridgeErrorHandler() {
        return bridgeErrorHandler;
    }

    public void setBridgeErrorHandler(Boolean bridgeErrorHandler) {
        this.bridgeErrorHandler = bridgeErrorHandler;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public Boolean getHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(Boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    @Override
    public String toString() {
        // never the key
        return "FirefliesComponentConfiguration[url=" + url + ", path=" + path + ", apiKey="
               + (apiKey == null ? "<none>" : "***") + "]";
    }

    public String getBackfill() {
        return backfill;
    }

    public void setBackfill(String backfill) {
        this.backfill = backfill;
    }

    public String getEmit() {
        return emit;
    }

    public void setEmit(String emit) {
        this.emit = emit;
    }

    public Duration getFinalizeAfter() {
        return finalizeAfter;
    }

    public void setFinalizeAfter(Duration finalizeAfter) {
        this.finalizeAfter = finalizeAfter;
    }

    public String getGraphqlUrl() {
        return graphqlUrl;
    }

    public void setGraphqlUrl(String graphqlUrl) {
        this.graphqlUrl = graphqlUrl;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }
}
