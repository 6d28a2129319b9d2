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

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import io.github.camelfireflies.internal.stream.StreamStats;
import io.github.camelfireflies.internal.socketio.SocketIoSession;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.camel.CamelContext;

/** The Micrometer side of {@link FirefliesMetrics}: only loaded when Micrometer is on the class path. */
final class MicrometerMetrics implements FirefliesMetrics {

    /** The name camel-micrometer looks a registry up by first. */
    static final String REGISTRY_NAME = "metricsRegistry";

    private final MeterRegistry registry;
    /** Held here: Micrometer holds the objects its function meters read only weakly. */
    private final Source source;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer age;

    private MicrometerMetrics(MeterRegistry registry, Tags tags, Source source) {
        this.registry = registry;
        this.source = source;
        StreamTotals totals = new StreamTotals();
        if (!source.type().equals("graphql")) {
            counter("camel.fireflies.events.received", "Socket.IO events received from the server", tags, source,
                    totals, StreamTotals.Counts::received, null);
            counter("camel.fireflies.events.delivered", "Exchanges routed", tags, source, totals,
                    StreamTotals.Counts::delivered, source.delivered());
            counter("camel.fireflies.events.dropped", "Events dropped because the queue was full", tags, source, totals,
                    StreamTotals.Counts::dropped, null);
            counter("camel.fireflies.events.backfilled",
                    "Transcription exchanges whose text came from the GraphQL backfill", tags, source, totals,
                    StreamTotals.Counts::backfilled, source.backfilled());
            counter("camel.fireflies.reconnects", "Successful reconnects", tags, source, totals,
                    StreamTotals.Counts::reconnects, null);
            for (SocketIoSession.State state : SocketIoSession.State.values()) {
                meters.add(Gauge.builder("camel.fireflies.connections", source,
                        s -> count(s.streams().get(), state))
                        .description("Connections to the Fireflies Realtime API in this state")
                        .tags(tags).tag("state", state.name())
                        .register(registry));
            }
            age = Timer.builder("camel.fireflies.event.age")
                    .description("How old an event is when the route gets it: from its arrival on the socket (or, for"
                                 + " a segment made final or backfilled later, its emission) to the exchange")
                    .tags(tags)
                    .register(registry);
            meters.add(age);
        } else {
            age = null;
        }
        for (Map.Entry<String, LongSupplier> e : source.graphqlCalls().entrySet()) {
            LongSupplier calls = e.getValue();
            meters.add(FunctionCounter.builder("camel.fireflies.graphql.calls", calls, LongSupplier::getAsLong)
                    .description("Calls to the Fireflies GraphQL API (each counts against the plan's rate limit)")
                    .tags(tags).tag("operation", e.getKey())
                    .register(registry));
        }
    }

    private void counter(String name, String description, Tags tags, Source source, StreamTotals totals,
                         ToLongFunction<StreamTotals.Counts> fromStreams, LongSupplier own) {
        FunctionCounter c = own != null
                ? FunctionCounter.builder(name, own, LongSupplier::getAsLong).description(description).tags(tags)
                        .register(registry)
                : FunctionCounter.builder(name, source,
                        s -> fromStreams.applyAsLong(totals.update(s.streams().get())))
                        .description(description).tags(tags).register(registry);
        meters.add(c);
    }

    private static long count(Collection<StreamStats> streams, SocketIoSession.State state) {
        long n = 0;
        for (StreamStats s : streams) {
            if (s.state() == state) {
                n++;
            }
        }
        return n;
    }

    static FirefliesMetrics bind(CamelContext context, Source source) {
        MeterRegistry registry = find(context);
        if (registry == null) {
            return null;
        }
        Tags tags = Tags.of("camelContext", context.getName(), "type", source.type());
        if (source.routeId() != null) {
            tags = tags.and("routeId", source.routeId());
        }
        return new MicrometerMetrics(registry, tags, source);
    }

    /** As camel-micrometer finds its registry: by name, else the only one, else a composite one, else none. */
    static MeterRegistry find(CamelContext context) {
        MeterRegistry named = context.getRegistry().lookupByNameAndType(REGISTRY_NAME, MeterRegistry.class);
        if (named != null) {
            return named;
        }
        Set<MeterRegistry> all = context.getRegistry().findByType(MeterRegistry.class);
        if (all.size() == 1) {
            return all.iterator().next();
        }
        return all.stream().filter(r -> r instanceof CompositeMeterRegistry).findFirst()
                .orElse(all.stream().findFirst().orElse(null));
    }

    @Override
    public void eventRouted(long receivedNanos) {
        if (age != null) {
            age.record(Math.max(0, System.nanoTime() - receivedNanos), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }
}
