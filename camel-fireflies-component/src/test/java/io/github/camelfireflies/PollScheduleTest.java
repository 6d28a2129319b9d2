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

import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schedule of the polling consumers is ScheduledPollEndpoint's ({@code delay}, {@code initialDelay},
 * {@code backoff*}, {@code timeUnit}, {@code startScheduler}) with this component's defaults when not set, and the
 * deprecated {@code pollInterval} is mapped onto {@code delay}. The consumers are made, not started: no server needed.
 */
class PollScheduleTest {

    private static final String KEY = "sk-live-0123456789abcdef";
    private static final String WEBHOOK = "&webhookPath=/fireflies/meetings&allowUnsigned=true";
    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private Consumer consumer(String uri) throws Exception {
        return context.getEndpoint(uri, FirefliesEndpoint.class).createConsumer(e -> {
        });
    }

    private MeetingsConsumer meetings(String options) throws Exception {
        return (MeetingsConsumer) consumer("fireflies:meetings?apiKey=" + KEY + options);
    }

    @Test
    void meetingsPollEveryMinuteFromTheStartUnlessDelaySaysOtherwise() throws Exception {
        MeetingsConsumer byDefault = meetings("");
        assertThat(byDefault.getDelay()).isEqualTo(60_000);
        assertThat(byDefault.getInitialDelay()).isZero();
        assertThat(byDefault.isStartScheduler()).isTrue();
        MeetingsConsumer set = meetings("&delay=5m&initialDelay=250&backoffMultiplier=3&backoffIdleThreshold=2");
        assertThat(set.getDelay()).isEqualTo(300_000);
        assertThat(set.settings().pollInterval()).isEqualTo(300_000);
        assertThat(set.getInitialDelay()).isEqualTo(250);
        assertThat(set.getBackoffMultiplier()).isEqualTo(3);
        assertThat(set.getBackoffIdleThreshold()).isEqualTo(2);
        // in the endpoint's timeUnit, run in milliseconds
        MeetingsConsumer seconds = meetings("&delay=30&timeUnit=SECONDS");
        assertThat(seconds.getDelay()).isEqualTo(30_000);
        assertThat(seconds.settings().pollInterval()).isEqualTo(30_000);
    }

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedPollIntervalIsMappedOntoDelayAndDelayWins() throws Exception {
        MeetingsConsumer old = meetings("&pollInterval=2m");
        assertThat(old.getDelay()).isEqualTo(120_000);
        assertThat(old.settings().pollInterval()).isEqualTo(120_000);
        MeetingsConsumer both = meetings("&pollInterval=2m&delay=45000");
        assertThat(both.getDelay()).isEqualTo(45_000);
        assertThat(both.settings().pollInterval()).isEqualTo(45_000);
        // set on the component, as YAML or properties (camel.component.fireflies.configuration.poll-interval) do
        context.getComponent("fireflies", FirefliesComponent.class).getConfiguration().setPollInterval(90_000);
        assertThat(meetings("").getDelay()).isEqualTo(90_000);
        assertThat(meetings("&delay=1000").getDelay()).isEqualTo(1000);
        // 0 is no poll: only with webhooks
        assertThatThrownBy(() -> meetings("&pollInterval=0"))
                .hasMessageContaining("0 turns polling off only with webhooks");
        assertThatThrownBy(() -> meetings("&delay=0")).hasMessageContaining("delay must be positive");
    }

    @Test
    void meetingsRefuseThePollOptionsThatWouldRouteEmptyExchangesOrPollWithoutPause() {
        assertThatThrownBy(() -> meetings("&greedy=true")).hasMessageContaining("does not support greedy");
        assertThatThrownBy(() -> meetings("&sendEmptyMessageWhenIdle=true")).hasMessageContaining("does not support");
    }

    @Test
    @SuppressWarnings("deprecation")
    void withWebhooksThePollIsAnHourlySafetyNetThatStartSchedulerTurnsOff() throws Exception {
        MeetingsConsumer byDefault = meetings(WEBHOOK);
        assertThat(byDefault.settings().webhooks()).isTrue();
        assertThat(byDefault.getDelay()).isEqualTo(3_600_000);
        assertThat(byDefault.isStartScheduler()).isTrue();
        MeetingsConsumer off = meetings(WEBHOOK + "&startScheduler=false");
        assertThat(off.settings().polling()).isFalse();
        assertThat(off.isStartScheduler()).isFalse();
        MeetingsConsumer offTheOldWay = meetings(WEBHOOK + "&pollInterval=0");
        assertThat(offTheOldWay.settings().polling()).isFalse();
        assertThat(offTheOldWay.isStartScheduler()).isFalse();
        MeetingsConsumer every10m = meetings(WEBHOOK + "&delay=10m");
        assertThat(every10m.settings().polling()).isTrue();
        assertThat(every10m.getDelay()).isEqualTo(600_000);
    }

    @Test
    void transcriptsKeepTheirDefaultsAndTakeTheSchedulerOptions() throws Exception {
        TranscriptsConsumer byDefault = (TranscriptsConsumer) consumer("fireflies:transcripts?apiKey=" + KEY);
        assertThat(byDefault.getDelay()).isEqualTo(TranscriptsConfiguration.DEFAULT_DELAY).isEqualTo(300_000);
        assertThat(byDefault.getInitialDelay()).isEqualTo(1000);
        assertThat(byDefault.isUseFixedDelay()).isTrue();
        TranscriptsConsumer set = (TranscriptsConsumer) consumer("fireflies:transcripts?apiKey=" + KEY
                                                                 + "&delay=1h&initialDelay=0&useFixedDelay=false"
                                                                 + "&backoffMultiplier=4&backoffErrorThreshold=2");
        assertThat(set.getDelay()).isEqualTo(3_600_000);
        assertThat(set.getInitialDelay()).isZero();
        assertThat(set.isUseFixedDelay()).isFalse();
        assertThat(set.getBackoffMultiplier()).isEqualTo(4);
        assertThat(set.getBackoffErrorThreshold()).isEqualTo(2);
    }

    @Test
    void theCatalogMarksPollIntervalDeprecatedAndListsTheSchedulerOptions() throws Exception {
        JsonNode props;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/github/camelfireflies/fireflies.json")) {
            props = new ObjectMapper().readTree(in).get("properties");
        }
        assertThat(props.get("pollInterval").get("deprecated").asBoolean()).isTrue();
        assertThat(props.get("pollInterval").get("deprecationNote").asText()).contains("delay");
        for (String option : new String[] { "delay", "initialDelay", "backoffMultiplier", "backoffErrorThreshold",
                "backoffIdleThreshold", "scheduler", "startScheduler", "webhookPath", "webhookComponentName" }) {
            assertThat(props.has(option)).as(option).isTrue();
        }
    }
}
