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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator from the command line until Ctrl-C.
 *
 * <pre>
 * java ... io.github.camelfireflies.simulator.FirefliesSimulatorMain [--port 0] [--host 127.0.0.1] [--key KEY]
 *      [--script meeting.jsonl] [--transcript-id demo-meeting] [--loop] [--ping-interval-ms 25000] [--ping-timeout-ms 20000]
 *      [--active-meeting id,title,organizer,startSeconds,endSeconds]...
 * </pre>
 *
 * Without {@code --script} the bundled demo meeting plays. The script is bound to {@code --transcript-id} and is also
 * the default meeting of every other transcript id (except {@value FirefliesSimulator#UNKNOWN_TRANSCRIPT}).
 * {@code --active-meeting} (repeatable) lists a meeting on the GraphQL endpoint ({@code active_meetings}) from
 * {@code startSeconds} to {@code endSeconds} after the start (an empty end: until the simulator stops), for
 * {@code fireflies:meetings}; it plays the script.
 */
public final class FirefliesSimulatorMain {

    private FirefliesSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        FirefliesSimulator.Builder b = FirefliesSimulator.builder();
        String key = "sim-key";
        String transcriptId = "demo-meeting";
        Path script = null;
        boolean loop = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port" -> b.port(Integer.parseInt(value(args, ++i, a)));
                case "--host" -> b.host(value(args, ++i, a));
                case "--key" -> key = value(args, ++i, a);
                case "--script" -> script = Path.of(value(args, ++i, a));
                case "--transcript-id" -> transcriptId = value(args, ++i, a);
                case "--loop" -> loop = true;
                case "--ping-interval-ms" -> b.pingInterval(Duration.ofMillis(Long.parseLong(value(args, ++i, a))));
                case "--ping-timeout-ms" -> b.pingTimeout(Duration.ofMillis(Long.parseLong(value(args, ++i, a))));
                case "--active-meeting" -> activeMeeting(b, value(args, ++i, a));
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("Unknown argument: " + a);
                    usage();
                    System.exit(2);
                    return;
                }
            }
        }
        if (script != null && !Files.isReadable(script)) {
            System.err.println("Cannot read script " + script);
            System.exit(2);
            return;
        }
        MeetingScript meeting = script == null ? MeetingScript.demo() : MeetingScript.load(script);
        FirefliesSimulator sim = b.apiKey(key).loop(loop).meeting(transcriptId, meeting).defaultMeeting(meeting).start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "fireflies-sim-shutdown"));

        System.out.println();
        System.out.println("Fireflies simulator running (Ctrl-C to stop)");
        System.out.println("  url:           " + sim.url() + "   (Socket.IO path " + sim.path() + ")");
        System.out.println("  api key:       " + sim.apiKey());
        System.out.println("  transcript id: " + transcriptId);
        System.out.println("  script:        " + meeting + (loop ? ", looping" : ""));
        System.out.println("  graphql:       " + sim.graphqlUrl());
        System.out.println();
        stopped.await();
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

    private static void usage() {
        System.out.println("Usage: FirefliesSimulatorMain [--port N] [--host ADDR] [--key KEY] [--script FILE.jsonl]"
                           + " [--transcript-id ID] [--loop] [--ping-interval-ms N] [--ping-timeout-ms N]"
                           + " [--active-meeting id,title,organizer,startSeconds,endSeconds]...");
    }
}
