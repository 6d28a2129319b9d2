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
package io.github.camelfireflies.example.springboot;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One route: every transcription event of the meeting is logged as a caption line ("speaker: text"), then sent to
 * {@code captions.to} (by default nowhere else; the test points it at a mock endpoint).
 */
@Component
public class LiveCaptionsRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("fireflies:live?transcriptId={{fireflies.transcript-id}}")
                .routeId("live-captions")
                .log("${header.CamelFirefliesSpeakerName}: ${body.text}")
                .to("{{captions.to}}");
    }
}
