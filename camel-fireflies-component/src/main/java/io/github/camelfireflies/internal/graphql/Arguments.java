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

import java.lang.reflect.Array;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the arguments of an operation against the {@link Catalogue} before any request, and turns them into the
 * JSON-ready variables of the document: a missing required argument, an unknown argument or input field, a value of
 * the wrong type and an unknown enum value are refused with an {@link IllegalArgumentException} naming the operation
 * and the argument. A null value counts as absent (the server's default applies).
 */
final class Arguments {

    private Arguments() {
    }

    /**
     * @param  op   the operation
     * @param  args its arguments by the schema's names (null for none)
     * @return      the variables to send, in the schema's order, without the absent ones
     */
    static Map<String, Object> check(OperationSpec op, Map<String, ?> args) {
        Map<String, ?> given = args == null ? Map.of() : args;
        for (Object key : given.keySet()) {
            if (!(key instanceof String name) || !op.arguments().containsKey(name)) {
                throw new IllegalArgumentException(op.name() + ": unknown argument '" + key + "'; "
                                                   + op.name() + " takes " + takes(op));
            }
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        for (OperationSpec.Argument a : op.arguments().values()) {
            Object value = given.get(a.name());
            if (value == null) {
                if (a.required()) {
                    throw new IllegalArgumentException(op.name() + ": argument " + a.name() + " (" + a.type()
                                                       + ") is required");
                }
                continue;
            }
            Object checked = value(op, a.name(), a.type(), value);
            int[] bounds = Catalogue.bounds(op.name(), a.name());
            if (bounds != null && checked instanceof Integer i && (i < bounds[0] || i > bounds[1])) {
                throw new IllegalArgumentException(op.name() + ": argument " + a.name() + " must be from " + bounds[0]
                                                   + " to " + bounds[1] + ", was " + i);
            }
            variables.put(a.name(), checked);
        }
        return variables;
    }

    private static String takes(OperationSpec op) {
        return op.arguments().isEmpty() ? "no arguments" : "(" + op.signature() + ")";
    }

    private static Object value(OperationSpec op, String path, TypeRef type, Object value) {
        if (value == null) {
            if (type.nonNull()) {
                throw new IllegalArgumentException(op.name() + ": argument " + path + " (" + type + ") is required");
            }
            return null;
        }
        if (type.isList()) {
            List<Object> items = new ArrayList<>();
            if (value instanceof Collection<?> c) {
                int i = 0;
                for (Object item : c) {
                    items.add(value(op, path + "[" + i++ + "]", type.item(), item));
                }
            } else if (value.getClass().isArray()) {
                for (int i = 0; i < Array.getLength(value); i++) {
                    items.add(value(op, path + "[" + i + "]", type.item(), Array.get(value, i)));
                }
            } else {
                items.add(value(op, path, type.item(), value)); // GraphQL reads one value as a list of one
            }
            return items;
        }
        String name = type.name();
        Map<String, TypeRef> input = Catalogue.inputType(name);
        if (input != null) {
            return inputObject(op, path, name, input, value);
        }
        List<String> values = Catalogue.enumValues(name);
        if (values != null) {
            String v = value instanceof Enum<?> e ? e.name() : value instanceof CharSequence cs ? cs.toString() : null;
            if (v == null || !values.contains(v)) {
                throw wrong(op, path, type, value, "one of " + String.join(", ", values));
            }
            return v;
        }
        return scalar(op, path, type, value);
    }

    private static Map<String, Object> inputObject(OperationSpec op, String path, String typeName,
                                                   Map<String, TypeRef> fields, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw wrong(op, path, TypeRef.parse(typeName), value, "an object (a Map) with " + fields.keySet());
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String k) || !fields.containsKey(k)) {
                throw new IllegalArgumentException(op.name() + ": argument " + path + " (" + typeName
                                                   + ") has no field '" + key + "'; its fields are " + fields.keySet());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, TypeRef> f : fields.entrySet()) {
            Object v = value(op, path + "." + f.getKey(), f.getValue(), map.get(f.getKey()));
            if (v != null) {
                out.put(f.getKey(), v);
            }
        }
        return out;
    }

    private static Object scalar(OperationSpec op, String path, TypeRef type, Object value) {
        switch (type.name()) {
            case "String":
                if (value instanceof CharSequence cs) {
                    return cs.toString();
                }
                throw wrong(op, path, type, value, "text");
            case "ID":
                if (value instanceof CharSequence cs) {
                    return cs.toString();
                }
                if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
                    return value.toString();
                }
                throw wrong(op, path, type, value, "text or a whole number");
            case "Int":
                if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return ((Number) value).intValue();
                }
                if (value instanceof Long l && l == l.intValue()) {
                    return l.intValue();
                }
                if (value instanceof BigInteger b && b.bitLength() < 32) {
                    return b.intValue();
                }
                throw wrong(op, path, type, value, "a whole number (32 bits)");
            case "Float":
                if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
                    return n.doubleValue();
                }
                throw wrong(op, path, type, value, "a finite number");
            case "Boolean":
                if (value instanceof Boolean b) {
                    return b;
                }
                throw wrong(op, path, type, value, "true or false");
            case "DateTime":
                return dateTime(op, path, type, value);
            default:
                throw new IllegalStateException("The catalogue has no type " + type.name());
        }
    }

    private static String dateTime(OperationSpec op, String path, TypeRef type, Object value) {
        if (value instanceof Instant i) {
            return i.toString();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant().toString();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant().toString();
        }
        if (value instanceof Date d) {
            return d.toInstant().toString();
        }
        if (value instanceof CharSequence cs) {
            try {
                return OffsetDateTime.parse(cs.toString().trim()).toInstant().toString();
            } catch (DateTimeParseException e) {
                throw wrong(op, path, type, value, "an ISO-8601 date-time with an offset, such as 2026-12-03T09:54:33Z");
            }
        }
        throw wrong(op, path, type, value, "an Instant, OffsetDateTime, ZonedDateTime, Date or ISO-8601 text");
    }

    private static IllegalArgumentException wrong(OperationSpec op, String path, TypeRef type, Object value,
                                                  String expected) {
        String shown = value instanceof CharSequence ? "'" + abbreviate(value.toString()) + "'"
                : value.getClass().getSimpleName();
        return new IllegalArgumentException(op.name() + ": argument " + path + " (" + type + ") must be " + expected
                                            + ", was " + shown);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
