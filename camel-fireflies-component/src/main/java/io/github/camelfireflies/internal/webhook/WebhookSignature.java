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
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fireflies' webhook signature: HMAC-SHA256 of the raw body bytes keyed with the webhook secret, sent in hex in
 * {@value #HEADER} (V2; V1 spells it in lower case, and HTTP header names are case-insensitive). The hex may come with
 * a {@value #PREFIX} prefix or without, in either case.
 * <p>
 * {@link #isValid} compares in constant time and answers a plain yes or no: a missing, malformed (odd length, not hex,
 * not 32 bytes) or wrong signature is not valid, and no exception or message ever holds the secret or the expected
 * value. The secret is kept as a private copy of its bytes and appears in no {@code toString}. Thread-safe.
 */
public final class WebhookSignature {

    /** The header that carries the signature. */
    public static final String HEADER = "X-Hub-Signature";
    /** The optional prefix of the hex signature. */
    public static final String PREFIX = "sha256=";

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_LENGTH = 32;
    /** Longer headers are refused before any work: a prefix and 64 hex digits, with room for blanks around. */
    private static final int MAX_HEADER_LENGTH = 128;

    private final byte[] secret;

    private WebhookSignature(byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("The webhook secret must not be empty");
        }
        this.secret = secret.clone();
        mac(); // fails now rather than on the first delivery if the JDK lacks HmacSHA256
    }

    /** A verifier for this secret (its UTF-8 bytes). */
    public static WebhookSignature of(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("The webhook secret must not be empty");
        }
        return new WebhookSignature(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A verifier for this secret; the array is copied. */
    public static WebhookSignature of(byte[] secret) {
        return new WebhookSignature(secret);
    }

    /**
     * Whether {@code header} is the signature of exactly these bytes.
     *
     * @param body   the raw body, as received (null counts as empty)
     * @param header the header's value, {@code sha256=<hex>} or {@code <hex>}; null or blank is not valid
     */
    public boolean isValid(byte[] body, String header) {
        byte[] given = decode(header);
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(hmac(body), given);
    }

    /** The signature of these bytes, as lower-case hex without prefix (what a sender puts in {@value #HEADER}). */
    public String sign(byte[] body) {
        return HexFormat.of().formatHex(hmac(body));
    }

    /** Same as {@code of(secret).sign(body)}: for tests and tools. */
    public static String sign(String secret, byte[] body) {
        return of(secret).sign(body);
    }

    private byte[] hmac(byte[] body) {
        Mac mac = mac();
        return mac.doFinal(body == null ? new byte[0] : body);
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // a Mac is not thread-safe: one per call, they are cheap
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            // the message of these exceptions names the algorithm, never the key
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    /** The 32 bytes the header holds, or null when it holds no well-formed SHA-256 signature. */
    static byte[] decode(String header) {
        if (header == null || header.length() > MAX_HEADER_LENGTH) {
            return null;
        }
        String hex = header.strip();
        if (hex.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            hex = hex.substring(PREFIX.length());
        }
        if (hex.length() != 2 * MAC_LENGTH) {
            return null;
        }
        byte[] out = new byte[MAC_LENGTH];
        for (int i = 0; i < MAC_LENGTH; i++) {
            int hi = hexValue(hex.charAt(2 * i));
            int lo = hexValue(hex.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** 0 to 15 for an ASCII hex digit of either case, else -1 (Character.digit would take other scripts' digits). */
    private static int hexValue(char c) {
        return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
    }

    @Override
    public String toString() {
        return "WebhookSignature[" + ALGORITHM + ", secret=******]";
    }
}
