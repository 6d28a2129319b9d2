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
}
