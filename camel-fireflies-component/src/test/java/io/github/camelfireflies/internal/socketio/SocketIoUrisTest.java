package io.github.camelfireflies.internal.socketio;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketIoUrisTest {

    @Test
    void firefliesRealtime() {
        assertThat(SocketIoUris.engineIoUri("wss://api.fireflies.ai", "/ws/realtime"))
                .isEqualTo(URI.create("wss://api.fireflies.ai/ws/realtime/?EIO=4&transport=websocket"));
    }

    @ParameterizedTest
    @CsvSource({
            "wss://api.fireflies.ai, /ws/realtime/, wss://api.fireflies.ai/ws/realtime/?EIO=4&transport=websocket",
            "wss://api.fireflies.ai/, /ws/realtime, wss://api.fireflies.ai/ws/realtime/?EIO=4&transport=websocket",
            "wss://api.fireflies.ai, ws/realtime, wss://api.fireflies.ai/ws/realtime/?EIO=4&transport=websocket",
            "https://api.fireflies.ai, /ws/realtime, wss://api.fireflies.ai/ws/realtime/?EIO=4&transport=websocket",
            "HTTPS://api.fireflies.ai, /ws/realtime, wss://api.fireflies.ai/ws/realtime/?EIO=4&transport=websocket",
            "http://localhost:3000, /ws/realtime, ws://localhost:3000/ws/realtime/?EIO=4&transport=websocket",
            "ws://127.0.0.1:8080, /socket.io, ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket",
            "wss://example.com:8443, /, wss://example.com:8443/?EIO=4&transport=websocket",
            "' wss://api.fireflies.ai ', ' /ws/realtime ', wss://api.fireflies.ai/ws/realtime/?EIO=4&transport=websocket",
            "ws://[::1]:3000, /ws/realtime, ws://[::1]:3000/ws/realtime/?EIO=4&transport=websocket",
    })
    void builds(String base, String path, String expected) {
        URI uri = SocketIoUris.engineIoUri(base, path);
        assertThat(uri.toString()).isEqualTo(expected);
        assertThat(uri.getRawPath()).doesNotContain("//");
    }

    @Test
    void missingPathMeansSocketIoDefault() {
        assertThat(SocketIoUris.engineIoUri("ws://h", null).toString()).isEqualTo("ws://h/socket.io/?EIO=4&transport=websocket");
        assertThat(SocketIoUris.engineIoUri("ws://h", " ").toString()).isEqualTo("ws://h/socket.io/?EIO=4&transport=websocket");
    }

    @Test
    void urlWithAPathIsRefusedWithAMessage() {
        assertThatThrownBy(() -> SocketIoUris.engineIoUri("wss://api.fireflies.ai/ws/realtime", "/ws/realtime"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/ws/realtime")
                .hasMessageContaining("path");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ftp://api.fireflies.ai", "file:///tmp/x", "api.fireflies.ai", "mailto:a@b.c", "//api.fireflies.ai" })
    void badSchemesAreRefused(String url) {
        assertThatThrownBy(() -> SocketIoUris.engineIoUri(url, "/ws/realtime"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "  ", "wss://", "wss:// bad host", "wss:/nohost" })
    void unusableUrlsAreRefused(String url) {
        assertThatThrownBy(() -> SocketIoUris.engineIoUri(url, "/ws/realtime")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url");
    }

    @Test
    void nullUrlIsRefused() {
        assertThatThrownBy(() -> SocketIoUris.engineIoUri(null, "/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
