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

/**
 * A GraphQL type reference as the schema writes it: {@code String}, {@code Int!}, {@code [String!]},
 * {@code [AttendeeInput!]!}.
 *
 * @param name    the named type, or null for a list
 * @param item    the list's item type, or null when not a list
 * @param nonNull whether the type ends in {@code !}
 */
public record TypeRef(String name, TypeRef item, boolean nonNull) {

    public TypeRef {
        if ((name == null) == (item == null)) {
            throw new IllegalArgumentException("a type is either named or a list");
        }
    }

    /** Reads the schema's notation. */
    public static TypeRef parse(String text) {
        String t = text.trim();
        boolean nonNull = t.endsWith("!");
        if (nonNull) {
            t = t.substring(0, t.length() - 1).trim();
        }
        if (t.startsWith("[")) {
            if (!t.endsWith("]")) {
                throw new IllegalArgumentException("Not a GraphQL type: " + text);
            }
            return new TypeRef(null, parse(t.substring(1, t.length() - 1)), nonNull);
        }
        if (!t.matches("[_A-Za-z][_0-9A-Za-z]*")) {
            throw new IllegalArgumentException("Not a GraphQL type: " + text);
        }
        return new TypeRef(t, null, nonNull);
    }

    public boolean isList() {
        return item != null;
    }

    /** The named type under any lists. */
    public String namedType() {
        return item == null ? name : item.namedType();
    }

    @Override
    public String toString() {
        return (item == null ? name : "[" + item + "]") + (nonNull ? "!" : "");
    }
}
