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
package io.github.camelfireflies;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.Transcript;
import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.api.graphql.GraphQLObject;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.Transcript;
import io.github.camelfireflies.api.WebhookEvent;
import org.apache.camel.Converter;

/**
 * Type converters: a {@link TranscriptionEvent}, a {@link WebhookEvent}, a {@link Transcript} or a result of the
 * GraphQL operations ({@link GraphQLObject}) becomes its JSON, with the API's field names, so {@code ${body}} and logs
 * show JSON; a {@link GraphQLObject} also becomes a Map with those names.
 */
@Converter(generateLoader = true)
public final class FirefliesConverters {

    private FirefliesConverters() {
    }

    @Converter
    public static String toString(TranscriptionEvent event) {
        return event.toJson();
    }

    @Converter
    public static byte[] toBytes(TranscriptionEvent event) {
        return event.toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Converter
    public static String toString(WebhookEvent event) {
        return event.toJson();
    }

    @Converter
    public static byte[] toBytes(WebhookEvent event) {
        return event.toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Converter
    public static String toString(Transcript transcript) {
        return transcript.toJson();
    }

    @Converter
    public static byte[] toBytes(Transcript transcript) {
        return transcript.toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Converter
    public static String toString(GraphQLObject value) {
        return value.toJson();
    }

    @Converter
    public static byte[] toBytes(GraphQLObject value) {
        return value.toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Converter
    public static Map<String, Object> toMap(GraphQLObject value) {
        return value.toMap();
    }
}
