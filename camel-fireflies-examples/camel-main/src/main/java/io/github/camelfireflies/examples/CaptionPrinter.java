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

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.api.TranscriptionEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Prints live captions. On a terminal a revision of the segment being spoken rewrites its line in place; a revision of
 * an older segment is printed as a marked update. Elsewhere (a pipe, a log, a test) every revision is its own line,
 * with updates marked by {@code ~}. The body is a {@code TranscriptionEvent}, or its JSON text.
 */
public class CaptionPrinter implements Processor {

    private static final String CLEAR_LINE = "\r\u001b[2K";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final boolean terminal;
    private String currentChunk;
    private boolean lineOpen;

    public CaptionPrinter() {
        this(System.out, System.console() != null);
    }

    public CaptionPrinter(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        TranscriptionEvent e = body instanceof String json ? parse(json) : exchange.getMessage().getBody(TranscriptionEvent.class);
        if (e == null) {
            return;
        }
        String speaker = e.speakerName() == null ? "?" : e.speakerName();
        boolean sameChunk = e.chunkId().equals(currentChunk);
        if (terminal) {
            if (sameChunk && lineOpen) {
                out.print(CLEAR_LINE + speaker + ": " + e.text());
            } else {
                if (lineOpen) {
                    out.println();
                }
                out.print(speaker + ": " + e.text());
                lineOpen = true;
            }
        } else {
            out.println((sameChunk ? "  ~ " : "") + speaker + ": " + e.text());
        }
        out.flush();
        currentChunk = e.chunkId();
    }

    /** An event as JSON text (what the fireflies-source Kamelet gives), or null when it is not one. */
    private static TranscriptionEvent parse(String json) {
        try {
            return JSON.readValue(json, TranscriptionEvent.class);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Ends the open line, if any. */
    public synchronized void finish() {
        if (terminal && lineOpen) {
            out.println();
            lineOpen = false;
        }
    }
}
