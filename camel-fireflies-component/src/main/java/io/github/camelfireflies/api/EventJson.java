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

/**
 * The JSON of a {@link TranscriptionEvent}, written by hand: the same text as Jackson writes for the record (its
 * declared names and order, nulls written, {@link Double#toString(double)} for the times, Jackson's escapes), without
 * a generator per event. Events with a time that is not finite (Jackson writes those as strings) are left to Jackson.
 * {@code EventJsonTest} holds the two equal for arbitrary events.
 */
final class EventJson {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private EventJson() {
    }

    static String write(TranscriptionEvent e) {
        if (!finite(e.startTime()) || !finite(e.endTime())) {
            return ApiJson.write(e, e.chunkId());
        }
        String tid = e.transcriptId();
        String speaker = e.speakerName();
        StringBuilder sb = new StringBuilder(96 + e.text().length() + e.chunkId().length()
                                             + (tid == null ? 4 : tid.length()) + (speaker == null ? 4 : speaker.length()));
        sb.append("{\"transcript_id\":");
        string(sb, tid);
        sb.append(",\"chunk_id\":");
        string(sb, e.chunkId());
        sb.append(",\"text\":");
        string(sb, e.text());
        sb.append(",\"speaker_name\":");
        string(sb, speaker);
        sb.append(",\"start_time\":");
        number(sb, e.startTime());
        sb.append(",\"end_time\":");
        number(sb, e.endTime());
        return sb.append('}').toString();
    }

    private static boolean finite(Double d) {
        return d == null || Double.isFinite(d);
    }

    private static void number(StringBuilder sb, Double d) {
        if (d == null) {
            sb.append("null");
        } else {
            sb.append(Double.toString(d));
        }
    }

    /** A JSON string as Jackson writes it by default: {@code "} and {@code \} and control characters escaped. */
    private static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        int from = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            sb.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        sb.append(s, from, s.length()).append('"');
    }
}
