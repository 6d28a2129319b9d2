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
package io.github.camelfireflies.internal.websocket;

import java.util.Map;

import jakarta.websocket.WebSocketContainer;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;
import org.glassfish.tyrus.client.ThreadPoolConfig;
import org.glassfish.tyrus.container.jdk.client.JdkClientContainer;

/**
 * Tyrus' JDK client. Its transport threads belong to a JVM-wide channel group that ends one second after the last
 * connection of the JVM closes; the static {@code tyrus-jdk-container-idle-timeout} thread that schedules that end is
 * never stopped (Tyrus has no API for it).
 */
final class TyrusContainers {

    private TyrusContainers() {
    }

    static DefaultContainers.Owned create(DefaultContainers.Settings settings) {
        ClientManager client = ClientManager.createClient(JdkClientContainer.class.getName());
        Map<String, Object> props = client.getProperties();
        // the largest frame; Tyrus' incoming buffer grows up to it, it is not preallocated
        props.put(ClientProperties.INCOMING_BUFFER_SIZE, settings.maxMessageSize());
        props.put(ClientProperties.HANDSHAKE_TIMEOUT, settings.connectTimeoutMs());
        // release the shared transport threads one second after the last connection closes
        props.put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, 1);
        props.put(ClientProperties.WORKER_THREAD_POOL_CONFIG, ThreadPoolConfig.defaultConfig().setDaemon(true));
        if (settings.sslContext() != null) {
            props.put(ClientProperties.SSL_ENGINE_CONFIGURATOR, new SslEngineConfigurator(settings.sslContext()));
        }
        return new DefaultContainers.Owned() {
            @Override
            public WebSocketContainer container() {
                return client;
            }

            @Override
            public boolean assembleParts() {
                return false;
            }

            @Override
            public void stop() {
                client.shutdown();
            }
        };
    }
}
