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

import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.TranscriptionEvent;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * Writes the finished transcript of a meeting to {@code <transcriptId>.txt}, one {@code speaker: text} line per
 * segment, in order, using {@code emit=final}: each segment is written once, with its last revision, instead of
 * every revision as it is spoken. A revision that arrives after its segment was written is appended as a line marked
 * {@code [correction]} (a text file cannot be rewritten in place while it grows).
 * <ul>
 * <li>With {@code FIREFLIES_API_KEY} and {@code FIREFLIES_TRANSCRIPT_ID} set, it follows that meeting on the real
 * Fireflies Realtime API until Ctrl-C (open segments are written when the server ends the meeting or on Ctrl-C).</li>
 * <li>Otherwise it plays the simulator's demo meeting on 127.0.0.1 and stops shortly after the meeting ends.</li>
 * </ul>
 * The directory is the first argument, else {@code target/transcripts}.
 */
public final class TranscriptFileExample {

    static final String DEMO_TRANSCRIPT = MeetingSource.SIMULATOR_TRANSCRIPT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TranscriptFileExample() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/transcripts");
        run(System.getenv("FIREFLIES_API_KEY"), System.getenv("FIREFLIES_TRANSCRIPT_ID"),
                TranscriptFileExample.class.getClassLoader().getResource("meetings/demo.jsonl"), dir, System.out);
    }

    /** One line of the transcript file. */
    static String line(TranscriptionEvent event, boolean correction) {
        String speaker = event.speakerName() == null || event.speakerName().isBlank() ? "Unknown" : event.speakerName();
        return (correction ? "[correction] " : "") + speaker + ": " + event.text().replace('\n', ' ') + "\n";
    }

    /**
     * Runs until the meeting ends (simulator) or the JVM is asked to stop (real API).
     *
     * @param script the meeting the simulator plays when no API key is given
     * @param dir    where {@code <transcriptId>.txt} is written (appended to)
     */
    static void run(String apiKey, String transcriptId, URL script, Path dir, PrintStream out) throws Exception {
        try (MeetingSource source = MeetingSource.choose(apiKey, transcriptId, script, false)) {
            Main main = source.configure(new Main());
            if (source.isSimulated()) {
                // the simulated meeting ends by itself (a server DISCONNECT, which writes the open segments at once):
                // leave once nothing has been written for a while
                main.configure().withDurationMaxIdleSeconds(8);
            }
            Path text = dir.resolve(source.transcriptId() + ".txt");
            out.println("Writing the finished transcript of " + source.transcriptId() + " to " + text.toAbsolutePath()
                        + " (and .jsonl)");
            main.addInitialProperty("transcript.dir", dir.toAbsolutePath().toString());
            main.addInitialProperty("camel.main.name", "fireflies-transcript-file");
            main.configure().addRoutesBuilder(new RouteBuilder() {
                @Override
                public void configure() {
                    from(MeetingSource.ENDPOINT_URI + "&emit=final")
                            .routeId("transcript-file")
                            .multicast()
                                // "speaker: text" per finished segment, in order
                                .pipeline()
                                    .process(e -> e.getMessage().setBody(line(
                                            e.getMessage().getBody(TranscriptionEvent.class),
                                            e.getMessage().getHeader(FirefliesConstants.CORRECTION, false, Boolean.class))))
                                    .to("file:{{transcript.dir}}?fileName=${header.CamelFirefliesTranscriptId}.txt"
                                        + "&fileExist=Append&charset=utf-8")
                                .end()
                                // the same segments as JSON lines: the event's fields, its revision, correction or not
                                .pipeline()
                                    .process(e -> e.getMessage().setBody(jsonLine(
                                            e.getMessage().getBody(TranscriptionEvent.class),
                                            e.getMessage().getHeader(FirefliesConstants.CHUNK_REVISION, 1, Integer.class),
                                            e.getMessage().getHeader(FirefliesConstants.CORRECTION, false, Boolean.class))))
                                    .to("file:{{transcript.dir}}?fileName=${header.CamelFirefliesTranscriptId}.jsonl"
                                        + "&fileExist=Append&charset=utf-8")
                                .end()
                            .end();
                }
            });
            main.run();
            out.println("Done: " + text.toAbsolutePath());
        }
    }

    /** One line of the JSON-lines file: the event's documented fields, its revision and whether it corrects. */
    static String jsonLine(TranscriptionEvent event, int revision, boolean correction) {
        ObjectNode o = (ObjectNode) JSON.valueToTree(event);
        o.put("revision", revision);
        o.put("correction", correction);
        return o + "\n";
    }
}
