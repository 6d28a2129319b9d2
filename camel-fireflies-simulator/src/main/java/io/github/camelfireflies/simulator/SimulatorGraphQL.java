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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Steering and inspection of the simulator's GraphQL side ({@link FirefliesSimulator#graphql()}), for tests: the
 * per-operation caps (see {@link FirefliesSimulator.Builder#graphqlCap}) counted on a clock that a test moves forward
 * instead of waiting, and what the mutations recorded. Thread-safe.
 */
public final class SimulatorGraphQL {

    private final RateCaps caps;
    private final ApiRecords records;
    private final String apiKey;

    SimulatorGraphQL(RateCaps caps, ApiRecords records, String apiKey) {
        this.caps = caps;
        this.records = records;
        this.apiKey = apiKey;
    }

    /** Forgets every call counted toward the per-operation caps: every capped operation may be called again. */
    public void resetCaps() {
        caps.reset();
    }

    /**
     * Moves the caps' clock forward by {@code d}: calls older than a cap's window then no longer count (e.g. 20 minutes
     * after the third {@code addToLiveMeeting}, a fourth is accepted). Only the caps' clock moves; meetings do not.
     */
    public void advanceClock(Duration d) {
        caps.advance(Objects.requireNonNull(d, "d"));
    }

    /** Now on the caps' clock (the wall clock plus what {@link #advanceClock} added). */
    public Instant now() {
        return caps.now();
    }

    /** How many more calls of {@code operation} the simulator's API key may make now; -1 when it has no cap. */
    public int remainingCalls(String operation) {
        return caps.remaining("Bearer " + apiKey, Objects.requireNonNull(operation, "operation"));
    }

    /** The caps in force, by operation: {@code [calls, window]} as {@code "3 per PT20M"}. */
    public Map<String, String> caps() {
        Map<String, String> out = new java.util.TreeMap<>();
        caps.caps().forEach((op, cap) -> out.put(op, cap.calls() + " per " + cap.window()));
        return out;
    }

    /** The {@code action_item} texts that {@code createLiveActionItem} recorded for a meeting, oldest first. */
    public List<String> liveActionItems(String meetingId) {
        List<String> out = new ArrayList<>();
        records.actionItems(meetingId).forEach(m -> out.add(String.valueOf(m.get("action_item"))));
        return out;
    }

    /**
     * How many bytes the PUT to the {@code upload_url} of {@code createUploadUrl} brought for {@code meetingId}; -1
     * when none arrived (or there is no such upload).
     */
    public long uploadedBytes(String meetingId) {
        ApiRecords.Upload u = records.uploads.get(meetingId);
        return u == null ? -1 : u.receivedBytes;
    }

    /** Whether {@code deleteTranscript} deleted this transcript. */
    public boolean isDeleted(String transcriptId) {
        return records.deleted.contains(transcriptId);
    }
}
