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

/**
 * What a live stream fetches from GraphQL {@code transcript(id)} besides what the socket gives: nothing, the segments
 * spoken while the connection was down, or those and everything said before the first subscription.
 */
public enum BackfillMode {
    /** Nothing: what the socket missed stays missing ({@code CamelFirefliesReconnected} says that a gap exists). */
    NONE,
    /** After a reconnect (or a suspend and resume), the segments spoken while the connection was down. */
    GAPS,
    /** {@link #GAPS}, plus, on the first subscription, everything said in the meeting before it. */
    ALL;

    /** Parses {@code NONE}, {@code GAPS} or {@code ALL} in any case. */
    public static BackfillMode parse(String text) {
        String t = text == null ? "" : text.trim();
        for (BackfillMode m : values()) {
            if (m.name().equalsIgnoreCase(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("backfill must be NONE, GAPS or ALL (any case), was '" + t + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
