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

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.camelfireflies.api.graphql.GraphQLObject;

/**
 * Selection sets: the one chosen with {@code fields=} checked against the result records (which are the API's object
 * types, field for field) before any request, so a misspelt field fails early with the operation and the field named.
 * Only field names and nested braces: no aliases, arguments or fragments.
 */
final class Selections {

    /** Where the records named as the schema's object types are. */
    static final String RECORDS = "io.github.camelfireflies.api.graphql.";

    private static final Map<Class<?>, Map<String, Type>> FIELDS = new ConcurrentHashMap<>();

    private Selections() {
    }

    /** The record of an object type of the schema. */
    static Class<?> record(String typeName) {
        try {
            return Class.forName(RECORDS + typeName, true, Selections.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("No record for the GraphQL type " + typeName, e);
        }
    }

    /**
     * The selection to send: the operation's default when none is chosen, else the chosen one checked and written on
     * one line (outer braces and commas are optional).
     */
    static String select(OperationSpec op, String chosen) {
        if (chosen == null || chosen.isBlank()) {
            return op.defaultSelection();
        }
        List<String> tokens = tokens(op, chosen.trim());
        if (tokens.size() >= 2 && tokens.get(0).equals("{") && closing(tokens, 0) == tokens.size() - 1) {
            tokens = tokens.subList(1, tokens.size() - 1);
        }
        int end = check(op, tokens, 0, record(op.returns().namedType()), "");
        if (end != tokens.size()) {
            throw new IllegalArgumentException(op.name() + ": fields has an unmatched '}'");
        }
        return String.join(" ", tokens);
    }

    private static List<String> tokens(OperationSpec op, String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == ',') {
                i++;
            } else if (c == '{' || c == '}') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            } else {
                throw new IllegalArgumentException(op.name() + ": fields may hold field names and { } only, found '"
                                                   + c + "' in: " + text);
            }
        }
        return tokens;
    }

    private static int closing(List<String> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).equals("{")) {
                depth++;
            } else if (tokens.get(i).equals("}") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Checks the fields from {@code i} up to the closing brace of this level; returns where it stopped. */
    private static int check(OperationSpec op, List<String> tokens, int i, Class<?> type, String path) {
        Map<String, Type> fields = fields(type);
        int count = 0;
        while (i < tokens.size() && !tokens.get(i).equals("}")) {
            String name = tokens.get(i);
            if (name.equals("{")) {
                throw new IllegalArgumentException(op.name() + ": fields has '{' without a field before it");
            }
            i++;
            count++;
            if (name.equals("__typename")) {
                continue;
            }
            Type t = fields.get(name);
            if (t == null) {
                throw new IllegalArgumentException(op.name() + ": the type " + type.getSimpleName() + " has no field '"
                                                   + path + name + "'; its fields are " + fields.keySet());
            }
            Class<?> object = objectType(t);
            boolean nested = i < tokens.size() && tokens.get(i).equals("{");
            if (object != null && !nested) {
                throw new IllegalArgumentException(op.name() + ": the field '" + path + name + "' is an object ("
                                                   + object.getSimpleName() + "): select its fields in { }");
            }
            if (object == null && nested) {
                throw new IllegalArgumentException(op.name() + ": the field '" + path + name
                                                   + "' has no fields to select");
            }
            if (nested) {
                i = check(op, tokens, i + 1, object, path + name + ".");
                if (i >= tokens.size()) {
                    throw new IllegalArgumentException(op.name() + ": fields misses a '}' after " + path + name);
                }
                i++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException(op.name() + ": fields selects nothing" + (path.isEmpty() ? "" : " in " + path));
        }
        return i;
    }

    /** The record (object type) a field holds, under a List; null for a scalar or enum. */
    private static Class<?> objectType(Type t) {
        Type item = t instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : t;
        return item instanceof Class<?> c && GraphQLObject.class.isAssignableFrom(c) ? c : null;
    }

    /** The API's field names of a record with their Java types. */
    static Map<String, Type> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, c -> {
            Map<String, Type> map = new LinkedHashMap<>();
            for (RecordComponent rc : c.getRecordComponents()) {
                JsonProperty p = rc.getAccessor().getAnnotation(JsonProperty.class);
                map.put(p != null ? p.value() : snakeCase(rc.getName()), rc.getGenericType());
            }
            return map;
        });
    }

    private static String snakeCase(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('_').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
