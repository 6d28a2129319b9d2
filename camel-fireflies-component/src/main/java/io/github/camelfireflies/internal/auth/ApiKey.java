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
package io.github.camelfireflies.internal.auth;

/**
 * A Fireflies API key, normalised once: given with or without the {@code Bearer } prefix (any case), surrounding
 * white space ignored. It builds the {@code Authorization} value, removes itself from texts that came from elsewhere
 * (server messages, exceptions), and never shows itself: {@link #toString()} is masked. Every part of the project that
 * handles the key goes through this type.
 */
public final class ApiKey {

    private static final String BEARER = "bearer";
    /** Keys shorter than this are not scrubbed from texts: replacing one or two characters would mangle them. */
    private static final int MIN_SCRUB_LENGTH = 4;
    private static final String MASK = "***";

    private final String key;

    private ApiKey(String key) {
        this.key = key;
    }

    /**
     * Parses a key given as {@code <key>} or {@code Bearer <key>}.
     *
     * @throws IllegalArgumentException when the text is null, blank or only the prefix; the message never holds the key
     */
    public static ApiKey of(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("The API key is not set");
        }
        String k = text.strip();
        if (k.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && (k.length() == BEARER.length() || Character.isWhitespace(k.charAt(BEARER.length())))) {
            k = k.substring(BEARER.length()).strip();
        }
        if (k.isEmpty()) {
            throw new IllegalArgumentException("The API key is empty: only the 'Bearer' prefix was given");
        }
        return new ApiKey(k);
    }

    /** Whether {@link #of(String)} would accept the text. */
    public static boolean isValid(String text) {
        try {
            of(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The value of an {@code Authorization} header or of the realtime CONNECT token: {@code Bearer <key>}. */
    public String authorization() {
        return "Bearer " + key;
    }

    /** Replaces every occurrence of the key in a text that came from elsewhere with {@code ***}; null stays null. */
    public String scrub(String text) {
        if (text == null || key.length() < MIN_SCRUB_LENGTH) {
            return text;
        }
        return text.replace(key, MASK);
    }

    /**
     * A short name of the key that does not reveal it: the first 12 hex digits of the SHA-256 of the key, e.g.
     * {@code key-3f9a0c1b22de}. Safe for logs, metrics tags and cluster view names.
     */
    public String fingerprint() {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder("key-");
            for (int i = 0; i < 6; i++) {
                b.append(Character.forDigit((d[i] >> 4) & 0xf, 16)).append(Character.forDigit(d[i] & 0xf, 16));
            }
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey other && other.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    /** Masked: never the key. */
    @Override
    public String toString() {
        return "ApiKey[" + MASK + "]";
    }
}
