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

import java.util.Map;

import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;

/**
 * The message of an exchange this component creates: a live event's {@code CamelFireflies*} headers are made when the
 * route first touches the message's headers, not before (Camel's {@link DefaultMessage#populateInitialHeaders} hook,
 * as {@code camel-jms}' {@code JmsMessage} fills its headers from the JMS message). A route that reads only the body
 * never builds the header map. Every way Camel reads or changes headers ({@code getHeader}, {@code getHeaders},
 * {@code hasHeaders}, {@code setHeader}, {@code removeHeader}, copies) makes them first, so the route sees the same
 * headers as if they had been set at once; {@code setHeaders} replaces them, as it does on any message. The event,
 * its emission and its meeting are immutable, so headers made later on another thread are the same.
 */
public final class LiveMessage extends DefaultMessage {

    private RealtimeEvent event;
    private ChunkTracker.Emission emission;
    private ActiveMeeting meeting;

    public LiveMessage(Exchange exchange) {
        super(exchange);
    }

    /**
     * Keeps a live event's headers for when they are first asked for.
     *
     * @return false when this message has headers already (they were read or set): the caller sets them now
     */
    boolean headersOnDemand(RealtimeEvent event, ChunkTracker.Emission emission, ActiveMeeting meeting) {
        if (hasPopulatedHeaders() || this.event != null) {
            return false;
        }
        this.event = event;
        this.emission = emission;
        this.meeting = meeting;
        return true;
    }

    /** Whether the header map exists yet (for tests). */
    boolean headersMade() {
        return hasPopulatedHeaders();
    }

    /** {@code hasHeaders()} makes the headers first only when it says so (as for copies): while some are pending. */
    @Override
    protected boolean isPopulateHeadersSupported() {
        return event != null;
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        RealtimeEvent e = event;
        if (e != null) {
            map.putAll(FirefliesBinding.eventHeaders(e, emission, meeting));
        }
    }

    @Override
    public void reset() {
        super.reset();
        event = null;
        emission = null;
        meeting = null;
    }
}
