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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

import io.vertx.core.http.HttpMethod;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.main.Main;

/**
 * Live captions in the browser: {@code http://localhost:8080} shows the meeting's captions as they are spoken, a
 * revision replacing its line. Camel serves everything on its embedded HTTP server (platform-http on Vert.x): the page
 * and its script from two platform-http routes, and the captions as Server-Sent Events ({@code GET /events}) fed by
 * the Fireflies route through {@link CaptionHub}.
 * <p>
 * The meeting is the simulated one, played in a loop, unless {@code FIREFLIES_API_KEY} and
 * {@code FIREFLIES_TRANSCRIPT_ID} are set. {@code WEB_PORT} (or {@code -Dweb.port}) changes the port, {@code WEB_HOST}
 * (or {@code -Dweb.host}) the address (default 127.0.0.1). Runs until Ctrl-C.
 */
public final class WebCaptionsExample {

    static final int DEFAULT_PORT = 8080;

    private WebCaptionsExample() {
    }

    public static void main(String[] args) throws Exception {
        String host = setting("web.host", "WEB_HOST", "127.0.0.1");
        int port = Integer.parseInt(setting("web.port", "WEB_PORT", Integer.toString(DEFAULT_PORT)));
        try (MeetingSource source = MeetingSource.fromEnvironment(true)) {
            Main main = create(source, host, port, new CaptionHub());
            String banner = "Live captions of " + (source.isSimulated() ? "a simulated meeting" : "transcript "
                            + source.transcriptId()) + " at http://" + ("127.0.0.1".equals(host) ? "localhost" : host)
                            + ":" + port + "/ (Ctrl-C to stop)";
            main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
                @Override
                public void afterStart(org.apache.camel.main.BaseMainSupport m) {
                    System.out.println(banner);
                }
            });
            main.run();
        }
    }

    /** A Camel Main serving the page on {@code host:port}, not started. */
    static Main create(MeetingSource source, String host, int port, CaptionHub hub) {
        Main main = source.configure(new Main());
        main.addInitialProperty("camel.main.name", "fireflies-web-captions");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", host);
        main.addInitialProperty("camel.server.port", Integer.toString(port));
        String page = resource("web/index.html");
        String script = resource("web/captions.js");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                from("platform-http:/?httpMethodRestrict=GET")
                        .routeId("page")
                        .setHeader(Exchange.CONTENT_TYPE, constant("text/html; charset=utf-8"))
                        .setBody(constant(page));

                from("platform-http:/captions.js?httpMethodRestrict=GET")
                        .routeId("page-script")
                        .setHeader(Exchange.CONTENT_TYPE, constant("text/javascript; charset=utf-8"))
                        .setBody(constant(script));

                // the simulated meeting ends with a server DISCONNECT: subscribe again, and it plays again
                from(MeetingSource.ENDPOINT_URI + (source.isSimulated() ? "&reconnectOnServerDisconnect=true" : ""))
                        .routeId("captions")
                        .process(hub);

                // the event stream stays open, so it is a plain Vert.x handler on the same (Camel-managed) server
                getCamelContext().addStartupListener((context, alreadyStarted) -> serveEvents(context, port, hub));
            }
        });
        main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
            @Override
            public void beforeStop(org.apache.camel.main.BaseMainSupport m) {
                hub.closeAll();
            }
        });
        return main;
    }

    private static void serveEvents(CamelContext context, int port, CaptionHub hub) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            Map<String, VertxPlatformHttpRouter> all = context.getRegistry().findByTypeWithName(VertxPlatformHttpRouter.class);
            router = all.values().stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException("No platform-http router: is camel.server.enabled set?"));
        }
        router.route(HttpMethod.GET, "/events").handler(hub::handle);
    }

    private static String resource(String name) {
        try (InputStream in = Objects.requireNonNull(WebCaptionsExample.class.getClassLoader().getResourceAsStream(name),
                name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String setting(String property, String env, String defaultValue) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? defaultValue : v;
    }
}
