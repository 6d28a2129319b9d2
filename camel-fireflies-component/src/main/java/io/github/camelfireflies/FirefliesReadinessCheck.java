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

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** What the consumers' checks share: readiness only, in the "camel" group, named after the route. */
public abstract class FirefliesReadinessCheck extends AbstractHealthCheck {

    protected final String routeId;

    protected FirefliesReadinessCheck(String kind, String routeId) {
        super("camel", kind + "-" + routeId);
        this.routeId = routeId;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /**
     * DOWN, saying why where every platform shows it: the message (Camel's own API and consoles), the detail
     * {@code reason} (Spring Boot Actuator and the like show details, not the message), the detail {@code last.error}
     * when there is an error, and the error itself when there is one (Camel Spring Boot shows it as
     * {@code error.message}). None of them holds the API key: the texts come from exceptions that never carry it.
     *
     * @param reason    what the check says, in a sentence
     * @param lastError the error's text, or null
     * @param error     the failure, or null
     */
    protected static void down(HealthCheckResultBuilder builder, String reason, String lastError, Throwable error) {
        builder.down();
        builder.message(reason);
        builder.detail("reason", reason);
        if (lastError != null) {
            builder.detail("last.error", lastError);
        }
        if (error != null) {
            builder.error(error);
        }
    }
}
