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
import io.github.camelfireflies.event.ChunkTracker;
import io.github.camelfireflies.event.TranscriptionEvent;
import io.github.camelfireflies.graphql.ActiveMeeting;
import io.github.camelfireflies.realtime.RealtimeEvent;
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
     * Creates an exchange, lets {@code bind} fill its message and routes it asynchronously; a failure goes to the
     * consumer's exception handler.
     *
     * @param  done called once when routing finished asynchronously; never when this returns true
     * @return      true when routing finished before returning
     */
    public static boolean route(DefaultConsumer consumer, java.util.function.Consumer<Message> bind, Runnable done) {
        Exchange exchange = consumer.createExchange(false);
        AsyncCallback callback = consumer.defaultConsumerCallback(exchange, false);
        try {
            bind.accept(exchange.getMessage());
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
     * event's argument as plain Java (a Map, or null).
     */
    public static void bindEvent(Message message, RealtimeEvent event, ChunkTracker.Emission emission) {
        TranscriptionEvent te = event.transcription();
        message.setHeader(FirefliesConstants.EVENT, event.name());
        message.setHeader(FirefliesConstants.TRANSCRIPT_ID,
                te != null && te.transcriptId() != null ? te.transcriptId() : event.transcriptId());
        if (te != null) {
            message.setHeader(FirefliesConstants.CHUNK_ID, te.chunkId());
            if (te.speakerName() != null) {
                message.setHeader(FirefliesConstants.SPEAKER_NAME, te.speakerName());
            }
            if (te.startTime() != null) {
                message.setHeader(FirefliesConstants.START_TIME, te.startTime());
            }
            if (te.endTime() != null) {
                message.setHeader(FirefliesConstants.END_TIME, te.endTime());
            }
            if (emission != null) {
                message.setHeader(FirefliesConstants.CHUNK_REVISION, emission.revision());
                message.setHeader(FirefliesConstants.CHUNK_FINAL, emission.last());
                message.setHeader(FirefliesConstants.CORRECTION, emission.correction());
                if (emission.backfill()) {
                    message.setHeader(FirefliesConstants.BACKFILL, Boolean.TRUE);
                }
            }
            message.setBody(te);
        } else {
            message.setBody(toPlain(event.argument()));
        }
        if (event.reconnected()) {
            message.setHeader(FirefliesConstants.RECONNECTED, Boolean.TRUE);
            message.setHeader(FirefliesConstants.GAP_MILLIS, event.gapMillis());
        }
    }

    /** The headers naming the meeting an exchange of {@code fireflies:meetings} belongs to. */
    public static void bindMeeting(Message message, ActiveMeeting meeting) {
        if (meeting.title() != null) {
            message.setHeader(FirefliesConstants.MEETING_TITLE, meeting.title());
        }
        if (meeting.organizerEmail() != null) {
            message.setHeader(FirefliesConstants.ORGANIZER_EMAIL, meeting.organizerEmail());
        }
        if (meeting.state() != null) {
            message.setHeader(FirefliesConstants.MEETING_STATE, meeting.state());
        }
    }

    /** A meeting's lifecycle event ({@code meeting.started}, {@code meeting.ended}): the meeting as the body. */
    public static void bindLifecycle(Message message, String eventName, ActiveMeeting meeting) {
        message.setHeader(FirefliesConstants.EVENT, eventName);
        message.setHeader(FirefliesConstants.TRANSCRIPT_ID, meeting.id());
        bindMeeting(message, meeting);
        message.setBody(toMap(meeting));
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
