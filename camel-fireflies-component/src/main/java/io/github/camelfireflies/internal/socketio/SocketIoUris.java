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

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Builds the Engine.IO WebSocket URI: the one place that knows the path's trailing slash and the query. */
public final class SocketIoUris {

    private SocketIoUris() {
    }

    /**
     * {@code wss://api.fireflies.ai} + {@code /ws/realtime} gives
     * {@code wss://api.fireflies.ai/ws/realtime/?EIO=4&transport=websocket}. {@code http(s)} base URLs are turned into
     * {@code ws(s)}.
     *
     * @param  baseUrl                  scheme, host and optional port ({@code ws}, {@code wss}, {@code http} or
     *                                  {@code https}); a path in it is not allowed (the Socket.IO path goes in
     *                                  {@code path})
     * @param  path                     the Socket.IO server's path option, e.g. {@code /socket.io}
     * @throws IllegalArgumentException when the URL cannot be used, with the reason
     */
    public static URI engineIoUri(String baseUrl, String path) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("url must not be empty");
        }
        URI base;
        try {
            base = new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URI: " + e.getMessage(), e);
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        String wsScheme = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new IllegalArgumentException(
                    "url must start with wss://, ws://, https:// or http://, was '" + scheme + "'");
        };
        if (base.getHost() == null) {
            throw new IllegalArgumentException("url has no host");
        }
        if (base.getRawPath() != null && !base.getRawPath().isEmpty() && !"/".equals(base.getRawPath())) {
            throw new IllegalArgumentException("url must not contain a path ('" + base.getRawPath()
                                               + "'): set the Socket.IO path with the path option instead");
        }
        String p = path == null || path.isBlank() ? "/socket.io" : path.trim();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        if (!p.endsWith("/")) {
            p = p + "/";
        }
        try {
            return new URI(wsScheme, null, base.getHost(), base.getPort(), p, "EIO=4&transport=websocket", null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Cannot build the WebSocket URI: " + e.getMessage(), e);
        }
    }
}
