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

import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.BackfillMode;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Endpoint creation, validation, secrets and generated metadata: no server needed. */
class FirefliesEndpointTest {

    private static final String KEY = "sk-live-0123456789abcdef";
    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void createsALiveEndpointWithDefaults() {
        FirefliesEndpoint ep = context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY, FirefliesEndpoint.class);
        assertThat(ep.getType()).isEqualTo(EndpointType.live);
        assertThat(ep.getTranscriptId()).isEqualTo("abc");
        FirefliesConfiguration c = ep.getConfiguration();
        assertThat(c.getUrl()).isEqualTo("wss://api.fireflies.ai");
        assertThat(c.getPath()).isEqualTo("/ws/realtime");
        assertThat(c.getEvents()).isEqualTo("transcription.broadcast");
        assertThat(c.getConnectTimeout()).isEqualTo(20000);
        assertThat(c.getMaxMessageSize()).isGreaterThanOrEqualTo(4 * 1024 * 1024);
        assertThat(ep.getServiceUrl()).isEqualTo("wss://api.fireflies.ai/ws/realtime/?EIO=4&transport=websocket");
        assertThat(ep.getConfiguration().eventNames()).containsExactly("transcription.broadcast");
    }

    @Test
    void durationsAndStarAreAccepted() {
        FirefliesEndpoint ep = context.getEndpoint(
                "fireflies:live?transcriptId=abc&apiKey=" + KEY + "&connectTimeout=5s&reconnectDelay=250&events=*",
                FirefliesEndpoint.class);
        assertThat(ep.getConfiguration().getConnectTimeout()).isEqualTo(5000);
        assertThat(ep.getConfiguration().getReconnectDelay()).isEqualTo(250);
        assertThat(ep.getConfiguration().eventNames()).isEmpty(); // every event
    }

    @Test
    void unknownTypeListsTheValidOnes() {
        assertThatThrownBy(() -> context.getEndpoint("fireflies:replay?transcriptId=abc&apiKey=" + KEY))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasRootCauseMessage("Unknown fireflies endpoint type 'replay': valid types are [live, meetings, graphql, events, transcripts]");
    }

    @Test
    void missingTranscriptIdIsExplained() {
        assertThatThrownBy(() -> context.getEndpoint("fireflies:live?apiKey=" + KEY))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().hasMessageContaining("fireflies:live needs a transcriptId");
    }

    @Test
    void missingApiKeyIsExplained() {
        assertThatThrownBy(() -> context.getEndpoint("fireflies:live?transcriptId=abc"))
                .rootCause().hasMessageContaining("needs an apiKey");
    }

    @Test
    void anApiKeyOfOnlyThePrefixIsRefusedLikeAMissingOne() {
        for (String type : new String[] { "live?transcriptId=abc&", "meetings?", "graphql?" }) {
            assertThatThrownBy(() -> context.getEndpoint("fireflies:" + type + "apiKey=RAW(Bearer )"))
                    .rootCause().hasMessageContaining("needs an apiKey").hasMessageContaining("empty");
        }
    }

    @Test
    void apiKeyOnTheComponentIsUsedByEndpoints() {
        context.getComponent("fireflies", FirefliesComponent.class).getConfiguration().setApiKey(KEY);
        FirefliesEndpoint ep = context.getEndpoint("fireflies:live?transcriptId=abc", FirefliesEndpoint.class);
        assertThat(ep.getConfiguration().getApiKey()).isEqualTo(KEY);
        assertThat(ep.getConfiguration().clientOptions(ep.getType(), "abc").toString()).doesNotContain(KEY);
    }

    @Test
    void plainWebSocketToARemoteHostIsRefusedUnlessAllowed() {
        assertThatThrownBy(() -> context.getEndpoint(
                "fireflies:live?transcriptId=abc&apiKey=" + KEY + "&url=ws://example.org"))
                .rootCause().hasMessageContaining("Refusing the plain ws:// URL to example.org")
                .hasMessageContaining("allowInsecure=true");
        assertThat(context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY
                                       + "&url=ws://example.org&allowInsecure=true"))
                .isNotNull();
        assertThat(context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY + "&url=ws://127.0.0.1:1234"))
                .isNotNull();
        assertThatThrownBy(() -> context.getEndpoint(
                "fireflies:live?transcriptId=abc&apiKey=" + KEY + "&url=wss://api.fireflies.ai/ws/realtime"))
                .rootCause().hasMessageContaining("must not contain a path");
    }

    @Test
    void theApiKeyNeverShowsInUrisOrToString() {
        FirefliesEndpoint ep = context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY, FirefliesEndpoint.class);
        assertThat(ep.toString()).doesNotContain(KEY);
        assertThat(URISupport.sanitizeUri(ep.getEndpointUri())).doesNotContain(KEY);
        assertThat(ep.getConfiguration().toString()).doesNotContain(KEY);
        FirefliesEndpoint bearer = context.getEndpoint(
                "fireflies:live?transcriptId=abc&apiKey=RAW(Bearer " + KEY + ")", FirefliesEndpoint.class);
        assertThat(bearer.toString()).doesNotContain(KEY);
    }

    @Test
    void transcriptionEventConvertsToJson() throws Exception {
        TranscriptionEvent e = new TranscriptionEvent("t1", "c1", "Hi \"there\"", "Alice", 0.0, 1.39);
        String json = new DefaultExchange(context).getContext().getTypeConverter().mandatoryConvertTo(String.class, e);
        assertThat(new ObjectMapper().readTree(json).toString()).isEqualTo(
                "{\"transcript_id\":\"t1\",\"chunk_id\":\"c1\",\"text\":\"Hi \\\"there\\\"\",\"speaker_name\":\"Alice\","
                                                                               + "\"start_time\":0.0,\"end_time\":1.39}");
    }

    @Test
    void generatedCatalogDescribesEveryOptionAndHeader() throws Exception {
        JsonNode json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/github/camelfireflies/fireflies.json")) {
            assertThat(in).as("generated component JSON on the classpath").isNotNull();
            json = new ObjectMapper().readTree(in);
        }
        JsonNode props = json.get("properties");
        for (String option : List.of("type", "transcriptId", "apiKey", "url", "path", "events", "connectTimeout",
                "maxMessageSize", "webSocketContainer", "bridgeErrorHandler", "exceptionHandler", "exchangePattern")) {
            assertThat(props.has(option)).as(option).isTrue();
            assertThat(props.get(option).path("description").asText()).as(option + " description").isNotBlank();
        }
        assertThat(props.get("apiKey").get("secret").asBoolean()).isTrue();
        assertThat(props.get("apiKey").get("label").asText()).contains("security");
        assertThat(props.get("url").get("defaultValue").asText()).isEqualTo("wss://api.fireflies.ai");
        assertThat(props.get("path").get("defaultValue").asText()).isEqualTo("/ws/realtime");
        assertThat(props.get("connectTimeout").get("defaultValue").asText()).isEqualTo("20000");
        props.fields().forEachRemaining(f -> {
            if (!"type".equals(f.getKey())) { // the path parameter needs no label
                assertThat(f.getValue().path("label").asText()).as("label of " + f.getKey()).isNotBlank();
            }
        });
        assertThat(json.get("componentProperties").get("apiKey").get("secret").asBoolean()).isTrue();
        JsonNode headers = json.get("headers");
        for (String header : List.of("CamelFirefliesEvent", "CamelFirefliesTranscriptId", "CamelFirefliesChunkId",
                "CamelFirefliesSpeakerName", "CamelFirefliesStartTime", "CamelFirefliesEndTime")) {
            assertThat(headers.has(header)).as(header).isTrue();
            assertThat(headers.get(header).path("description").asText()).isNotBlank();
        }
        assertThat(headers.get("CamelFirefliesEndTime").get("javaType").asText()).isEqualTo("Double");
    }

    // ------------------------------------------------------------------------------------ backfill

    @Test
    void backfillDefaultsToGapsForLiveAndAllForMeetings() {
        FirefliesEndpoint live = context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY, FirefliesEndpoint.class);
        assertThat(live.getConfiguration().getBackfill()).isNull();
        assertThat(live.getConfiguration().backfillMode(live.getType())).isEqualTo(BackfillMode.GAPS);
        FirefliesEndpoint meetings = context.getEndpoint("fireflies:meetings?apiKey=" + KEY, FirefliesEndpoint.class);
        assertThat(meetings.getConfiguration().backfillMode(meetings.getType())).isEqualTo(BackfillMode.ALL);
    }

    @Test
    void backfillIsAnEnumOptionInAnyCase() {
        for (String value : List.of("none", "NONE", "gaps", "Gaps", "all")) {
            FirefliesEndpoint ep = context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY + "&backfill=" + value,
                    FirefliesEndpoint.class);
            assertThat(ep.getConfiguration().backfillMode(ep.getType())).isEqualTo(BackfillMode.parse(value));
            assertThat(ep.getConfiguration().backfillMode(ep.getType()).toString()).isEqualTo(value.toLowerCase());
        }
        assertThatThrownBy(() -> context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY + "&backfill=some"))
                .isInstanceOf(ResolveEndpointFailedException.class);
        assertThatThrownBy(() -> BackfillMode.parse("later")).hasMessage("backfill must be NONE, GAPS or ALL (any case), was 'later'");
    }

    @Test
    void withoutTheOptionTheGraphqlUrlIsTheOneOnTheRealtimeServersHost() {
        assertThat(context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY, FirefliesEndpoint.class)
                .getConfiguration().graphqlUri()).hasToString("https://api.fireflies.ai/graphql");
        String simulator = "fireflies:live?transcriptId=abc&apiKey=" + KEY + "&url=ws://127.0.0.1:4567";
        FirefliesEndpoint ep = context.getEndpoint(simulator, FirefliesEndpoint.class);
        assertThat(ep.getConfiguration().graphqlUri()).hasToString("http://127.0.0.1:4567/graphql");
        assertThat(ep.getConfiguration().backfillMode(ep.getType())).isEqualTo(BackfillMode.GAPS);
        assertThat(context.getEndpoint("fireflies:meetings?apiKey=" + KEY + "&url=wss://proxy.example.org:8443",
                FirefliesEndpoint.class).getConfiguration().graphqlUri()).hasToString("https://proxy.example.org:8443/graphql");
        assertThat(context.getEndpoint(simulator + "&graphqlUrl=http://127.0.0.1:9999/gql", FirefliesEndpoint.class)
                .getConfiguration().graphqlUri()).hasToString("http://127.0.0.1:9999/gql");
        assertThat(context.getEndpoint(simulator + "&backfill=all", FirefliesEndpoint.class).getConfiguration()
                .backfillMode(EndpointType.live)).isEqualTo(BackfillMode.ALL);
        assertThat(context.getEndpoint("fireflies:meetings?apiKey=" + KEY + "&url=ws://localhost:1",
                FirefliesEndpoint.class).getConfiguration()
                .backfillMode(EndpointType.meetings)).isEqualTo(BackfillMode.ALL);
    }

    @Test
    void aLiveEndpointWithABackfillChecksItsGraphqlUrl() {
        assertThatThrownBy(() -> context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY
                                                     + "&graphqlUrl=http://example.org/graphql&url=wss://example.org"))
                .rootCause().hasMessageContaining("Refusing the plain http:// graphqlUrl");
        assertThat(context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY
                                       + "&graphqlUrl=http://example.org/graphql&url=wss://example.org&backfill=none"))
                .isNotNull();
    }

    @Test
    void theBackfillOptionAndHeaderAreInTheCatalog() throws Exception {
        JsonNode json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/github/camelfireflies/fireflies.json")) {
            json = new ObjectMapper().readTree(in);
        }
        JsonNode option = json.get("properties").get("backfill");
        assertThat(option.get("type").asText()).isEqualTo("enum");
        assertThat(option.get("enum")).extracting(JsonNode::asText).containsExactly("NONE", "GAPS", "ALL");
        assertThat(option.has("defaultValue")).isFalse();
        assertThat(option.get("description").asText()).contains("GAPS for live", "ALL for meetings");
        assertThat(json.get("componentProperties").has("backfill")).isTrue();
        JsonNode header = json.get("headers").get(FirefliesConstants.BACKFILL);
        assertThat(header.get("javaType").asText()).isEqualTo("Boolean");
        assertThat(header.get("description").asText()).contains("backfill-12340-alice", "start in milliseconds");
    }

    // ------------------------------------------------------------------------------------ webhooks

    @Test
    @SuppressWarnings("deprecation")
    void theSafetyNetPollOfWebhookMeetingsIsAnHourUnlessSetAndZeroOnlyThere() throws Exception {
        FirefliesEndpoint byDefault = context.getEndpoint("fireflies:meetings?apiKey=" + KEY, FirefliesEndpoint.class);
        assertThat(byDefault.getConfiguration().getPollInterval()).isEqualTo(60000); // fireflies:meetings polls every minute
        assertThat(PollSchedule.meetingsInterval(byDefault, false)).isEqualTo(60000);
        assertThat(PollSchedule.meetingsInterval(byDefault, true))
                .isEqualTo(FirefliesConfiguration.WEBHOOK_POLL_INTERVAL).isEqualTo(3_600_000);
        FirefliesEndpoint set = context.getEndpoint("fireflies:meetings?apiKey=" + KEY + "&pollInterval=5m",
                FirefliesEndpoint.class);
        assertThat(PollSchedule.meetingsInterval(set, true)).isEqualTo(300_000);
        FirefliesEndpoint off = context.getEndpoint("fireflies:meetings?apiKey=" + KEY + "&pollInterval=0",
                FirefliesEndpoint.class);
        assertThat(PollSchedule.meetingsInterval(off, true)).isZero();
        // polling is what fireflies:meetings does: 0 is refused when its consumer is made
        assertThatThrownBy(() -> off.createConsumer(e -> {
        })).hasMessageContaining("0 turns polling off only with webhooks");
        assertThatThrownBy(() -> context.getEndpoint("fireflies:meetings?apiKey=" + KEY + "&pollInterval=-1"))
                .rootCause().hasMessageContaining("pollInterval must be positive");
    }

    @Test
    void fetchTranscriptNeedsTheApiKeyAndAPositiveBound() {
        assertThat(context.getEndpoint("fireflies:events?allowUnsigned=true", FirefliesEndpoint.class)).isNotNull();
        assertThatThrownBy(() -> context.getEndpoint("fireflies:events?allowUnsigned=true&fetchTranscript=true"))
                .rootCause().hasMessageContaining("needs an apiKey");
        FirefliesEndpoint ep = context.getEndpoint("fireflies:events?allowUnsigned=true&fetchTranscript=true&apiKey="
                                                   + KEY + "&fetchTimeout=2s", FirefliesEndpoint.class);
        assertThat(ep.getConfiguration().isFetchTranscript()).isTrue();
        assertThat(ep.getConfiguration().getFetchTimeout()).isEqualTo(2000);
        assertThat(context.getEndpoint("fireflies:events?allowUnsigned=true", FirefliesEndpoint.class).getConfiguration()
                .getFetchTimeout()).isEqualTo(5000);
        assertThatThrownBy(() -> context.getEndpoint("fireflies:events?allowUnsigned=true&fetchTimeout=0"))
                .rootCause().hasMessageContaining("fetchTimeout must be positive");
    }

    @Test
    void onlyEventsAndMeetingsTakeWebhooks() {
        FirefliesEndpoint live = context.getEndpoint("fireflies:live?transcriptId=abc&apiKey=" + KEY,
                FirefliesEndpoint.class);
        assertThatThrownBy(() -> live.createWebhookHandler(e -> {
        })).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("webhook:fireflies:events or webhook:fireflies:meetings");
    }

    @Test
    void theWebhookOptionsAndHeadersAreInTheCatalog() throws Exception {
        JsonNode json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/github/camelfireflies/fireflies.json")) {
            json = new ObjectMapper().readTree(in);
        }
        JsonNode props = json.get("properties");
        assertThat(props.get("fetchTranscript").get("defaultValue").asBoolean()).isFalse();
        assertThat(props.get("fetchTimeout").get("defaultValue").asText()).isEqualTo("5000");
        assertThat(props.get("pollInterval").get("description").asText()).contains("3600000", "0 turns it off");
        assertThat(json.get("componentProperties").has("fetchTranscript")).isTrue();
        JsonNode headers = json.get("headers");
        for (String h : List.of(FirefliesConstants.WEBHOOK_EVENT, FirefliesConstants.TRANSCRIPT_ERROR,
                FirefliesConstants.RETRY_AFTER, FirefliesConstants.WEBHOOK_VERSION)) {
            assertThat(headers.has(h)).as(h).isTrue();
        }
        assertThat(headers.get(FirefliesConstants.RETRY_AFTER).get("javaType").asText()).isEqualTo("Long");
    }
}
