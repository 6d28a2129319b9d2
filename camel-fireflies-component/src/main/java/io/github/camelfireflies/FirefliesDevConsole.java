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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Route;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;

/**
 * The {@code fireflies} developer console: one entry per live consumer of the context (state, counters, last error).
 * Needs only camel-api and camel-support; Camel finds it when a dev console registry is in use (camel-console). Never
 * shows the API key.
 */
@DevConsole(name = "fireflies", displayName = "Fireflies", description = "Live Fireflies consumers")
public class FirefliesDevConsole extends AbstractDevConsole {

    public FirefliesDevConsole() {
        super("camel", "fireflies", "Fireflies", "Live Fireflies consumers");
    }

    private List<Map<String, Object>> consumers() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof LiveConsumer c) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("routeId", route.getRouteId());
                m.put("transcriptId", c.getTranscriptId());
                m.put("state", c.getConnectionState());
                m.put("eventsReceived", c.getEventsReceived());
                m.put("eventsDelivered", c.getEventsDelivered());
                m.put("eventsDropped", c.getEventsDropped());
                m.put("queuedEvents", c.getQueuedEvents());
                m.put("routeStalls", c.getRouteStalls());
                m.put("reconnects", c.getReconnects());
                m.put("backfillCalls", c.getBackfillCalls());
                m.put("backfilledEvents", c.getBackfilledEvents());
                m.put("failedAttempts", c.getFailedAttempts());
                if (c.getLastEventTime() != null) {
                    m.put("lastEventTime", c.getLastEventTime());
                }
                if (c.getLastError() != null) {
                    m.put("lastError", c.getLastError());
                }
                list.add(m);
            }
        }
        return list;
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> m : consumers()) {
            sb.append(String.format("    %s (transcript %s): %s, received %s, dropped %s, reconnects %s%s%n",
                    m.get("routeId"), m.get("transcriptId"), m.get("state"), m.get("eventsReceived"),
                    m.get("eventsDropped"), m.get("reconnects"),
                    m.containsKey("lastError") ? ", last error: " + m.get("lastError") : ""));
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("consumers", consumers());
        return root;
    }
}
