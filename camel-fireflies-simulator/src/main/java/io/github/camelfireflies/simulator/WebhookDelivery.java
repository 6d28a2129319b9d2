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

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * One webhook the simulator sent (or tried to): what, to whom it answered what.
 *
 * @param version   the scheme
 * @param event     {@code event} (V2) or {@code eventType} (V1) of the body; null when a raw body had none
 * @param meetingId {@code meeting_id} (V2) or {@code meetingId} (V1) of the body; null when a raw body had none
 * @param body      the bytes sent, as UTF-8 text
 * @param signature the signature header's value as sent; null when none was sent
 * @param status    the HTTP status of the answer; -1 when there was none (refused, timed out, closed)
 * @param error     why there was no answer; null when there was one
 * @param sentAt    when the request went out; null when it never did
 * @param took      until the answer (or the failure)
 * @param url       where it went; null when it never went anywhere
 */
public record WebhookDelivery(WebhookVersion version, String event, String meetingId, String body, String signature,
        int status, String error, Instant sentAt, Duration took, URI url) {

    /** A delivery without its URL. */
    public WebhookDelivery(WebhookVersion version, String event, String meetingId, String body, String signature,
            int status, String error, Instant sentAt, Duration took) {
        this(version, event, meetingId, body, signature, status, error, sentAt, took, null);
    }

    /** Whether the receiver answered 2xx. */
    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
