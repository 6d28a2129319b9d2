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
package io.github.camelfireflies.api;

import java.util.Locale;

/**
 * The JSR 356 client the component creates its WebSocket containers with, when no {@code webSocketContainer} is
 * given. The names are a contract (they appear in configuration, where any case is accepted).
 */
public enum WebSocketProvider {

    /**
     * Jetty 12's jakarta client ({@code org.eclipse.jetty.ee10.websocket:jetty-ee10-websocket-jakarta-client}), on a
     * bounded thread pool of its own that ends when the component stops.
     */
    JETTY("org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer",
          "org.eclipse.jetty.ee10.websocket:jetty-ee10-websocket-jakarta-client"),
    /**
     * Tomcat's client ({@code org.apache.tomcat:tomcat-websocket} with {@code org.apache.tomcat:tomcat-api}). Its I/O
     * threads are a JVM-wide pool shared by every Tomcat WebSocket client of the JVM, and every {@code wss}
     * connection has two threads of its own.
     */
    TOMCAT("org.apache.tomcat.websocket.WsWebSocketContainer",
           "org.apache.tomcat:tomcat-websocket and org.apache.tomcat:tomcat-api"),
    /**
     * Tyrus' JDK client ({@code org.glassfish.tyrus.bundles:tyrus-standalone-client-jdk}). Leaves one JVM-wide thread
     * ({@code tyrus-jdk-container-idle-timeout}) after it has closed a connection.
     */
    TYRUS("org.glassfish.tyrus.client.ClientManager", "org.glassfish.tyrus.bundles:tyrus-standalone-client-jdk");

    private final String containerClass;
    private final String artifacts;

    WebSocketProvider(String containerClass, String artifacts) {
        this.containerClass = containerClass;
        this.artifacts = artifacts;
    }

    /** Whether the provider's classes can be loaded by the component's class loader. */
    public boolean isAvailable() {
        try {
            Class.forName(containerClass, false, WebSocketProvider.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Parses {@code JETTY}, {@code TOMCAT} or {@code TYRUS} in any case (so the former {@code jetty} too). */
    public static WebSocketProvider parse(String text) {
        String t = text == null ? "" : text.trim();
        for (WebSocketProvider p : values()) {
            if (p.name().equalsIgnoreCase(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("webSocketProvider must be JETTY, TOMCAT or TYRUS (any case), was '" + t + "'");
    }

    /** In lower case, as logs and reports show it (the option takes any case). */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Maven artifacts that bring this provider, for error messages. */
    public String artifacts() {
        return artifacts;
    }
}
