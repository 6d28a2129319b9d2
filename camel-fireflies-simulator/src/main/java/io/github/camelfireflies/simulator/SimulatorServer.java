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
package io.github.camelfireflies.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Tomcat: one NIO connector on {@code host:port}, the Socket.IO WebSocket endpoint at
 * {@code <path>/} (behind the Engine.IO handshake filter), the GraphQL servlet at
 * {@value FirefliesSimulator#GRAPHQL_PATH} and a fallback for everything else. Started once, stopped once.
 */
final class SimulatorServer {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);

    private final SimulatorConfig config;
    private final Supplier<SimConnection> connections;
    private final HttpServlet graphql;
    private final HttpServlet upload;

    private Tomcat tomcat;
    private Path baseDir;
    private volatile int port = -1;

    /**
     * @param connections a new endpoint instance for each WebSocket connection
     * @param graphql     the servlet answering {@value FirefliesSimulator#GRAPHQL_PATH}
     * @param upload      the servlet taking the uploads of {@code createUploadUrl} at {@value UploadServlet#PATH}
     */
    SimulatorServer(SimulatorConfig config, Supplier<SimConnection> connections, HttpServlet graphql,
            HttpServlet upload) {
        this.upload = upload;
        this.config = config;
        this.connections = connections;
        this.graphql = graphql;
    }

    /**
     * Starts Tomcat and binds the port.
     *
     * @throws IllegalStateException when Tomcat cannot start (port in use, ...); call {@link #stop()} then
     */
    synchronized void start() {
        String where = config.host() + ":" + config.port();
        try {
            baseDir = Files.createTempDirectory("fireflies-sim");
            tomcat = new Tomcat();
            tomcat.setSilent(true);
            tomcat.setBaseDir(baseDir.toString());
            tomcat.getServer().setUtilityThreads(1);

            Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
            connector.setPort(config.port());
            connector.setProperty("address", config.host());
            connector.setProperty("minSpareThreads", "1");
            connector.setProperty("maxThreads", Integer.toString(config.maxThreads()));
            connector.setProperty("acceptCount", "100");
            connector.setProperty("connectionTimeout", "10000");
            connector.setThrowOnFailure(true);
            tomcat.getService().addConnector(connector);
            tomcat.setConnector(connector);
            tomcat.getEngine().setBackgroundProcessorDelay(-1);
            tomcat.getHost().setAutoDeploy(false);

            Context ctx = tomcat.addContext("", baseDir.toString());
            // the web application's loader must see the classes we were loaded with (exec:java, app servers, IDEs);
            // the websocket API finds Tomcat's default configurator through it
            ctx.setParentClassLoader(SimulatorServer.class.getClassLoader());
            if (ctx instanceof StandardContext std) {
                // nothing is ever redeployed here: skip the leak checks that need --add-opens and only warn
                std.setClearReferencesObjectStreamClassCaches(false);
                std.setClearReferencesRmiTargets(false);
                std.setClearReferencesThreadLocals(false);
                std.setSkipMemoryLeakChecksOnJvmShutdown(true);
            }
            Wrapper fallback = Tomcat.addServlet(ctx, "fallback", new EngineIoHttp.FallbackServlet(config.path()));
            fallback.setAsyncSupported(true);
            ctx.addServletMappingDecoded("/", "fallback");
            Tomcat.addServlet(ctx, "graphql", graphql);
            ctx.addServletMappingDecoded(FirefliesSimulator.GRAPHQL_PATH, "graphql");
            Tomcat.addServlet(ctx, "upload", upload);
            ctx.addServletMappingDecoded(UploadServlet.PATH + "/*", "upload");
            ctx.addServletContainerInitializer(new WsSci(), null);
            ctx.addServletContainerInitializer(endpointInstaller(), null);

            tomcat.start();
            int bound = connector.getLocalPort();
            if (bound <= 0) {
                throw new IllegalStateException("Tomcat did not bind " + where);
            }
            port = bound;
        } catch (IOException | LifecycleException | RuntimeException e) {
            throw new IllegalStateException("Cannot start the Fireflies simulator on " + where + ": " + e, e);
        }
    }

    private ServletContainerInitializer endpointInstaller() {
        String path = config.path();
        return (classes, servletContext) -> {
            FilterRegistration.Dynamic filter
                    = servletContext.addFilter("engineio-handshake", new EngineIoHttp.HandshakeFilter());
            filter.setAsyncSupported(true);
            // before Tomcat's WsFilter, which is mapped "after"
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, path + "/");
            ServerContainer sc = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
            sc.setDefaultMaxTextMessageBufferSize(config.maxPayload());
            sc.setDefaultMaxBinaryMessageBufferSize(config.maxPayload());
            sc.setDefaultMaxSessionIdleTimeout(0);
            ServerEndpointConfig endpoint = ServerEndpointConfig.Builder.create(SimConnection.class, path + "/")
                    .configurator(new ServerEndpointConfig.Configurator() {
                        @Override
                        public <T> T getEndpointInstance(Class<T> endpointClass) {
                            return endpointClass.cast(connections.get());
                        }
                    })
                    .build();
            try {
                sc.addEndpoint(endpoint);
            } catch (DeploymentException e) {
                throw new IllegalStateException("Cannot deploy the Socket.IO endpoint at " + path + "/", e);
            }
        };
    }

    /** The bound port, or -1 before a successful {@link #start()}. */
    int port() {
        return port;
    }

    /** Stops and destroys Tomcat and deletes its base directory. Idempotent; safe after a failed start. */
    synchronized void stop() {
        if (tomcat != null) {
            try {
                tomcat.stop();
            } catch (LifecycleException | RuntimeException e) {
                LOG.debug("Stopping Tomcat: {}", e.toString());
            }
            try {
                tomcat.destroy();
            } catch (LifecycleException | RuntimeException e) {
                LOG.debug("Destroying Tomcat: {}", e.toString());
            }
            tomcat = null;
        }
        deleteBaseDir();
    }

    private void deleteBaseDir() {
        if (baseDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("Cannot delete {}: {}", baseDir, e.toString());
        }
        baseDir = null;
    }
}
