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

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultConsumer;

/**
 * Where a Fireflies event becomes a Camel exchange: the body and the {@code CamelFireflies*} headers of every exchange
 * the consumers create, and how it is routed. The one place that knows the header contract (see
 * {@link FirefliesConstants}).
 */
public final class FirefliesBinding {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FirefliesBinding() {
    }

    /**
     * Creates an exchange with a {@link LiveMessage}, lets {@code bind} fill it and routes it asynchronously; a failure
     * goes to the consumer's exception handler.
     *
     * @param  done called once when routing finished asynchronously; never when this returns true
     * @return      true when routing finished before returning
     */
    public static boolean route(DefaultConsumer consumer, java.util.function.Consumer<Message> bind, Runnable done) {
        Exchange exchange = consumer.createExchange(false);
        LiveMessage message = new LiveMessage(exchange);
        exchange.setIn(message);
        AsyncCallback callback = consumer.defaultConsumerCallback(exchange, false);
        try {
            bind.accept(message);
            return consumer.getAsyncProcessor().process(exchange, doneSync -> {
                callback.done(doneSync);
                if (!doneSync) {
                    done.run();
                }
            });
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    /**
     * A live event: a {@link TranscriptionEvent} body with its segment headers, or, for the lifecycle events, the
     * event's argument as plain Java (a Map, or null). On a {@link LiveMessage} without headers yet, the headers are
     * made when the route first reads or changes them; on any other message, now.
     */
    public static void bindEvent(Message message, RealtimeEvent event, ChunkTracker.Emission emission) {
        bindEvent(message, event, emission, null);
    }

    /**
     * A live event of a meeting followed by {@code fireflies:meetings}: the headers of
     * {@link #bindEvent(Message, RealtimeEvent, ChunkTracker.Emission)} and those naming the meeting, made at once.
     */
    public static void bindEvent(Message message, RealtimeEvent event, ChunkTracker.Emission emission,
                                 ActiveMeeting meeting) {
        TranscriptionEvent te = event.transcription();
        message.setBody(te != null ? te : toPlain(event.argument()));
        if (!(message instanceof LiveMessage live && live.headersOnDemand(event, emission, meeting))) {
            setHeaders(message, eventHeaders(event, emission, meeting));
        }
    }

    /** The headers of {@link #bindEvent(Message, RealtimeEvent, ChunkTracker.Emission, ActiveMeeting)}. */
    static SortedHeaders eventHeaders(RealtimeEvent event, ChunkTracker.Emission emission, ActiveMeeting meeting) {
        SortedHeaders h = new SortedHeaders();
        TranscriptionEvent te = event.transcription();
        h.set(SortedHeaders.EVENT, event.name());
        h.set(SortedHeaders.TRANSCRIPT_ID,
                te != null && te.transcriptId() != null ? te.transcriptId() : event.transcriptId());
        if (te != null) {
            h.set(SortedHeaders.CHUNK_ID, te.chunkId());
            h.setIfNotNull(SortedHeaders.SPEAKER_NAME, te.speakerName());
            h.setIfNotNull(SortedHeaders.START_TIME, te.startTime());
            h.setIfNotNull(SortedHeaders.END_TIME, te.endTime());
            if (emission != null) {
                h.set(SortedHeaders.CHUNK_REVISION, emission.revision());
                h.set(SortedHeaders.CHUNK_FINAL, emission.last());
                h.set(SortedHeaders.CORRECTION, emission.correction());
                if (emission.backfill()) {
                    h.set(SortedHeaders.BACKFILL, Boolean.TRUE);
                }
            }
        }
        if (event.reconnected()) {
            h.set(SortedHeaders.RECONNECTED, Boolean.TRUE);
            h.set(SortedHeaders.GAP_MILLIS, event.gapMillis());
        }
        if (meeting != null) {
            meetingHeaders(h, meeting);
        }
        return h;
    }

    /** A meeting's lifecycle event ({@code meeting.started}, {@code meeting.ended}): the meeting as the body. */
    public static void bindLifecycle(Message message, String eventName, ActiveMeeting meeting) {
        SortedHeaders h = new SortedHeaders();
        h.set(SortedHeaders.EVENT, eventName);
        h.set(SortedHeaders.TRANSCRIPT_ID, meeting.id());
        meetingHeaders(h, meeting);
        setHeaders(message, h);
        message.setBody(toMap(meeting));
    }

    /** The headers naming the meeting an exchange of {@code fireflies:meetings} belongs to. */
    private static void meetingHeaders(SortedHeaders h, ActiveMeeting meeting) {
        h.setIfNotNull(SortedHeaders.MEETING_TITLE, meeting.title());
        h.setIfNotNull(SortedHeaders.ORGANIZER_EMAIL, meeting.organizerEmail());
        h.setIfNotNull(SortedHeaders.MEETING_STATE, meeting.state());
    }

    private static void setHeaders(Message message, SortedHeaders h) {
        if (message.hasHeaders()) {
            message.getHeaders().putAll(h);
        } else {
            message.setHeaders(h); // copied by Camel's header map factory in one pass
        }
    }

    /** A meeting as plain Java, with the API's field names. */
    public static Map<String, Object> toMap(ActiveMeeting m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", m.id());
        map.put("title", m.title());
        map.put("organizer_email", m.organizerEmail());
        map.put("meeting_link", m.meetingLink());
        map.put("start_time", m.startTime());
        map.put("end_time", m.endTime());
        map.put("privacy", m.privacy());
        map.put("state", m.state());
        return map;
    }

    private static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return MAPPER.convertValue(node, Object.class);
    }
}
