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

import io.github.camelfireflies.api.WebSocketProvider;
import io.github.camelfireflies.internal.budget.BudgetClock;
import io.github.camelfireflies.internal.websocket.DefaultContainers;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fireflies} component: live meeting transcripts from the Fireflies.ai Realtime API.
 * <p>
 * All consumers of a component share one JSR 356 container (made with {@code webSocketProvider}, Jetty's client by
 * default, unless one is configured), one timer thread, a small pool for blocking connects, and a worker pool on which
 * every meeting's events are routed in order. Stopping the component releases all of them.
 */
@Component("fireflies")
public class FirefliesComponent extends HealthCheckComponent {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesComponent.class);

    @Metadata(label = "advanced", description = "Default options for every endpoint of this component.")
    private FirefliesConfiguration configuration = new FirefliesConfiguration();

    @Metadata(label = "advanced", defaultValue = "10",
              description = "Threads that route the events of all live consumers of this component. Each meeting is"
                            + " routed by one thread at a time, in order; a slow route holds one thread.")
    private int workerPoolSize = 10;

    @Metadata(label = "advanced",
              description = "A thread pool to route events on instead of the component's own (see workerPoolSize). Not"
                            + " shut down by the component. Give it a queue that is not bounded: while it refuses"
                            + " tasks, the events of a meeting wait in their queue (and a warning is logged).")
    private ExecutorService workerPool;

    @Metadata(label = "advanced", defaultValue = "JETTY", enums = "JETTY,TOMCAT,TYRUS",
              description = "The JSR 356 client the component makes its WebSocket containers with when no"
                            + " webSocketContainer is given. `JETTY` (the default, shipped with the component): one"
                            + " bounded pool per container (2 to 8 threads) and one scheduler thread, all ended when the"
                            + " component stops. `TOMCAT` (add org.apache.tomcat:tomcat-websocket and tomcat-api 10.1.x):"
                            + " Tomcat's JVM-wide I/O pool, and two more threads per wss connection. `TYRUS` (add"
                            + " org.glassfish.tyrus.bundles:tyrus-standalone-client-jdk 2.1.x): leaves one JVM-wide"
                            + " thread behind after stop. Any case is accepted (`jetty` too).")
    private WebSocketProvider webSocketProvider = WebSocketProvider.JETTY;

    private DefaultContainers.Owned defaultContainer;
    private ScheduledExecutorService timer;
    private ExecutorService ioPool;
    private ExecutorService ownedWorkerPool;
    private RateBudgets budgets;
    private BudgetClock budgetClock = BudgetClock.SYSTEM;

    public FirefliesComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FirefliesEndpoint endpoint = new FirefliesEndpoint(uri, this, configuration.copy());
        endpoint.setType(EndpointType.parse(remaining));
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    // ------------------------------------------------------------------------------------ shared resources

    /**
     * The JSR 356 container for endpoints that do not bring their own: created on first use, shared by every consumer
     * of this component, shut down with it.
     */
    synchronized DefaultContainers.Owned defaultContainer() {
        if (defaultContainer == null) {
            defaultContainer = DefaultContainers.create(webSocketProvider, new DefaultContainers.Settings(
                    configuration.getMaxMessageSize(), null, configuration.getConnectTimeout()));
            LOG.debug("Created the component's JSR 356 container ({})", webSocketProvider);
        }
        return defaultContainer;
    }

    synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            // Not Camel's default profile: it bounds a scheduled pool's queue (maxQueueSize 1000), and every live
            // connection keeps a heartbeat timer here; at a few hundred meetings the timer would refuse their timeouts.
            ThreadPoolProfile profile = new ThreadPoolProfile("FirefliesTimer");
            profile.setPoolSize(1);
            profile.setMaxPoolSize(1);
            profile.setMaxQueueSize(-1); // not bounded
            profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort); // refuses only once shut down
            timer = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "FirefliesTimer", profile);
        }
        return timer;
    }

    synchronized ExecutorService ioPool() {
        if (ioPool == null) {
            ioPool = boundedPool("FirefliesConnect", 4);
        }
        return ioPool;
    }

    synchronized ExecutorService workerPool() {
        if (workerPool != null) {
            return workerPool;
        }
        if (ownedWorkerPool == null) {
            ownedWorkerPool = boundedPool("FirefliesWorker", workerPoolSize);
        }
        return ownedWorkerPool;
    }

    /** A fixed number of threads, started on demand and let go when idle, with an unbounded queue. */
    private ExecutorService boundedPool(String name, int threads) {
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(threads);
        profile.setMaxQueueSize(Integer.MAX_VALUE); // unbounded: Camel reads 0 or less as a direct hand-off
        profile.setKeepAliveTime(30L);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return getCamelContext().getExecutorServiceManager().newThreadPool(this, name, profile);
    }

    /** The rate budgets of this component's API keys: made on first use, forgotten when the component stops. */
    synchronized RateBudgets budgets() {
        if (budgets == null) {
            budgets = new RateBudgets(getCamelContext(), budgetClock);
        }
        return budgets;
    }

    /** The clock of the rate budgets made from now on (tests drive one by hand). */
    synchronized void setBudgetClock(BudgetClock budgetClock) {
        this.budgetClock = Objects.requireNonNull(budgetClock, "budgetClock");
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (budgets != null) {
            budgets.stop();
            budgets = null;
        }
        ExecutorServiceManager esm = getCamelContext().getExecutorServiceManager();
        if (ownedWorkerPool != null) {
            esm.shutdownGraceful(ownedWorkerPool);
            ownedWorkerPool = null;
        }
        if (ioPool != null) {
            esm.shutdownNow(ioPool);
            ioPool = null;
        }
        if (timer != null) {
            esm.shutdownNow(timer);
            timer = null;
        }
        if (defaultContainer != null) {
            defaultContainer.stop();
            defaultContainer = null;
        }
        super.doStop();
    }

    // ------------------------------------------------------------------------------------ options

    public FirefliesConfiguration getConfiguration() {
        return configuration;
    }

    /** Default options for every endpoint of this component. */
    public void setConfiguration(FirefliesConfiguration configuration) {
        this.configuration = configuration;
    }

    public int getWorkerPoolSize() {
        return workerPoolSize;
    }

    public void setWorkerPoolSize(int workerPoolSize) {
        if (workerPoolSize <= 0) {
            throw new IllegalArgumentException("workerPoolSize must be positive, was " + workerPoolSize);
        }
        this.workerPoolSize = workerPoolSize;
    }

    public WebSocketProvider getWebSocketProvider() {
        return webSocketProvider;
    }

    public void setWebSocketProvider(WebSocketProvider webSocketProvider) {
        this.webSocketProvider = Objects.requireNonNull(webSocketProvider, "webSocketProvider");
    }

    public ExecutorService getWorkerPool() {
        return workerPool;
    }

    public void setWorkerPool(ExecutorService workerPool) {
        this.workerPool = workerPool;
    }
}
