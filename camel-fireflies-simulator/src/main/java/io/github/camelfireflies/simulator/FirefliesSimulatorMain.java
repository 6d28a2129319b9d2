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
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator from the command line until Ctrl-C.
 *
 * <pre>
 * java ... io.github.camelfireflies.simulator.FirefliesSimulatorMain [--port 0] [--host 127.0.0.1] [--key KEY]
 *      [--script meeting.jsonl] [--transcript-id demo-meeting] [--loop] [--start-now]
 *      [--ping-interval-ms 25000] [--ping-timeout-ms 20000]
 *      [--active-meeting id,title,organizer,startSeconds,endSeconds]...
 *      [--webhook-url URL [--webhook-secret S] [--webhook-version 1|2|both] [--webhook-signature-prefix]
 *       [--transcript-ready-ms 2000] [--summary-ready-ms N]]
 * </pre>
 *
 * Without {@code --script} the bundled demo meeting plays. The script is bound to {@code --transcript-id} and is also
 * the default meeting of every other transcript id (except {@value FirefliesSimulator#UNKNOWN_TRANSCRIPT}).
 * {@code --active-meeting} (repeatable) lists a meeting on the GraphQL endpoint ({@code active_meetings}) from
 * {@code startSeconds} to {@code endSeconds} after the start (an empty end: until the simulator stops), for
 * {@code fireflies:meetings}; it plays the script. {@code --start-now}: the meeting of {@code --transcript-id} starts
 * when the simulator starts, and each {@code --active-meeting} at its start, whether or not anybody listens
 * ({@link FirefliesSimulator.Builder#autoStart(boolean)}); without it a meeting starts with its first subscriber.
 * {@code --webhook-url}: Fireflies webhooks for the {@code --active-meeting}s, signed with {@code --webhook-secret}
 * (unsigned without), V2 unless {@code --webhook-version} says 1 or both
 * ({@link FirefliesSimulator.Builder#webhook}).
 */
public final class FirefliesSimulatorMain {

    static final String USAGE = "Usage: FirefliesSimulatorMain [--port N] [--host ADDR] [--key KEY] [--script FILE.jsonl]"
                                + " [--transcript-id ID] [--loop] [--start-now] [--ping-interval-ms N] [--ping-timeout-ms N]"
                                + " [--active-meeting id,title,organizer,startSeconds,endSeconds]..."
                                + " [--webhook-url URL [--webhook-secret S] [--webhook-version 1|2|both]"
                                + " [--webhook-signature-prefix] [--transcript-ready-ms N] [--summary-ready-ms N]]";

    /** What the command line asked for: the configured builder and what {@link #main} prints. */
    record Options(FirefliesSimulator.Builder builder, String transcriptId, MeetingScript script, List<String> notes,
            String webhooks, boolean help) {
    }

    private FirefliesSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(USAGE);
            return;
        }
        FirefliesSimulator sim = options.builder().start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "fireflies-sim-shutdown"));

        System.out.println();
        System.out.println("Fireflies simulator running (Ctrl-C to stop)");
        System.out.println("  url:           " + sim.url() + "   (Socket.IO path " + sim.path() + ")");
        System.out.println("  api key:       " + sim.apiKey());
        System.out.println("  transcript id: " + options.transcriptId());
        System.out.println("  script:        " + options.script() + String.join("", options.notes()));
        System.out.println("  graphql:       " + sim.graphqlUrl());
        if (options.webhooks() != null) {
            System.out.println("  webhooks:      " + options.webhooks());
        }
        System.out.println();
        stopped.await();
    }

    /**
     * Reads the command line into a builder (not started).
     *
     * @throws IllegalArgumentException on an unknown flag, a missing or invalid value, or an unreadable script
     */
    static Options parse(String... args) {
        FirefliesSimulator.Builder b = FirefliesSimulator.builder();
        String key = "sim-key";
        String transcriptId = "demo-meeting";
        Path script = null;
        boolean loop = false;
        boolean startNow = false;
        String webhookUrl = null;
        String webhookSecret = null;
        List<WebhookVersion> webhookVersions = List.of(WebhookVersion.V2);
        boolean webhookFlags = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port" -> b.port(integer(value(args, ++i, a), a));
                case "--host" -> b.host(value(args, ++i, a));
                case "--key" -> key = value(args, ++i, a);
                case "--script" -> script = Path.of(value(args, ++i, a));
                case "--transcript-id" -> transcriptId = value(args, ++i, a);
                case "--loop" -> loop = true;
                case "--start-now" -> startNow = true;
                case "--ping-interval-ms" -> b.pingInterval(Duration.ofMillis(integer(value(args, ++i, a), a)));
                case "--ping-timeout-ms" -> b.pingTimeout(Duration.ofMillis(integer(value(args, ++i, a), a)));
                case "--active-meeting" -> activeMeeting(b, value(args, ++i, a));
                case "--webhook-url" -> webhookUrl = value(args, ++i, a);
                case "--webhook-secret" -> {
                    webhookSecret = value(args, ++i, a);
                    webhookFlags = true;
                }
                case "--webhook-version" -> {
                    webhookVersions = webhookVersions(value(args, ++i, a));
                    webhookFlags = true;
                }
                case "--webhook-signature-prefix" -> {
                    b.webhookSignaturePrefix(true);
                    webhookFlags = true;
                }
                case "--transcript-ready-ms" -> {
                    b.transcriptReadyDelay(Duration.ofMillis(integer(value(args, ++i, a), a)));
                    webhookFlags = true;
                }
                case "--summary-ready-ms" -> {
                    b.summaryReadyDelay(Duration.ofMillis(integer(value(args, ++i, a), a)));
                    webhookFlags = true;
                }
                case "-h", "--help" -> {
                    return new Options(b, transcriptId, null, List.of(), null, true);
                }
                default -> throw new IllegalArgumentException("Unknown argument: " + a);
            }
        }
        String webhooks = null;
        if (webhookUrl != null) {
            URI url;
            try {
                url = new URI(webhookUrl);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--webhook-url is not a URL: " + webhookUrl, e);
            }
            b.webhook(url, webhookSecret).webhookVersions(webhookVersions.toArray(WebhookVersion[]::new));
            // never the secret itself
            webhooks = "POST to " + url + " (" + webhookVersions + ", "
                       + (webhookSecret == null || webhookSecret.isEmpty() ? "unsigned" : "signed") + ")";
        } else if (webhookFlags) {
            throw new IllegalArgumentException("The --webhook-* options need --webhook-url");
        }
        if (script != null && !Files.isReadable(script)) {
            throw new IllegalArgumentException("Cannot read script " + script);
        }
        MeetingScript meeting = script == null ? MeetingScript.demo() : MeetingScript.load(script);
        b.apiKey(key).loop(loop).autoStart(startNow).meeting(transcriptId, meeting).defaultMeeting(meeting);
        List<String> notes = new ArrayList<>();
        if (loop) {
            notes.add(", looping");
        }
        if (startNow) {
            notes.add(", started now (plays whether or not anybody listens)");
        }
        return new Options(b, transcriptId, meeting, notes, webhooks, false);
    }

    /** {@code 1}, {@code 2}, {@code both} or {@code 1,2}. */
    private static List<WebhookVersion> webhookVersions(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "1", "v1" -> List.of(WebhookVersion.V1);
            case "2", "v2" -> List.of(WebhookVersion.V2);
            case "both", "1,2", "2,1" -> List.of(WebhookVersion.V1, WebhookVersion.V2);
            default -> throw new IllegalArgumentException("--webhook-version needs 1, 2 or both: " + value);
        };
    }

    /** {@code id,title,organizer,startSeconds,endSeconds}; an empty end: listed until the simulator stops. */
    static void activeMeeting(FirefliesSimulator.Builder b, String spec) {
        String[] f = spec.split(",", -1);
        if (f.length != 5 || f[0].isBlank() || f[3].isBlank()) {
            throw new IllegalArgumentException("--active-meeting needs id,title,organizer,startSeconds,endSeconds: " + spec);
        }
        b.activeMeeting(f[0].trim(), f[1].trim(), f[2].trim(), Duration.ofSeconds(Long.parseLong(f[3].trim())),
                f[4].isBlank() ? null : Duration.ofSeconds(Long.parseLong(f[4].trim())));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int integer(String value, String flag) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number: " + value, e);
        }
    }
}
