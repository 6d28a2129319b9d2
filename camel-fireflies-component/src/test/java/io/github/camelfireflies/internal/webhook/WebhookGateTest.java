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
package io.github.camelfireflies.internal.webhook;

import io.github.camelfireflies.api.WebhookEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.camelfireflies.internal.webhook.WebhookGate.Outcome;
import io.github.camelfireflies.internal.webhook.WebhookGate.Verdict;
import org.junit.jupiter.api.Test;

import static io.github.camelfireflies.internal.webhook.WebhookSignatureTest.SECRET;
import static io.github.camelfireflies.internal.webhook.WebhookSignatureTest.V1_BODY;
import static io.github.camelfireflies.internal.webhook.WebhookSignatureTest.V1_SIG;
import static io.github.camelfireflies.internal.webhook.WebhookSignatureTest.V2_BODY;
import static io.github.camelfireflies.internal.webhook.WebhookSignatureTest.V2_SIG;
import static org.assertj.core.api.Assertions.assertThat;

class WebhookGateTest {

    private final WebhookSignature signature = WebhookSignature.of(SECRET);
    private final WebhookGate gate = new WebhookGate(signature, WebhookEvent.KNOWN_EVENTS,
            new DuplicateFilter(Duration.ofMinutes(10), 100)::firstSeen);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validV2AndV1AreRouted() {
        Verdict v2 = gate.check(V2_BODY, "sha256=" + V2_SIG);
        assertThat(v2.outcome()).isEqualTo(Outcome.ROUTE);
        assertThat(v2.status()).isEqualTo(200);
        assertThat(v2.event().event()).isEqualTo(WebhookEvent.MEETING_TRANSCRIBED);
        assertThat(v2.event().version()).isEqualTo(2);
        Verdict v1 = gate.check(V1_BODY, V1_SIG);
        assertThat(v1.outcome()).isEqualTo(Outcome.ROUTE);
        assertThat(v1.event().version()).isEqualTo(1);
    }

    @Test
    void exactDuplicateIsAnsweredButNotRoutedAgain() {
        assertThat(gate.check(V2_BODY, V2_SIG).outcome()).isEqualTo(Outcome.ROUTE);
        Verdict again = gate.check(V2_BODY, V2_SIG);
        assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.event()).isNotNull();
    }

    @Test
    void badSignaturesAre401AndNothingIsParsedOrRemembered() {
        byte[] tampered = V2_BODY.clone();
        tampered[10] ^= 1;
        for (String header : new String[] { null, "", V2_SIG.substring(1), V1_SIG }) {
            Verdict v = gate.check(V2_BODY, header);
            assertThat(v.outcome()).as(String.valueOf(header)).isEqualTo(Outcome.UNAUTHORIZED);
            assertThat(v.status()).isEqualTo(401);
            assertThat(v.event()).isNull();
            assertThat(v.reason()).doesNotContain(SECRET).doesNotContain(V2_SIG);
        }
        assertThat(gate.check(tampered, V2_SIG).outcome()).isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(gate.check(utf8("not json"), V2_SIG).outcome()).as("signature first, parsing after")
                .isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(gate.check(V2_BODY, V2_SIG).outcome()).as("the refused ones were not remembered")
                .isEqualTo(Outcome.ROUTE);
    }

    @Test
    void signedGarbageIs400() {
        byte[] body = utf8("not json");
        Verdict v = gate.check(body, signature.sign(body));
        assertThat(v.outcome()).isEqualTo(Outcome.INVALID);
        assertThat(v.status()).isEqualTo(400);
        assertThat(v.reason()).startsWith("Webhook body is not JSON");
        byte[] noMeeting = utf8("{\"event\":\"meeting.transcribed\"}");
        assertThat(gate.check(noMeeting, signature.sign(noMeeting)).reason()).isEqualTo("Webhook body has no meeting_id");
    }

    @Test
    void unknownEventIs200AndIgnored() {
        byte[] body = utf8("{\"event\":\"meeting.exploded\",\"meeting_id\":\"m1\"}");
        Verdict v = gate.check(body, signature.sign(body));
        assertThat(v.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(v.status()).isEqualTo(200);
        assertThat(v.reason()).isEqualTo("Event not routed: meeting.exploded");
        WebhookGate wider = new WebhookGate(signature, java.util.Set.of("meeting.exploded"), null);
        assertThat(wider.check(body, signature.sign(body)).outcome()).isEqualTo(Outcome.ROUTE);
        assertThat(wider.check(V2_BODY, V2_SIG).outcome()).as("not among its events").isEqualTo(Outcome.IGNORED);
    }

    @Test
    void withoutDuplicateFilterRepeatsAreRouted() {
        WebhookGate g = new WebhookGate(signature, WebhookEvent.KNOWN_EVENTS, null);
        assertThat(g.check(V2_BODY, V2_SIG).outcome()).isEqualTo(Outcome.ROUTE);
        assertThat(g.check(V2_BODY, V2_SIG).outcome()).isEqualTo(Outcome.ROUTE);
    }

    @Test
    void unsignedGateTakesAnySignatureOrNone() {
        WebhookGate g = new WebhookGate(null, WebhookEvent.KNOWN_EVENTS, null);
        assertThat(g.check(V2_BODY, null).outcome()).isEqualTo(Outcome.ROUTE);
        assertThat(g.check(V2_BODY, "garbage").outcome()).isEqualTo(Outcome.ROUTE);
        assertThat(g.toString()).isEqualTo("WebhookGate[signed=false, events=[], deduplicated=false]".replace("[]",
                WebhookEvent.KNOWN_EVENTS.toString()));
    }
}
