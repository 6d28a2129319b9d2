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
package io.github.camelfireflies.internal.socketio;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * One event name whose frames take the fast path: {@code 42["<name>",<argument>]} (root namespace, no ack id, one
 * argument).
 */
public final class EventReader<T> {

    /**
     * Reads the one argument of an event straight from a JSON parser, with no tree: positioned on the argument's first
     * token, it reads the whole value and returns what it made of it, or null to decline (the frame then takes the
     * general path through {@link PacketCodec#decode}, which also produces the error messages).
     */
    @FunctionalInterface
    public interface ArgumentReader<T> {

        T read(JsonParser parser) throws IOException;
    }

    /**
     * Reads an event's argument straight from the frame's text, with no parser; tried before the
     * {@link ArgumentReader}.
     */
    @FunctionalInterface
    public interface ArgumentScanner<T> {

        /**
         * @param  frame the whole frame
         * @param  from  where the argument starts
         * @return       the argument, or null to decline (the reader then reads the frame); never a value unless the
         *               argument is followed by the array's {@code ]} and, past white space, the frame's end
         */
        T scan(String frame, int from);
    }


    private final String name;
    private final String prefix;
    private final ArgumentScanner<T> scanner;
    private final ArgumentReader<T> reader;

    private EventReader(String name, ArgumentScanner<T> scanner, ArgumentReader<T> reader) {
        this.name = name;
        this.prefix = "42" + PacketCodec.mapper().createArrayNode().add(name).toString().replaceFirst("]$", ",");
        this.scanner = scanner;
        this.reader = reader;
    }

    public static <T> EventReader<T> of(String name, ArgumentReader<T> reader) {
        return new EventReader<>(java.util.Objects.requireNonNull(name, "name"), null,
                java.util.Objects.requireNonNull(reader, "reader"));
    }

    /** The scanner first; the frames it declines go to the reader. */
    public static <T> EventReader<T> of(String name, ArgumentScanner<T> scanner, ArgumentReader<T> reader) {
        return new EventReader<>(java.util.Objects.requireNonNull(name, "name"),
                java.util.Objects.requireNonNull(scanner, "scanner"),
                java.util.Objects.requireNonNull(reader, "reader"));
    }

    public String name() {
        return name;
    }

    /**
     * @return the argument as read, or null when the frame is not of this event's simple form or the reader
     *         declined: then {@link #decode} it as usual
     */
    public T read(String frame) {
        if (!frame.startsWith(prefix)) {
            return null;
        }
        if (scanner != null) {
            T scanned = scanner.scan(frame, prefix.length());
            if (scanned != null) {
                return scanned;
            }
        }
        try (JsonParser p = PacketCodec.mapper().getFactory().createParser(frame.substring(2))) {
            // [ "name" , <argument> ] and nothing after
            if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING
                || p.nextToken() == null) {
                return null;
            }
            T value = reader.read(p);
            if (value == null || p.nextToken() != JsonToken.END_ARRAY || p.nextToken() != null) {
                return null;
            }
            return value;
        } catch (IOException | RuntimeException e) {
            return null; // the general path reports it
        }
    }
}
