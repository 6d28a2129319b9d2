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

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link FirefliesSimulator.Builder} configured, frozen. Its {@link #toString()} leaves the API key and the
 * webhook secret out.
 *
 * @param webhooks where to send webhooks; null: none are sent
 */
record SimulatorConfig(
        String host,
        int port,
        String path,
        String apiKey,
        long pingIntervalMs,
        long pingTimeoutMs,
        long connectTimeoutMs,
        int maxPayload,
        Map<String, MeetingScript> scripts,
        MeetingScript defaultScript,
        boolean loop,
        long loopPauseMs,
        boolean autoStart,
        Set<String> unknownTranscripts,
        int maxThreads,
        List<FirefliesSimulator.ScheduledMeeting> scheduled,
        WebhookSettings webhooks,
        Map<String, RateCaps.Cap> graphqlCaps) {

    SimulatorConfig {
        graphqlCaps = Map.copyOf(graphqlCaps);
        scripts = Map.copyOf(scripts);
        unknownTranscripts = Set.copyOf(unknownTranscripts);
        scheduled = List.copyOf(scheduled);
    }

    /** Whether {@code token} is {@code "Bearer <apiKey>"}. */
    boolean isValidToken(String token) {
        return token != null && token.equals("Bearer " + apiKey);
    }

    /** Whether the realtime API answers "Transcript not found" for this id. */
    boolean isUnknownTranscript(String transcriptId) {
        return transcriptId.isEmpty() || unknownTranscripts.contains(transcriptId);
    }

    /** The script bound to {@code transcriptId}, else the default one (may be null: a silent meeting). */
    MeetingScript scriptFor(String transcriptId) {
        return scripts.getOrDefault(transcriptId, defaultScript);
    }

    @Override
    public String toString() {
        return "SimulatorConfig[" + host + ":" + port + path + ", scripts " + scripts.keySet() + ", loop " + loop
               + ", autoStart " + autoStart + (webhooks == null ? "" : ", " + webhooks) + "]";
    }
}
