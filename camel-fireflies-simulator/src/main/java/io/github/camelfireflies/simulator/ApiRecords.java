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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the GraphQL mutations changed, beyond the meeting schedule: titles, privacy, channels and shares of transcripts,
 * deleted transcripts, live action items and soundbites, bites, AskFred threads and uploads. Objects are kept as the
 * {@code Map}s the GraphQL engine answers with. Thread-safe; ids are numbered per kind, so a run is reproducible.
 */
final class ApiRecords {

    /** An upload announced by {@code createUploadUrl}: its bytes arrive with a PUT, {@code confirmUpload} ends it. */
    static final class Upload {
        final String meetingId;
        final String token;
        final String title;
        final String contentType;
        final int declaredSize;
        volatile long receivedBytes = -1;
        volatile boolean confirmed;

        Upload(String meetingId, String token, String title, String contentType, int declaredSize) {
            this.meetingId = meetingId;
            this.token = token;
            this.title = title;
            this.contentType = contentType;
            this.declaredSize = declaredSize;
        }
    }

    private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
    final Map<String, String> titles = new ConcurrentHashMap<>();
    final Map<String, String> privacy = new ConcurrentHashMap<>();
    final Map<String, String> channelOf = new ConcurrentHashMap<>();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    final Map<String, List<Map<String, Object>>> sharedWith = new ConcurrentHashMap<>();
    final Map<String, List<Map<String, Object>>> actionItems = new ConcurrentHashMap<>();
    final List<Map<String, Object>> soundbites = new CopyOnWriteArrayList<>();
    final Map<String, Map<String, Object>> bites = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, Map<String, Object>> threads = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    /** Transcripts made by uploadAudio and confirmUpload: id to title. */
    final Map<String, String> uploaded = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, String> roles = new ConcurrentHashMap<>();

    /** The next id of a kind: {@code <kind>-1}, {@code <kind>-2}... */
    String nextId(String kind) {
        return kind + "-" + counters.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    /** The live action items of a meeting, oldest first. */
    List<Map<String, Object>> actionItems(String meetingId) {
        List<Map<String, Object>> list = actionItems.get(meetingId);
        return list == null ? List.of() : List.copyOf(list);
    }

    void addActionItem(String meetingId, Map<String, Object> item) {
        actionItems.computeIfAbsent(meetingId, k -> new CopyOnWriteArrayList<>()).add(item);
    }

    List<Map<String, Object>> bites() {
        synchronized (bites) {
            return new ArrayList<>(bites.values());
        }
    }

    List<Map<String, Object>> threads() {
        synchronized (threads) {
            return new ArrayList<>(threads.values());
        }
    }

    List<Map.Entry<String, String>> uploadedTranscripts() {
        synchronized (uploaded) {
            return new ArrayList<>(uploaded.entrySet());
        }
    }
}
