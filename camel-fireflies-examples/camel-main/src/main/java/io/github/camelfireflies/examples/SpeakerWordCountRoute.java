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
package io.github.camelfireflies.examples;

import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.TranscriptionEvent;
import org.apache.camel.builder.RouteBuilder;

/**
 * A user's route, as an example of what the simulator's JUnit extension tests
 * ({@code SpeakerWordCountRouteTest}): keep one speaker's captions and count the words of each, the count in header
 * {@value #WORDS} and the text as body, sent to {@code to}.
 */
public class SpeakerWordCountRoute extends RouteBuilder {

    /** Header with the number of words of the caption. */
    public static final String WORDS = "words";

    private final String from;
    private final String speaker;
    private final String to;

    public SpeakerWordCountRoute(String from, String speaker, String to) {
        this.from = from;
        this.speaker = speaker;
        this.to = to;
    }

    @Override
    public void configure() {
        from(from)
                .routeId("speaker-word-count")
                .filter(header(FirefliesConstants.SPEAKER_NAME).isEqualTo(speaker))
                .process(e -> {
                    String text = e.getMessage().getBody(TranscriptionEvent.class).text().strip();
                    e.getMessage().setHeader(WORDS, text.isEmpty() ? 0 : text.split("\\s+").length);
                    e.getMessage().setBody(text);
                })
                .to(to);
    }
}
