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

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.internal.webhook.BodyLimit;
import io.github.camelfireflies.internal.webhook.WebhookGate;
import io.github.camelfireflies.internal.webhook.WebhookSignature;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delivery the duplicate check refuses (with a shared idempotent repository: also the copy a fan-out sent to a
 * second instance) is answered 200 and not routed, and its target hears of it ({@link WebhookHandler.Target#duplicate}),
 * which is how every instance of {@code webhook:fireflies:meetings} learns of a meeting behind a fan-out.
 */
class WebhookHandlerDuplicateTest {

    private static final String SECRET = "whsec-duplicate-test";

    private final CamelContext context = new DefaultCamelContext();
    /** Stands for the repository every instance shares. */
    private final Set<String> shared = ConcurrentHashMap.newKeySet();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<String> duplicates = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        context.stop();
    }

    private WebhookHandler handler(boolean failingDuplicate) {
        WebhookGate gate = new WebhookGate(WebhookSignature.of(SECRET), Set.of(WebhookEvent.MEETING_BOT_JOINED),
                body -> shared.add(new String(body, StandardCharsets.UTF_8)));
        return new WebhookHandler(gate, new BodyLimit(), null, "test", new WebhookHandler.Target() {
            @Override
            public boolean deliver(Exchange exchange, WebhookEvent event, Runnable forget, AsyncCallback callback) {
                delivered.add(event.transcriptId());
                return WebhookHandler.answer(exchange, 200, "Following meeting " + event.transcriptId(), callback);
            }

            @Override
            public void duplicate(WebhookEvent event) {
                duplicates.add(event.transcriptId());
                if (failingDuplicate) {
                    throw new IllegalStateException("not running (test)");
                }
            }
        });
    }

    private int post(WebhookHandler handler, byte[] body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(WebhookSignature.HEADER, WebhookSignature.sign(SECRET, body));
        boolean sync = handler.process(exchange, doneSync -> {
        });
        assertThat(sync).isTrue();
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static byte[] botJoined(String meeting) {
        return ("{\"event\":\"meeting.bot_joined\",\"timestamp\":1765000000000,\"meeting_id\":\"" + meeting + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theCopyThatReachesASecondInstanceIsNotRoutedButTellsItsTarget() {
        WebhookHandler first = handler(false);
        WebhookHandler second = handler(false);
        byte[] body = botJoined("dup-1");
        assertThat(post(first, body)).isEqualTo(200);
        assertThat(post(second, body)).isEqualTo(200);
        assertThat(delivered).containsExactly("dup-1");
        assertThat(duplicates).containsExactly("dup-1");
    }

    @Test
    void aTargetThatFailsOnADuplicateStillAnswers200() {
        WebhookHandler first = handler(true);
        byte[] body = botJoined("dup-2");
        assertThat(post(first, body)).isEqualTo(200);
        assertThat(post(first, body)).isEqualTo(200);
        assertThat(delivered).containsExactly("dup-2");
        assertThat(duplicates).containsExactly("dup-2");
    }
}
