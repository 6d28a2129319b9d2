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
import java.util.List;
import java.util.Set;

/**
 * Where and how the simulator sends webhooks. Its {@link #toString()} leaves the secret out.
 *
 * @param urls                 where each delivery goes, in this order (the same bytes to each)
 * @param secret               the signing secret; null: deliveries are not signed
 * @param signaturePrefix      whether the signature header carries {@code sha256=} before the hex
 * @param transcriptReadyDelay from the end of a meeting to {@code meeting.transcribed} (V1: Transcription completed)
 * @param summaryReadyDelay    from {@code meeting.transcribed} to {@code meeting.summarized}; null: not sent
 */
record WebhookSettings(List<URI> urls, String secret, Set<WebhookVersion> versions, boolean signaturePrefix,
        Duration transcriptReadyDelay, Duration summaryReadyDelay) {

    WebhookSettings {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("At least one webhook URL");
        }
        versions = Set.copyOf(versions);
        secret = secret == null || secret.isEmpty() ? null : secret;
    }

    boolean signed() {
        return secret != null;
    }

    @Override
    public String toString() {
        return "WebhookSettings[" + (urls.size() == 1 ? urls.get(0) : urls) + ", " + versions + (signed() ? ", signed" : ", unsigned")
               + (signaturePrefix ? " (sha256=)" : "") + "]";
    }
}
