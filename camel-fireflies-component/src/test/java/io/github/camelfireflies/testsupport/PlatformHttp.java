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
package io.github.camelfireflies.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * The HTTP server the webhook tests post to: Camel's Vert.x platform-http on 127.0.0.1, with the context's REST
 * configuration pointing at it (so camel-webhook and {@code webhookPath} find their host and port).
 */
public final class PlatformHttp {

    private PlatformHttp() {
    }

    /** A port free on the loopback interface now. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Adds a platform-http server on {@code 127.0.0.1:port} (bodies up to 1 MiB) to the context, before it starts. */
    public static void serve(CamelContext context, int port) throws Exception {
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(port);
        server.setMaxBodySize(1024L * 1024);
        context.addService(new VertxPlatformHttpServer(server));
        context.getRestConfiguration().setHost("127.0.0.1");
        context.getRestConfiguration().setPort(port);
    }
}
