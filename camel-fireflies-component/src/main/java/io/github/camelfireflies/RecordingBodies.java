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

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;

import io.github.camelfireflies.internal.graphql.Recording;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.WrappedFile;

/**
 * A recording in a message body: a File, Path, a file of Camel's file consumer, byte[] or InputStream, with its size
 * and content type. An InputStream of unknown length is copied to a temporary file first (streamed, not held in
 * memory), as {@code createUploadUrl} needs the size before the bytes.
 */
final class RecordingBodies {

    /** Content types by file extension, for names the JDK does not know. */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("wav", "audio/wav"),
            Map.entry("ogg", "audio/ogg"), Map.entry("oga", "audio/ogg"), Map.entry("opus", "audio/opus"),
            Map.entry("flac", "audio/flac"), Map.entry("aac", "audio/aac"), Map.entry("webm", "video/webm"),
            Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"), Map.entry("mkv", "video/x-matroska"));

    private RecordingBodies() {
    }

    /** Whether the body is a recording (rather than arguments). */
    static boolean isRecording(Object body) {
        return body instanceof File || body instanceof Path || body instanceof WrappedFile<?> || body instanceof byte[]
               || body instanceof InputStream;
    }

    /**
     * The recording of the body.
     *
     * @param  spool where an InputStream of unknown length is copied; deleted by the caller
     */
    static Recording of(Message in, Path[] spool) throws IOException, InvalidPayloadException {
        Object body = in.getBody();
        String name = in.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        if (name == null) {
            name = in.getHeader(Exchange.FILE_NAME, String.class);
        }
        Path file = null;
        if (body instanceof WrappedFile<?> w && w.getFile() instanceof File f) {
            file = f.toPath();
        } else if (body instanceof File f) {
            file = f.toPath();
        } else if (body instanceof Path p) {
            file = p;
        }
        if (file != null) {
            Path f = file;
            String n = name != null ? name : f.getFileName().toString();
            return new Recording(() -> Files.newInputStream(f), Files.size(f), contentType(in, n), title(n));
        }
        if (body instanceof byte[] bytes) {
            return new Recording(() -> new ByteArrayInputStream(bytes), bytes.length, contentType(in, name), title(name));
        }
        InputStream stream = in.getMandatoryBody(InputStream.class);
        Long length = in.getHeader(Exchange.FILE_LENGTH, Long.class);
        if (length == null) {
            length = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        }
        if (length != null) {
            return new Recording(() -> stream, length, contentType(in, name), title(name));
        }
        Path temp = Files.createTempFile("fireflies-upload", ".part");
        spool[0] = temp;
        try (stream) {
            Files.copy(stream, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Recording(() -> Files.newInputStream(temp), Files.size(temp), contentType(in, name), title(name));
    }

    private static String title(String name) {
        if (name == null) {
            return null;
        }
        String base = Path.of(name).getFileName().toString();
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    private static String contentType(Message in, String name) {
        String type = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (type != null && !type.isBlank()) {
            return type.trim();
        }
        if (name != null) {
            int dot = name.lastIndexOf('.');
            String known = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (known != null) {
                return known;
            }
            String guessed = URLConnection.guessContentTypeFromName(name);
            if (guessed != null) {
                return guessed;
            }
        }
        throw new IllegalArgumentException("uploadAudio: the content type of the recording is unknown; set the "
                                           + Exchange.CONTENT_TYPE + " header (e.g. audio/mpeg)");
    }
}
