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

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.util.CaseInsensitiveMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The header contract of a live exchange, set in one pass ({@link SortedHeaders}): the same headers, values and types
 * as one {@code setHeader} each, still case-insensitive, and a message that already has headers keeps them; on the
 * consumers' {@link LiveMessage}, the same headers made when first read or changed.
 */
class FirefliesBindingTest {

    private static DefaultCamelContext context;

    @BeforeAll
    static void startContext() {
        context = new DefaultCamelContext();
        context.start(); // Camel's header map factory is in place once started
    }

    @AfterAll
    static void stopContext() throws Exception {
        context.close();
    }

    /** The message the consumers route ({@link LiveMessage}, headers made on demand), or Camel's own (made at once). */
    private static Message message(boolean live) {
        return live ? new LiveMessage(new DefaultExchange(context)) : new DefaultMessage(context);
    }

    @ParameterizedTest(name = "live message: {0}")
    @ValueSource(booleans = { false, true })
    void aTranscriptionExchangeCarriesTheContractHeadersCaseInsensitively(boolean live) {
        TranscriptionEvent te = new TranscriptionEvent("t1", "c7", "hello", "Ada", 1.5, 2.25);
        RealtimeEvent event = new RealtimeEvent("transcription.broadcast", "t1", te, null, true, 1234L);
        Message m = message(live);

        FirefliesBinding.bindEvent(m, event, new ChunkTracker.Emission(te, 2, false, true, true));

        TreeMap<String, Object> expected = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        expected.putAll(Map.ofEntries(
                Map.entry(FirefliesConstants.BACKFILL, true),
                Map.entry(FirefliesConstants.CHUNK_FINAL, false),
                Map.entry(FirefliesConstants.CHUNK_ID, "c7"),
                Map.entry(FirefliesConstants.CHUNK_REVISION, 2),
                Map.entry(FirefliesConstants.CORRECTION, true),
                Map.entry(FirefliesConstants.END_TIME, 2.25),
                Map.entry(FirefliesConstants.EVENT, "transcription.broadcast"),
                Map.entry(FirefliesConstants.GAP_MILLIS, 1234L),
                Map.entry(FirefliesConstants.RECONNECTED, true),
                Map.entry(FirefliesConstants.SPEAKER_NAME, "Ada"),
                Map.entry(FirefliesConstants.START_TIME, 1.5),
                Map.entry(FirefliesConstants.TRANSCRIPT_ID, "t1")));
        assertThat(m.getHeaders()).isInstanceOf(CaseInsensitiveMap.class);
        assertThat(List.copyOf(m.getHeaders().entrySet())).isEqualTo(List.copyOf(expected.entrySet()));
        assertThat(m.getHeader("camelfirefliesspeakername")).isEqualTo("Ada");
        assertThat(m.getBody()).isSameAs(te);
        m.setHeader("CAMELFIREFLIESCHUNKID", "c8");
        assertThat(m.getHeader(FirefliesConstants.CHUNK_ID)).isEqualTo("c8");
        assertThat(m.getHeaders()).hasSize(12);
    }

    @ParameterizedTest(name = "live message: {0}")
    @ValueSource(booleans = { false, true })
    void absentValuesAreLeftOutAndTheTranscriptIdFallsBackToTheSubscriptions(boolean live) {
        TranscriptionEvent te = new TranscriptionEvent(null, "c1", "hi", null, null, null);
        Message m = message(live);

        FirefliesBinding.bindEvent(m, new RealtimeEvent("transcription.broadcast", "t2", te, null, false, 0L), null);

        assertThat(m.getHeaders()).containsOnlyKeys(FirefliesConstants.EVENT, FirefliesConstants.TRANSCRIPT_ID,
                FirefliesConstants.CHUNK_ID);
        assertThat(m.getHeader(FirefliesConstants.TRANSCRIPT_ID)).isEqualTo("t2");
        assertThat(m.getHeader(FirefliesConstants.CHUNK_ID)).isEqualTo("c1");
    }

    @ParameterizedTest(name = "live message: {0}")
    @ValueSource(booleans = { false, true })
    void aMeetingsExchangeAddsTheMeetingAndKeepsHeadersSetBefore(boolean live) {
        TranscriptionEvent te = new TranscriptionEvent("m1", "c1", "hi", "Bo", 0.0, 1.0);
        ActiveMeeting meeting = new ActiveMeeting("m1", "Standup", "bo@example.com", null, null, null, null, "active");
        Message m = message(live);
        m.setHeader("Existing", "kept");

        FirefliesBinding.bindEvent(m, new RealtimeEvent("transcription.broadcast", "m1", te, null, false, 0L),
                new ChunkTracker.Emission(te, 1, true, false), meeting);

        assertThat(m.getHeader("existing")).isEqualTo("kept");
        assertThat(m.getHeader(FirefliesConstants.MEETING_TITLE)).isEqualTo("Standup");
        assertThat(m.getHeader(FirefliesConstants.ORGANIZER_EMAIL)).isEqualTo("bo@example.com");
        assertThat(m.getHeader(FirefliesConstants.MEETING_STATE)).isEqualTo("active");
        assertThat(m.getHeader(FirefliesConstants.CHUNK_FINAL)).isEqualTo(true);
        assertThat(m.getHeaders()).doesNotContainKey(FirefliesConstants.BACKFILL);
    }

    @ParameterizedTest(name = "live message: {0}")
    @ValueSource(booleans = { false, true })
    void aMeetingLifecycleExchangeCarriesTheMeetingAsBodyAndHeaders(boolean live) {
        ActiveMeeting meeting = new ActiveMeeting("m2", "Review", null, "https://meet", "2026-12-01T10:00:00Z", null,
                "team", "active");
        Message m = message(live);

        FirefliesBinding.bindLifecycle(m, "meeting.started", meeting);

        assertThat(m.getHeaders()).containsOnlyKeys(FirefliesConstants.EVENT, FirefliesConstants.TRANSCRIPT_ID,
                FirefliesConstants.MEETING_TITLE, FirefliesConstants.MEETING_STATE);
        assertThat(m.getHeader("camelfirefliesevent")).isEqualTo("meeting.started");
        assertThat(m.getHeader(FirefliesConstants.TRANSCRIPT_ID)).isEqualTo("m2");
        assertThat(m.getBody(Map.class)).containsEntry("title", "Review").containsEntry("state", "active")
                .containsEntry("organizer_email", null);
    }

    @Test
    void aLiveMessageMakesItsHeadersWhenFirstAskedAndTheyAreThoseSetAtOnce() {
        TranscriptionEvent te = new TranscriptionEvent("t1", "c7", "hello", "Ada", 1.5, 2.25);
        RealtimeEvent event = new RealtimeEvent("transcription.broadcast", "t1", te, null, true, 99L);
        ChunkTracker.Emission emission = new ChunkTracker.Emission(te, 3, true, false);
        Message eager = message(false);
        FirefliesBinding.bindEvent(eager, event, emission);
        LiveMessage live = (LiveMessage) message(true);

        FirefliesBinding.bindEvent(live, event, emission);

        assertThat(live.headersMade()).isFalse();
        assertThat(live.getBody()).isSameAs(te);
        assertThat(live.getHeader("CAMELFIREFLIESCHUNKREVISION")).isEqualTo(3);
        assertThat(live.headersMade()).isTrue();
        assertThat(live.getHeaders()).isInstanceOf(CaseInsensitiveMap.class);
        assertThat(List.copyOf(live.getHeaders().entrySet())).isEqualTo(List.copyOf(eager.getHeaders().entrySet()));
    }

    @Test
    void changingALiveMessagesHeadersFirstStillStartsFromTheEventsHeaders() {
        TranscriptionEvent te = new TranscriptionEvent("t1", "c7", "hello", "Ada", 1.5, 2.25);
        RealtimeEvent event = new RealtimeEvent("transcription.broadcast", "t1", te, null, false, 0L);
        ChunkTracker.Emission emission = new ChunkTracker.Emission(te, 1, false, false);

        Message set = message(true);
        FirefliesBinding.bindEvent(set, event, emission);
        set.setHeader("Mine", "x");
        assertThat(set.getHeaders()).containsEntry("Mine", "x").containsEntry(FirefliesConstants.CHUNK_ID, "c7")
                .hasSize(10);

        Message removed = message(true);
        FirefliesBinding.bindEvent(removed, event, emission);
        assertThat(removed.removeHeader(FirefliesConstants.SPEAKER_NAME)).isEqualTo("Ada");
        assertThat(removed.getHeaders()).doesNotContainKey(FirefliesConstants.SPEAKER_NAME).hasSize(8);

        Message replaced = message(true);
        FirefliesBinding.bindEvent(replaced, event, emission);
        replaced.setHeaders(new java.util.HashMap<>(Map.of("Only", 1)));
        assertThat(replaced.getHeaders()).containsOnlyKeys("Only");
    }

    @Test
    void aCopyOfALiveExchangeCarriesTheHeadersNotYetMade() {
        TranscriptionEvent te = new TranscriptionEvent("t1", "c7", "hello", null, null, null);
        Exchange exchange = new DefaultExchange(context);
        LiveMessage live = new LiveMessage(exchange);
        exchange.setIn(live);
        FirefliesBinding.bindEvent(live, new RealtimeEvent("transcription.broadcast", "t1", te, null, false, 0L), null);

        Exchange copy = exchange.copy();

        assertThat(copy.getMessage().getHeaders()).containsOnlyKeys(FirefliesConstants.EVENT,
                FirefliesConstants.TRANSCRIPT_ID, FirefliesConstants.CHUNK_ID);
        assertThat(copy.getMessage().getBody()).isSameAs(te);
        assertThat(live.getHeader(FirefliesConstants.CHUNK_ID)).isEqualTo("c7");
    }

    /** Any set of slots: the one-pass copy is the map that one put per header builds, in the same order. */
    @Property(tries = 300)
    void anySetOfHeadersCopiesToTheMapOnePutEachBuilds(@ForAll @IntRange(min = 0, max = (1 << 15) - 1) int slots) {
        SortedHeaders h = new SortedHeaders();
        TreeMap<String, Object> expected = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> keys = List.of(FirefliesConstants.EVENT, FirefliesConstants.TRANSCRIPT_ID,
                FirefliesConstants.CHUNK_ID, FirefliesConstants.SPEAKER_NAME, FirefliesConstants.START_TIME,
                FirefliesConstants.END_TIME, FirefliesConstants.CHUNK_REVISION, FirefliesConstants.CHUNK_FINAL,
                FirefliesConstants.CORRECTION, FirefliesConstants.BACKFILL, FirefliesConstants.RECONNECTED,
                FirefliesConstants.GAP_MILLIS, FirefliesConstants.MEETING_TITLE, FirefliesConstants.ORGANIZER_EMAIL,
                FirefliesConstants.MEETING_STATE);
        for (int i = 0; i < keys.size(); i++) {
            if ((slots & (1 << i)) != 0) {
                String key = keys.get(i);
                Object value = i % 4 == 3 ? null : key.toLowerCase();
                h.set(slotOf(key), value);
                expected.put(key, value);
            }
        }

        CaseInsensitiveMap copy = new CaseInsensitiveMap(h);

        assertThat(h).hasSize(expected.size());
        assertThat(List.copyOf(copy.entrySet())).isEqualTo(List.copyOf(expected.entrySet()));
        assertThat(List.copyOf(h.entrySet())).isEqualTo(List.copyOf(expected.entrySet()));
        if (expected.isEmpty()) {
            assertThatThrownBy(h::firstKey).isInstanceOf(java.util.NoSuchElementException.class);
        } else {
            assertThat(h.firstKey()).isEqualTo(expected.firstKey());
            assertThat(h.lastKey()).isEqualTo(expected.lastKey());
            assertThat(h.tailMap(expected.lastKey())).containsOnlyKeys(expected.lastKey());
        }
    }

    private static int slotOf(String key) {
        return switch (key) {
            case FirefliesConstants.EVENT -> SortedHeaders.EVENT;
            case FirefliesConstants.TRANSCRIPT_ID -> SortedHeaders.TRANSCRIPT_ID;
            case FirefliesConstants.CHUNK_ID -> SortedHeaders.CHUNK_ID;
            case FirefliesConstants.SPEAKER_NAME -> SortedHeaders.SPEAKER_NAME;
            case FirefliesConstants.START_TIME -> SortedHeaders.START_TIME;
            case FirefliesConstants.END_TIME -> SortedHeaders.END_TIME;
            case FirefliesConstants.CHUNK_REVISION -> SortedHeaders.CHUNK_REVISION;
            case FirefliesConstants.CHUNK_FINAL -> SortedHeaders.CHUNK_FINAL;
            case FirefliesConstants.CORRECTION -> SortedHeaders.CORRECTION;
            case FirefliesConstants.BACKFILL -> SortedHeaders.BACKFILL;
            case FirefliesConstants.RECONNECTED -> SortedHeaders.RECONNECTED;
            case FirefliesConstants.GAP_MILLIS -> SortedHeaders.GAP_MILLIS;
            case FirefliesConstants.MEETING_TITLE -> SortedHeaders.MEETING_TITLE;
            case FirefliesConstants.ORGANIZER_EMAIL -> SortedHeaders.ORGANIZER_EMAIL;
            case FirefliesConstants.MEETING_STATE -> SortedHeaders.MEETING_STATE;
            default -> throw new IllegalArgumentException(key);
        };
    }
}
