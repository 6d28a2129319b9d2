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

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The expected values were computed outside Java with {@code openssl dgst -sha256 -hmac <secret>}. */
class WebhookSignatureTest {

    static final String SECRET = "whsec-test-0123456789";
    static final byte[] V2_BODY = ("{\"event\":\"meeting.transcribed\",\"timestamp\":1731000000000,"
                                   + "\"meeting_id\":\"01JCX8T1RZ6W3V9GQK5YB2N4PA\",\"client_reference_id\":\"crm-42\"}")
            .getBytes(StandardCharsets.UTF_8);
    static final String V2_SIG = "2ba91cd32b2ac32bde9131881ac98a60db00165c50f31b9bf971c0bf717d0218";
    static final byte[] V1_BODY = ("{\"meetingId\":\"01JCX8T1RZ6W3V9GQK5YB2N4PA\",\"eventType\":\"Transcription completed\","
                                   + "\"clientReferenceId\":\"crm-42\"}")
            .getBytes(StandardCharsets.UTF_8);
    static final String V1_SIG = "8f058ffbcfe5f14f62875b5c4b6cd155d2071eab77b72ad2a03e444989399d6a";

    private final WebhookSignature sig = WebhookSignature.of(SECRET);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void knownVectors() {
        assertThat(sig.sign(V2_BODY)).isEqualTo(V2_SIG);
        assertThat(sig.sign(V1_BODY)).isEqualTo(V1_SIG);
        // RFC 4231 test case 2, and the well-known "quick brown fox" vector
        assertThat(WebhookSignature.sign("Jefe", utf8("what do ya want for nothing?")))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(WebhookSignature.sign("key", utf8("The quick brown fox jumps over the lazy dog")))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
        assertThat(WebhookSignature.sign("key", new byte[0]))
                .isEqualTo("5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0");
    }

    @Test
    void nonAsciiSecretIsItsUtf8Bytes() {
        assertThat(WebhookSignature.sign("sécret", utf8("café €")))
                .isEqualTo("4a560d968da829f54036f2d6f27930f08de322407f4a892ff9a19d4df414d833");
        assertThat(WebhookSignature.of(utf8("sécret")).sign(utf8("café €")))
                .isEqualTo("4a560d968da829f54036f2d6f27930f08de322407f4a892ff9a19d4df414d833");
    }

    @Test
    void acceptsWithAndWithoutPrefixInAnyCase() {
        assertThat(sig.isValid(V2_BODY, V2_SIG)).isTrue();
        assertThat(sig.isValid(V2_BODY, "sha256=" + V2_SIG)).isTrue();
        assertThat(sig.isValid(V2_BODY, "SHA256=" + V2_SIG)).isTrue();
        assertThat(sig.isValid(V2_BODY, V2_SIG.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(sig.isValid(V2_BODY, "sha256=" + V2_SIG.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(sig.isValid(V2_BODY, "  " + V2_SIG + " ")).isTrue();
        assertThat(sig.isValid(V1_BODY, V1_SIG)).isTrue();
    }

    @Test
    void tamperedBodyIsNotValid() {
        byte[] tampered = V2_BODY.clone();
        tampered[tampered.length - 3] ^= 1;
        assertThat(sig.isValid(tampered, V2_SIG)).isFalse();
        byte[] longer = (new String(V2_BODY, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        assertThat(sig.isValid(longer, V2_SIG)).isFalse();
        assertThat(sig.isValid(V1_BODY, V2_SIG)).isFalse();
    }

    @Test
    void wrongSecretIsNotValid() {
        assertThat(WebhookSignature.of(SECRET + "x").isValid(V2_BODY, V2_SIG)).isFalse();
        assertThat(WebhookSignature.of("whsec-test-012345678").isValid(V2_BODY, V2_SIG)).isFalse();
    }

    @Test
    void everyFlippedBitOfTheSignatureIsNotValid() {
        char[] hex = V2_SIG.toCharArray();
        for (int i = 0; i < hex.length; i++) {
            char[] copy = hex.clone();
            copy[i] = copy[i] == '0' ? '1' : '0';
            assertThat(sig.isValid(V2_BODY, new String(copy))).as("digit %d changed", i).isFalse();
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { " ", "sha256=", "sha256", "sha1=" + "2ba91cd32b2ac32bde9131881ac98a60db00165c" })
    void missingOrEmptyHeaderIsNotValid(String header) {
        assertThat(sig.isValid(V2_BODY, header)).isFalse();
    }

    @Test
    void malformedHexIsNotValidAndThrowsNothing() {
        assertThat(sig.isValid(V2_BODY, V2_SIG.substring(1))).as("odd length").isFalse();
        assertThat(sig.isValid(V2_BODY, V2_SIG + "0")).as("odd length").isFalse();
        assertThat(sig.isValid(V2_BODY, V2_SIG.substring(2))).as("31 bytes").isFalse();
        assertThat(sig.isValid(V2_BODY, V2_SIG + "00")).as("33 bytes").isFalse();
        assertThat(sig.isValid(V2_BODY, "g" + V2_SIG.substring(1))).as("not hex").isFalse();
        assertThat(sig.isValid(V2_BODY, V2_SIG.substring(0, 62) + "0x")).as("not hex").isFalse();
        // digits of other scripts are digits to Character.digit, not to us
        assertThat(sig.isValid(V2_BODY, "\u0662" + V2_SIG.substring(1))).as("Arabic-Indic two").isFalse();
        assertThat(sig.isValid(V2_BODY, "sha256=sha256=" + V2_SIG)).as("two prefixes").isFalse();
        assertThat(sig.isValid(V2_BODY, "x".repeat(100_000))).as("huge").isFalse();
        assertThat(sig.isValid(null, V2_SIG)).as("no body").isFalse();
    }

    @Test
    void nullBodyIsTheEmptyBody() {
        assertThat(WebhookSignature.of("key").isValid(null,
                "5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0")).isTrue();
    }

    @Test
    void emptySecretIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> WebhookSignature.of("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The webhook secret must not be empty");
        assertThatThrownBy(() -> WebhookSignature.of((String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSignature.of(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secretNeverShowsAndIsCopied() {
        byte[] secret = utf8(SECRET);
        WebhookSignature s = WebhookSignature.of(secret);
        secret[0] = 'X';
        assertThat(s.isValid(V2_BODY, V2_SIG)).as("the verifier kept its own copy").isTrue();
        assertThat(s.toString()).doesNotContain(SECRET).doesNotContain("whsec").contains("HmacSHA256");
        assertThat(sig.toString()).doesNotContain(SECRET);
    }

    @Test
    void usableFromManyThreads() throws Exception {
        Thread[] threads = new Thread[4];
        boolean[] ok = new boolean[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int me = t;
            threads[t] = new Thread(() -> {
                boolean all = true;
                for (int i = 0; i < 500; i++) {
                    all &= sig.isValid(V2_BODY, V2_SIG) && !sig.isValid(V1_BODY, V2_SIG);
                }
                ok[me] = all;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(30_000);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(ok).containsOnly(true);
    }
}
