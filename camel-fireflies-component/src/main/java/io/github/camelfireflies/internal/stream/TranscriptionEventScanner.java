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
package io.github.camelfireflies.internal.stream;

import java.util.HexFormat;

import io.github.camelfireflies.api.TranscriptionEvent;

/**
 * Reads the flat {@code transcription.broadcast} argument straight from the frame's text into a
 * {@link TranscriptionEvent}: no parser to make and release, no field name to look up, no copy of the frame. It takes
 * only strict JSON of the one shape almost every frame of a meeting has (a flat object whose values are strings,
 * numbers, {@code null} or booleans, followed by the array's {@code ]} and the end of the frame) and declines, with
 * null, everything else: nested values, escapes in field names, numbers of more than {@value #MAX_NUMBER} characters,
 * any JSON error. A declined frame goes to {@link TranscriptionEventReader} and, past it, to the general path, which
 * decide and word the errors; where this gives an event it is the one they give for the same frame
 * ({@code TranscriptionEventReaderTest}).
 */
public final class TranscriptionEventScanner {

    /** Longer numbers are declined (Jackson, on the other paths, bounds them too). */
    static final int MAX_NUMBER = 64;

    /** Powers of ten that are exact doubles, for the exact fast path of {@link #number}. */
    private static final double[] POW10 = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
            1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

    private static final int TRANSCRIPT_ID = 0;
    private static final int CHUNK_ID = 1;
    private static final int TEXT = 2;
    private static final int SPEAKER_NAME = 3;
    private static final int START_TIME = 4;
    private static final int END_TIME = 5;
    private static final int OTHER = 6;

    /** A value the scan could not take: the frame is declined. */
    private static final Object DECLINE = new Object();
    /** A JSON null. */
    private static final Object NULL = new Object();

    private final String s;
    private final int n;
    private int i;

    private TranscriptionEventScanner(String s, int from) {
        this.s = s;
        this.n = s.length();
        this.i = from;
    }

    /**
     * @param  frame                the whole text frame
     * @param  from                 where the argument starts (after {@code 42["transcription.broadcast",})
     * @param  fallbackTranscriptId the subscribed transcript id, used when the event does not carry one
     * @return                      the event, or null when the other paths must decide
     */
    public static TranscriptionEvent scan(String frame, int from, String fallbackTranscriptId) {
        return new TranscriptionEventScanner(frame, from).event(fallbackTranscriptId);
    }

    private TranscriptionEvent event(String fallbackTranscriptId) {
        skipWhitespace();
        if (!take('{')) {
            return null;
        }
        Object transcriptId = NULL;
        Object chunkId = null;
        Object text = null;
        Object speaker = NULL;
        Object start = NULL;
        Object end = NULL;
        skipWhitespace();
        if (!take('}')) {
            while (true) {
                skipWhitespace();
                int field = fieldName();
                if (field < 0) {
                    return null;
                }
                skipWhitespace();
                if (!take(':')) {
                    return null;
                }
                skipWhitespace();
                Object value = value(field == START_TIME || field == END_TIME);
                if (value == DECLINE) {
                    return null;
                }
                switch (field) {
                    case TRANSCRIPT_ID -> transcriptId = value;
                    case CHUNK_ID -> chunkId = value;
                    case TEXT -> text = value;
                    case SPEAKER_NAME -> speaker = value;
                    case START_TIME -> start = value;
                    case END_TIME -> end = value;
                    default -> {
                        // not ours: skipped, as the other paths skip it
                    }
                }
                skipWhitespace();
                if (take('}')) {
                    break;
                }
                if (!take(',')) {
                    return null;
                }
            }
        }
        skipWhitespace();
        if (!take(']')) {
            return null;
        }
        skipWhitespace();
        if (i != n || !(chunkId instanceof String c) || !(text instanceof String t) || !stringOrNull(transcriptId)
            || !stringOrNull(speaker) || !numberOrNull(start) || !numberOrNull(end)) {
            return null;
        }
        return new TranscriptionEvent(transcriptId != NULL ? (String) transcriptId : fallbackTranscriptId, c, t,
                speaker != NULL ? (String) speaker : null, start != NULL ? (Double) start : null,
                end != NULL ? (Double) end : null);
    }

    private static boolean stringOrNull(Object v) {
        return v == NULL || v instanceof String;
    }

    private static boolean numberOrNull(Object v) {
        return v == NULL || v instanceof Double;
    }

    /** The field's slot, {@link #OTHER}, or -1 to decline (not a plain string). */
    private int fieldName() {
        if (!take('"')) {
            return -1;
        }
        int start = i;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                int len = i - start;
                i++;
                return slot(start, len);
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    private int slot(int start, int len) {
        return switch (len) {
            case 4 -> s.startsWith("text", start) ? TEXT : OTHER;
            case 8 -> s.startsWith("chunk_id", start) ? CHUNK_ID : s.startsWith("end_time", start) ? END_TIME : OTHER;
            case 10 -> s.startsWith("start_time", start) ? START_TIME : OTHER;
            case 12 -> s.startsWith("speaker_name", start) ? SPEAKER_NAME : OTHER;
            case 13 -> s.startsWith("transcript_id", start) ? TRANSCRIPT_ID : OTHER;
            default -> OTHER;
        };
    }

    /** A scalar value: a String, a Double (numbers, when wanted; otherwise any number is skipped), NULL, or DECLINE. */
    private Object value(boolean wantNumber) {
        if (i >= n) {
            return DECLINE;
        }
        char c = s.charAt(i);
        if (c == '"') {
            i++;
            String v = string();
            return v == null ? DECLINE : v;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number(wantNumber);
        }
        if (literal("null")) {
            return NULL;
        }
        if (literal("true") || literal("false")) {
            return Boolean.TRUE; // only ever a value of a field not ours, or a wrong type of ours (declined then)
        }
        return DECLINE; // an object, an array, or no JSON value
    }

    private boolean literal(String word) {
        if (s.startsWith(word, i)) {
            i += word.length();
            return true;
        }
        return false;
    }

    /** The string whose opening quote was taken, or null to decline. */
    private String string() {
        int start = i;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                return s.substring(start, i++);
            }
            if (c == '\\') {
                return escaped(start);
            }
            if (c < 0x20) {
                return null;
            }
            i++;
        }
        return null;
    }

    private String escaped(int start) {
        StringBuilder b = new StringBuilder(i - start + 16).append(s, start, i);
        while (i < n) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                return null;
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= n) {
                return null;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > n) {
                        return null;
                    }
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        char h = s.charAt(i++);
                        if (!HexFormat.isHexDigit(h)) { // ASCII only: Character.digit takes other scripts' digits
                            return null;
                        }
                        code = code << 4 | HexFormat.fromHexDigit(h);
                    }
                    b.append((char) code);
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * A JSON number (strict grammar), as a Double when wanted, else Boolean.TRUE (skipped); DECLINE when it is no JSON
     * number, too long, or not finite. An integer of up to 18 digits is converted from a long, as Jackson does; a
     * fraction of up to 15 significant digits without an exponent is the digits as an integer divided by a power of
     * ten, both exact doubles, so the one division rounds exactly as {@link Double#parseDouble} does; anything else is
     * given to {@link Double#parseDouble}.
     */
    private Object number(boolean wanted) {
        int start = i;
        boolean negative = take('-');
        long mantissa = 0;
        int digits = 0;
        if (take('0')) {
            digits = 1;
        } else {
            while (i < n && isDigit(s.charAt(i))) {
                mantissa = mantissa * 10 + (s.charAt(i++) - '0');
                digits++;
            }
            if (digits == 0 || digits > 18) {
                return digits == 0 ? DECLINE : slowNumber(start, wanted);
            }
        }
        int fraction = 0;
        if (take('.')) {
            while (i < n && isDigit(s.charAt(i))) {
                mantissa = mantissa * 10 + (s.charAt(i++) - '0');
                fraction++;
                if (digits + fraction > 18) {
                    return slowNumber(start, wanted);
                }
            }
            if (fraction == 0) {
                return DECLINE;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            return slowNumber(start, wanted);
        }
        if (i < n && isDigit(s.charAt(i))) {
            return DECLINE; // a leading zero: "01"
        }
        if (!wanted) {
            return Boolean.TRUE;
        }
        if (fraction == 0) {
            // an integer: Jackson reads it as a long first, so "-0" is 0.0, not -0.0 (one rounding either way)
            return (double) (negative ? -mantissa : mantissa);
        }
        if (digits + fraction <= 15) {
            double v = (double) mantissa / POW10[fraction];
            return negative ? -v : v;
        }
        return parse(start, wanted);
    }

    /** The rest of a number that the exact path does not take: checked against the grammar, then parsed. */
    private Object slowNumber(int start, boolean wanted) {
        i = start;
        take('-');
        if (!take('0')) {
            if (!digits()) {
                return DECLINE;
            }
        } else if (i < n && isDigit(s.charAt(i))) {
            return DECLINE;
        }
        if (take('.') && !digits()) {
            return DECLINE;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (!take('+')) {
                take('-');
            }
            if (!digits()) {
                return DECLINE;
            }
        }
        return wanted ? parse(start, true) : (i - start > MAX_NUMBER ? DECLINE : Boolean.TRUE);
    }

    private Object parse(int start, boolean wanted) {
        if (i - start > MAX_NUMBER) {
            return DECLINE;
        }
        double v = Double.parseDouble(s.substring(start, i));
        return Double.isInfinite(v) ? DECLINE : (Object) v;
    }

    private boolean digits() {
        int start = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        return i > start;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private boolean take(char c) {
        if (i < n && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (i < n) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }
}
