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
package io.github.camelfireflies.api;

import java.util.List;
import java.util.Objects;


/**
 * What {@code transcript(id)} says about a meeting, for the backfill: whether it is still live and its sentences (for a
 * live meeting, the real-time captions heard so far; for a finished one, the processed transcript).
 *
 * @param id         the transcript id
 * @param live       {@code is_live}: true while the meeting is active or paused; false when the API said false or
 *                   nothing
 * @param dateMillis {@code date}: when the meeting started (epoch milliseconds), or null
 * @param sentences  in the API's order
 * @param title      the meeting's title, or null
 * @param organizerEmail the organizer's e-mail, or null
 */
public record LiveTranscript(String id, boolean live, Long dateMillis, List<TranscriptSentence> sentences, String title,
        String organizerEmail) {

    public LiveTranscript {
        Objects.requireNonNull(id, "id");
        sentences = List.copyOf(sentences);
    }

    /** Without title and organizer. */
    public LiveTranscript(String id, boolean live, Long dateMillis, List<TranscriptSentence> sentences) {
        this(id, live, dateMillis, sentences, null, null);
    }
}
