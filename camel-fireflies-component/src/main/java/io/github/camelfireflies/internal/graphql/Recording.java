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

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A recording to upload: where its bytes come from (opened once, streamed), how many there are, and their content
 * type.
 *
 * @param opener      opens the bytes; the stream is closed after the upload
 * @param size        the number of bytes
 * @param contentType the content type ({@code audio/mpeg}, {@code video/mp4}, ...)
 * @param name        the file name (the default title), or null
 */
public record Recording(Opener opener, long size, String contentType, String name) {

    /** Opens the recording's bytes. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    public Recording {
        Objects.requireNonNull(opener, "opener");
        Objects.requireNonNull(contentType, "contentType");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, was " + size);
        }
    }
}
