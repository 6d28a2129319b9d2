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

import java.util.Map;

import javax.net.ssl.SSLContext;

import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;
import org.glassfish.tyrus.client.ThreadPoolConfig;
import org.glassfish.tyrus.container.jdk.client.JdkClientContainer;

/**
 * The JSR 356 containers this component creates itself: the Tyrus JDK client, chosen explicitly (not by whichever
 * provider the ServiceLoader finds first). Everything container-specific lives here.
 */
final class DefaultContainers {

    /** Tomcat's client reads its TLS context from this user property of the endpoint config. */
    static final String TOMCAT_SSL_CONTEXT = "org.apache.tomcat.websocket.SSL_CONTEXT";

    private DefaultContainers() {
    }

    /**
     * A new Tyrus JDK client container. Call {@link ClientManager#shutdown()} when done.
     *
     * @param maxMessageSize the largest frame accepted (Tyrus' incoming buffer grows up to this; it is not
     *                       preallocated)
     * @param sslContext     TLS context for {@code wss}, or null for the JVM's defaults
     */
    static ClientManager tyrus(int maxMessageSize, SSLContext sslContext) {
        ClientManager client = ClientManager.createClient(JdkClientContainer.class.getName());
        Map<String, Object> props = client.getProperties();
        props.put(ClientProperties.INCOMING_BUFFER_SIZE, maxMessageSize);
        // release the shared transport threads one second after the last connection closes
        props.put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, 1);
        props.put(ClientProperties.WORKER_THREAD_POOL_CONFIG,
                ThreadPoolConfig.defaultConfig().setDaemon(true));
        if (sslContext != null) {
            props.put(ClientProperties.SSL_ENGINE_CONFIGURATOR, new SslEngineConfigurator(sslContext));
        }
        return client;
    }

    /** User properties that make containers which read TLS settings per endpoint use {@code sslContext}. */
    static void addTlsUserProperties(SSLContext sslContext, Map<String, Object> props) {
        props.put(TOMCAT_SSL_CONTEXT, sslContext);
    }
}
