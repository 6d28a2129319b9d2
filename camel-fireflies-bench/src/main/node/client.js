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
'use strict';

/*
 * The official JS client (socket.io-client 4.8.x) as a benchmark peer, with a no-op listener, or, given a file, with
 * the listener a user would write: each event as JSON text (JSON.stringify) appended as a line to the file
 * (fs.appendFileSync: opened, written and closed per event, as Camel's file producer does with fileExist=Append).
 *
 *   node client.js <burst|latency> <url> <path> <apiKey> <transcriptId> <warmup> <count> [file]
 *
 * Speaks the same line protocol on stdout as the Java clients of the harness (ClientMain): READY once connected,
 * WARM after <warmup> events, then RESULT {json} after <count> more events, and exits. Exits when stdin closes.
 */

const fs = require('fs');
const { io } = require('socket.io-client');

const [mode, url, path, key, transcriptId, warmupArg, countArg, file] = process.argv.slice(2);
const warmup = Number(warmupArg);
const count = Number(countArg);
if (!['burst', 'latency'].includes(mode) || !Number.isInteger(warmup) || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: node client.js <burst|latency> <url> <path> <apiKey> <transcriptId> <warmup> <count> [file]\n');
  process.exit(2);
}

const cpuMicros = () => { const u = process.cpuUsage(); return u.user + u.system; };
const latencies = mode === 'latency' ? new Float64Array(count) : null;
let received = 0;
let firstNs = 0n;
let cpuStart = 0;

const socket = io(url, {
  path,
  transports: ['websocket'],
  auth: { token: 'Bearer ' + key, transcriptId },
  reconnection: false,
  forceNew: true,
});

function warmed() {
  process.stdout.write('WARM\n');
  cpuStart = cpuMicros();
}

socket.on('connect', () => {
  process.stdout.write('READY\n');
  if (warmup === 0) warmed();
});

socket.on('transcription.broadcast', (event) => {
  if (file) fs.appendFileSync(file, JSON.stringify(event) + '\n');
  const now = process.hrtime.bigint();
  received++;
  if (received <= warmup) {
    if (received === warmup) warmed();
    return;
  }
  const n = received - warmup;
  if (latencies) latencies[n - 1] = Number(now - BigInt(event.text)) / 1000;
  if (n === 1) firstNs = now;
  if (n === count) finish(now);
});

function finish(lastNs) {
  const cpu = (cpuMicros() - cpuStart) * 1000;
  const nanos = Number(lastNs - firstNs);
  const result = { client: file ? 'js-file' : 'js', events: count, nanos, cpuNanos: cpu };
  if (latencies) {
    const sorted = Array.from(latencies).sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    Object.assign(result, { p50Us: at(0.5), p99Us: at(0.99), p999Us: at(0.999), maxUs: sorted[sorted.length - 1] });
  }
  process.stdout.write('RESULT ' + JSON.stringify(result) + '\n', () => {
    socket.close();
    process.exit(0);
  });
}

socket.on('connect_error', (err) => { process.stderr.write(`connect_error: ${err.message}\n`); process.exit(3); });
socket.on('disconnect', (reason) => {
  if (received < warmup + count) { process.stderr.write(`disconnected: ${reason}\n`); process.exit(4); }
});
process.stdin.on('end', () => process.exit(5));
process.stdin.resume();
