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
package io.github.camelfireflies.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.camelfireflies.internal.stream.StreamStats;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's or producer's meters, when the application has Micrometer and a {@code MeterRegistry} (Spring Boot
 * Actuator, Quarkus Micrometer, or one bound in the Camel registry, by the name {@code metricsRegistry} as
 * camel-micrometer looks for it, or alone of its type). Without them every call is a no-op and no Micrometer class is
 * loaded: Micrometer is an optional dependency of the component.
 * <p>
 * Meters (tags {@code camelContext}, {@code routeId}, {@code type} = {@code live}, {@code meetings} or
 * {@code graphql}): the counters {@code camel.fireflies.events.received}, {@code .events.delivered},
 * {@code .events.dropped}, {@code .events.backfilled}, {@code camel.fireflies.reconnects} and
 * {@code camel.fireflies.graphql.calls} (tag {@code operation}); the gauge {@code camel.fireflies.connections} (tag
 * {@code state}: how many connections are in that state); the timer {@code camel.fireflies.event.age} (from the
 * frame's arrival to the route getting the exchange). They read the same counts as JMX and the health check.
 */
public interface FirefliesMetrics {

    /** Measures nothing. */
    FirefliesMetrics NONE = new FirefliesMetrics() {
    };

    /** An exchange was handed to the route; {@code receivedNanos} is the event's {@code receivedNanos}. */
    default void eventRouted(long receivedNanos) {
    }

    /** Removes the meters (the consumer or producer stopped). */
    default void close() {
    }

    /**
     * What the meters read.
     *
     * @param type         {@code live}, {@code meetings} or {@code graphql}
     * @param routeId      the route, or null
     * @param streams      the live streams now (empty for a producer)
     * @param delivered    exchanges routed; null: the streams' count
     * @param backfilled   exchanges with a backfilled text; null: the streams' count
     * @param graphqlCalls GraphQL calls made so far, by operation ({@code backfill}, {@code poll}, ...)
     */
    record Source(String type, String routeId, Supplier<Collection<StreamStats>> streams, LongSupplier delivered,
            LongSupplier backfilled, Map<String, LongSupplier> graphqlCalls) {

        public Source {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(streams, "streams");
            graphqlCalls = Map.copyOf(graphqlCalls);
        }

        /** A producer's source: only GraphQL calls. */
        public static Source graphql(String routeId, Map<String, LongSupplier> calls) {
            return new Source("graphql", routeId, List::of, null, null, calls);
        }
    }

    /** The meters of {@code source} in the context's registry, or {@link #NONE} without Micrometer or a registry. */
    static FirefliesMetrics bind(CamelContext context, Source source) {
        if (!Holder.MICROMETER) {
            return NONE;
        }
        try {
            FirefliesMetrics m = MicrometerMetrics.bind(context, source);
            return m == null ? NONE : m;
        } catch (LinkageError e) {
            // a Micrometer too old or too new for what the meters use: no metrics rather than no consumer
            Holder.LOG.warn("No Fireflies metrics: Micrometer could not be used ({})", e.toString());
            return NONE;
        }
    }

    /** Whether Micrometer is on the class path (looked up once). */
    final class Holder {
        static final Logger LOG = LoggerFactory.getLogger(FirefliesMetrics.class);
        static final boolean MICROMETER = present("io.micrometer.core.instrument.MeterRegistry");

        private Holder() {
        }

        private static boolean present(String className) {
            try {
                Class.forName(className, false, FirefliesMetrics.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
