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

import java.util.Locale;

/** Which transcription events become exchanges: every revision, only changes, or one final event per segment. */
public enum EmitMode {
    /** Every arrival. */
    REVISIONS,
    /** Every arrival except exact repeats (same chunk id, same text). */
    CHANGES,
    /** One final event per segment, plus marked corrections. */
    FINAL;

    /** Parses {@code REVISIONS}, {@code CHANGES} or {@code FINAL} in any case. */
    public static EmitMode parse(String text) {
        String t = text == null ? "" : text.trim();
        for (EmitMode m : values()) {
            if (m.name().equalsIgnoreCase(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "emit must be REVISIONS, CHANGES or FINAL (any case), was '" + t + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
