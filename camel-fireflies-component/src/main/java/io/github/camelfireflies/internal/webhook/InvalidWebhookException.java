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

/**
 * A webhook body that cannot be taken as an event: not JSON, not an object, or without the fields that identify it.
 * The message is meant to be returned to the HTTP client as is (400): it holds no secret and is at most
 * {@value #MAX_MESSAGE_LENGTH} characters, with control characters replaced.
 */
public class InvalidWebhookException extends Exception {

    /** The longest message this exception carries. */
    public static final int MAX_MESSAGE_LENGTH = 200;

    private static final long serialVersionUID = 1L;

    public InvalidWebhookException(String message) {
        super(safe(message));
    }

    public InvalidWebhookException(String message, Throwable cause) {
        super(safe(message), cause);
    }

    /** Bounded, one line, printable: fit for an HTTP answer and a log line. */
    static String safe(String s) {
        if (s == null) {
            return "Invalid webhook body";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_MESSAGE_LENGTH));
        for (int i = 0; i < s.length() && sb.length() < MAX_MESSAGE_LENGTH; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        if (sb.length() == MAX_MESSAGE_LENGTH && s.length() > MAX_MESSAGE_LENGTH) {
            sb.setLength(MAX_MESSAGE_LENGTH - 3);
            sb.append("...");
        }
        return sb.toString();
    }
}
