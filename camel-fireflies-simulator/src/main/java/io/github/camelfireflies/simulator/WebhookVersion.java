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
package io.github.camelfireflies.simulator;

/**
 * The two webhook schemes of Fireflies. {@link #V2} is the current one ({@code meeting.bot_joined},
 * {@code meeting.transcribed}, {@code meeting.summarized}; header {@code X-Hub-Signature}); {@link #V1} the legacy one
 * (only {@code "Transcription completed"}; header {@code x-hub-signature}).
 */
public enum WebhookVersion {
    /** Legacy: {@code {"meetingId","eventType":"Transcription completed","clientReferenceId"}}. */
    V1("x-hub-signature"),
    /** Current: {@code {"event","timestamp","meeting_id","client_reference_id"}}. */
    V2("X-Hub-Signature");

    private final String signatureHeader;

    WebhookVersion(String signatureHeader) {
        this.signatureHeader = signatureHeader;
    }

    /** The header carrying the HMAC-SHA256 signature of the body, spelled as Fireflies documents it. */
    public String signatureHeader() {
        return signatureHeader;
    }

    /** {@code 1} or {@code 2}. */
    public int number() {
        return this == V1 ? 1 : 2;
    }

    /** The version of a number: {@code 1} or {@code 2}. */
    public static WebhookVersion of(int number) {
        return switch (number) {
            case 1 -> V1;
            case 2 -> V2;
            default -> throw new IllegalArgumentException("Webhook version 1 or 2, not " + number);
        };
    }
}
