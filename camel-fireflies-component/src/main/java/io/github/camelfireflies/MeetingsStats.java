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

/**
 * A snapshot of a {@code fireflies:meetings} consumer's counters, for its health check. Never holds the API key.
 *
 * @param tracked          meetings known from the last poll (ended ones whose cluster view is not released included)
 * @param streaming        meetings this instance streams now
 * @param polls            successful polls
 * @param failedPolls      failed polls
 * @param delivered        exchanges routed
 * @param pollingStopped   whether polling stopped for good because the key was refused
 * @param nextPollDelay    the delay before the next poll (milliseconds)
 * @param lastPollError    the error of the last poll, or null when it succeeded
 * @param backfillCalls    GraphQL calls the streams' backfill made
 * @param backfilled       transcription exchanges whose text came from the backfill
 * @param lastPollFailure  the failure of the last poll, or null when it succeeded
 * @param repositoryError  while the idempotent repository fails: its last error; else null
 * @param segmentsHeld     final segments whose meeting waits for the idempotent repository now
 * @param unfinished       ended meetings whose completion this instance waits for, or makes, now
 * @param givenUp          meetings given up because nobody recorded their completion in time
 */
record MeetingsStats(
        int tracked,
        int streaming,
        long polls,
        long failedPolls,
        long delivered,
        boolean pollingStopped,
        long nextPollDelay,
        String lastPollError,
        long backfillCalls,
        long backfilled,
        Throwable lastPollFailure,
        String repositoryError,
        long segmentsHeld,
        int unfinished,
        long givenUp) {

    /** Without the repository's and the completions' figures. */
    MeetingsStats(int tracked, int streaming, long polls, long failedPolls, long delivered, boolean pollingStopped,
                  long nextPollDelay, String lastPollError, long backfillCalls, long backfilled,
                  Throwable lastPollFailure) {
        this(tracked, streaming, polls, failedPolls, delivered, pollingStopped, nextPollDelay, lastPollError,
                backfillCalls, backfilled, lastPollFailure, null, 0, 0, 0);
    }
}
