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
package io.github.camelfireflies.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;

/**
 * The default data fetcher of the simulator's GraphQL schema: a field whose parent holds a value for it (a
 * {@code Map} built from the simulator's state) gets that value; any other field gets a plausible value of its type,
 * made up from its name and from where it sits, so the same field of the same object always gets the same value.
 * <p>
 * Objects are {@code Map}s; a made-up object carries its place in {@value #SEED} (a path such as
 * {@code "transcript:abc/summary"}), which seeds the values below it. Lists get two elements (none below a depth of
 * {@value #MAX_DEPTH}, so that the answer stays finite), enums a value picked by the seed, strings a value that reads
 * like the field (an e-mail address, an id, an ISO time, a URL on {@code simulator.invalid}, a name...).
 */
final class ValueFiller implements DataFetcher<Object> {

    /** The key of a made-up object's seed; never a field of the schema. */
    static final String SEED = "__seed";

    /** Made-up times are spread after this instant (a Monday morning), not around the wall clock. */
    static final Instant EPOCH = Instant.parse("2026-01-05T09:00:00Z");

    private static final int MAX_DEPTH = 6;
    private static final String[] FIRST_NAMES = { "Alice", "Bob", "Carol", "Dave", "Erin", "Frank" };
    private static final String[] LAST_NAMES = { "Example", "Sample", "Tester", "Placeholder" };

    @Override
    public Object get(DataFetchingEnvironment env) {
        Object source = env.getSource();
        String field = env.getField().getName();
        GraphQLOutputType type = env.getFieldType();
        if (source instanceof Map<?, ?> map) {
            if (map.containsKey(field)) {
                Object value = map.get(field);
                if (value != null || !(type instanceof GraphQLNonNull)) {
                    return value;
                }
            }
            Object seed = map.get(SEED);
            return value(type, (seed == null ? "object" : seed) + "/" + field, field);
        }
        return value(type, "root/" + field, field);
    }

    /** A made-up value of {@code type} for {@code field} at {@code seed}. */
    static Object value(GraphQLType type, String seed, String field) {
        GraphQLType t = type instanceof GraphQLNonNull nn ? nn.getWrappedType() : type;
        if (t instanceof GraphQLList list) {
            List<Object> out = new ArrayList<>(2);
            if (depth(seed) < MAX_DEPTH) {
                for (int i = 0; i < 2; i++) {
                    out.add(value(list.getWrappedType(), seed + "[" + i + "]", field));
                }
            }
            return out;
        }
        if (t instanceof GraphQLObjectType) {
            return object(seed);
        }
        if (t instanceof GraphQLEnumType e) {
            return e.getValues().get(hash(seed) % e.getValues().size()).getName();
        }
        if (t instanceof GraphQLScalarType s) {
            return scalar(s.getName(), seed, field);
        }
        return null;
    }

    /** A made-up object at {@code seed}: every field is filled in when asked for. */
    static Map<String, Object> object(String seed) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put(SEED, seed);
        return o;
    }

    private static Object scalar(String scalar, String seed, String field) {
        int h = hash(seed);
        String f = field.toLowerCase(Locale.ROOT);
        switch (scalar) {
            case "Boolean":
                return f.equals("success") || (h & 1) == 0;
            case "Int":
                return f.endsWith("_pct") || f.contains("pct") ? h % 100 : 1 + h % 20;
            case "Float":
                if (f.equals("date") || f.endsWith("created_at")) {
                    return (double) time(h).toEpochMilli();
                }
                return f.contains("pct") || f.contains("ratio") ? (h % 1000) / 10.0 : 1 + (h % 3600) / 2.0;
            case "DateTime":
                return time(h).toString();
            case "ID":
            case "String":
            default:
                return string(f, field, h);
        }
    }

    private static String string(String f, String field, int h) {
        String n = Integer.toString(h % 10_000);
        if (f.contains("email")) {
            return FIRST_NAMES[h % FIRST_NAMES.length].toLowerCase(Locale.ROOT) + "@example.com";
        }
        if (f.equals("id") || f.endsWith("_id")) {
            return "sim-" + Integer.toString(h, 36);
        }
        if (f.contains("url") || f.contains("link") || f.equals("picture") || f.equals("thumbnail")
            || f.equals("preview") || f.equals("src") || f.equals("photo_url")) {
            return "https://simulator.invalid/" + field + "/" + Integer.toString(h, 36);
        }
        if (f.endsWith("_at") || f.contains("date") || f.endsWith("_time") || f.equals("stopped_at")) {
            return time(h).toString();
        }
        if (f.equals("name") || f.endsWith("_name") || f.equals("displayname")) {
            return f.startsWith("first") ? FIRST_NAMES[h % FIRST_NAMES.length]
                    : f.startsWith("last") ? LAST_NAMES[h % LAST_NAMES.length]
                    : FIRST_NAMES[h % FIRST_NAMES.length] + " " + LAST_NAMES[h % LAST_NAMES.length];
        }
        if (f.equals("title") || f.endsWith("_title")) {
            return "Simulated meeting " + n;
        }
        if (f.equals("handle")) {
            return "team-" + n;
        }
        if (f.equals("message")) {
            return "OK";
        }
        return "Simulated " + field.replace('_', ' ') + " " + n;
    }

    private static Instant time(int h) {
        return EPOCH.plusSeconds(60L * (h % 20_000));
    }

    private static int depth(String seed) {
        int d = 0;
        for (int i = 0; i < seed.length(); i++) {
            if (seed.charAt(i) == '/') {
                d++;
            }
        }
        return d;
    }

    /** A stable, non-negative hash of {@code seed}. */
    static int hash(String seed) {
        int h = 0x811c9dc5;
        for (int i = 0; i < seed.length(); i++) {
            h = (h ^ seed.charAt(i)) * 0x01000193;
        }
        return h & 0x7fffffff;
    }
}
