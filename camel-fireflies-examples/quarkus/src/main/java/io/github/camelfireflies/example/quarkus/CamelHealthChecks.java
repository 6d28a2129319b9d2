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
package io.github.camelfireflies.example.quarkus;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck.Result;
import org.apache.camel.health.HealthCheck.State;
import org.apache.camel.health.HealthCheckHelper;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Camel's readiness checks (the fireflies consumer's {@code consumer:<routeId>} among them) in Quarkus' own health
 * endpoint, {@code /q/health/ready}: one "camel" check, DOWN when one of Camel's is, with each check's state, its
 * details and its error message as data ({@code consumer:live-captions.last.error} says why). What the Camel Quarkus
 * MicroProfile Health extension does; that extension is not used here, this class stands in for it.
 */
@Readiness
@ApplicationScoped
public class CamelHealthChecks implements HealthCheck {

    @Inject
    CamelContext camelContext;

    @Override
    public HealthCheckResponse call() {
        // the repository that asks each route's consumer for its check (Camel Main registers it by default)
        HealthCheckHelper.getHealthCheckRepository(camelContext, "consumers");
        HealthCheckResponseBuilder response = HealthCheckResponse.named("camel").up();
        for (Result r : HealthCheckHelper.invokeReadiness(camelContext)) {
            String id = r.getCheck().getId();
            response.withData(id, r.getState().name());
            if (r.getState() == State.DOWN) {
                response.down();
            }
            for (Map.Entry<String, Object> d : r.getDetails().entrySet()) {
                Object v = d.getValue();
                if (v instanceof Boolean b) {
                    response.withData(id + "." + d.getKey(), b);
                } else if (v instanceof Number n) {
                    response.withData(id + "." + d.getKey(), n.longValue());
                } else if (v != null) {
                    response.withData(id + "." + d.getKey(), v.toString());
                }
            }
            r.getError().ifPresent(e -> response.withData(id + ".error.message", String.valueOf(e.getMessage())));
        }
        return response.build();
    }
}
