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
package io.github.camelfireflies.internal.graphql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One operation of the Fireflies GraphQL API as the catalogue knows it: the field of {@code Query} or {@code Mutation},
 * its arguments with their types and defaults, what it returns, the selection sent when none is chosen, and how it
 * pages.
 *
 * @param name             the schema's field name ({@code transcripts}, {@code addToLiveMeeting})
 * @param kind             query or mutation
 * @param arguments        its arguments by name, in the schema's order
 * @param returns          the return type
 * @param defaultSelection the selection set sent by default (without the outer braces)
 * @param paging           how it pages
 */
public record OperationSpec(String name, Kind kind, Map<String, Argument> arguments, TypeRef returns,
                            String defaultSelection, Paging paging) {

    /** Query or mutation. */
    public enum Kind {
        QUERY("query"),
        MUTATION("mutation");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        /** The keyword a document starts with. */
        public String keyword() {
            return keyword;
        }
    }

    /** How an operation pages through its results. */
    public enum Paging {
        /** One call, one answer. */
        NONE,
        /** {@code limit} (at most 50) and {@code skip}: a page shorter than asked is the last. */
        OFFSET,
        /** {@code cursor}: follow {@code next_cursor} while {@code has_more}. */
        CURSOR
    }

    /**
     * One argument.
     *
     * @param name         its name
     * @param type         its type
     * @param defaultValue the schema's default in GraphQL notation, or null
     */
    public record Argument(String name, TypeRef type, String defaultValue) {

        /** Required: non-null and without a default. */
        public boolean required() {
            return type.nonNull() && defaultValue == null;
        }
    }

    public OperationSpec {
        Objects.requireNonNull(name, "name");
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** The operation's only argument is {@code input} (then a body Map may be the input object itself). */
    public boolean takesInputOnly() {
        return arguments.size() == 1 && arguments.containsKey("input");
    }

    /** Its arguments in the schema's notation ({@code id: String!, limit: Int = 50}). */
    public String signature() {
        StringBuilder b = new StringBuilder();
        for (Argument a : arguments.values()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(a.name()).append(": ").append(a.type());
            if (a.defaultValue() != null) {
                b.append(" = ").append(a.defaultValue());
            }
        }
        return b.toString();
    }

    static OperationSpec of(Kind kind, String name, String returns, Paging paging, String selection, String... args) {
        Map<String, Argument> map = new LinkedHashMap<>();
        for (String a : args) {
            Argument arg = argument(a);
            map.put(arg.name(), arg);
        }
        return new OperationSpec(name, kind, map, TypeRef.parse(returns), selection, paging);
    }

    /** {@code name: Type} or {@code name: Type = default}. */
    static Argument argument(String text) {
        int colon = text.indexOf(':');
        int eq = text.indexOf('=');
        String type = eq < 0 ? text.substring(colon + 1) : text.substring(colon + 1, eq);
        return new Argument(text.substring(0, colon).trim(), TypeRef.parse(type),
                eq < 0 ? null : text.substring(eq + 1).trim());
    }
}
