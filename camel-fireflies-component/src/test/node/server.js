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
 * A Fireflies-like Realtime API on the genuine socket.io server, for the conformance tests.
 *
 *   node server.js --port 0 --key <apiKey> [--path /ws/realtime] [--ping-interval ms] [--ping-timeout ms]
 *                  [--pfx <PKCS#12 file> --passphrase <password>]   (TLS: https/wss instead of http/ws)
 *
 * Binds 127.0.0.1 only and prints exactly one line "LISTENING <port>" on stdout when ready (logs go to stderr).
 * Exits when its stdin closes (so it never outlives the test that started it) and on SIGTERM / SIGINT.
 * Tests steer it through a small JSON API under /admin/ on the same HTTP server (see handleAdmin below).
 *
 * It also plays meetings on its own (/admin/meeting/start: scripted or generated segments and revisions, sent in real
 * time to whoever is subscribed at that moment, nobody included) and answers the two GraphQL queries the component
 * uses on POST /graphql (transcript(id) with the live sentences of such a meeting, active_meetings), with the
 * simulator's error format (401 auth_failed, 429 too_many_requests with Retry-After, object_not_found).
 */

const fs = require('fs');
const http = require('http');
const https = require('https');
const net = require('net');
const { performance } = require('perf_hooks');
const { Server } = require('socket.io');

// ------------------------------------------------------------------------------------------------ options

function parseArgs(argv) {
  const opts = { port: 0, key: 'test-key-123', path: '/ws/realtime', pingInterval: 25000, pingTimeout: 20000 };
  const names = { '--port': 'port', '--key': 'key', '--path': 'path', '--ping-interval': 'pingInterval', '--ping-timeout': 'pingTimeout',
    '--pfx': 'pfx', '--passphrase': 'passphrase' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = names[argv[i]];
    if (!name || i + 1 >= argv.length) {
      fail(`usage: node server.js --port 0 --key <apiKey> [--path /ws/realtime] [--ping-interval ms] [--ping-timeout ms] (bad argument: ${argv[i]})`);
    }
    opts[name] = argv[i + 1];
  }
  for (const n of ['port', 'pingInterval', 'pingTimeout']) {
    opts[n] = Number(opts[n]);
    if (!Number.isInteger(opts[n]) || opts[n] < 0) fail(`--${n} must be a non-negative integer`);
  }
  return opts;
}

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const log = (msg) => process.stderr.write(`[fireflies-node] ${msg}\n`);

// ------------------------------------------------------------------------------------------------ state

const attempts = new Map(); // transcriptId -> CONNECT attempts (any outcome)
const tcpSockets = new Set(); // every TCP connection, so /admin/restart can cut them all
const stalled = new WeakSet(); // engine.io sockets that /admin/stall silenced
const meetings = new Map(); // transcriptId -> meeting started by /admin/meeting/start (live or ended)
const graphql = { // what POST /graphql saw, and the rate limit /admin/graphql/rate-limit set
  total: 0,
  operations: {}, // operation -> calls (any outcome)
  statuses: {}, // HTTP status -> calls
  transcriptCalls: {}, // transcript id -> transcript(id) calls (any outcome)
  log: [], // the last GRAPHQL_LOG_SIZE calls: {operation, status, transcriptId, at}
  rateLimitLeft: 0,
  retryAfterSeconds: 0,
};
const GRAPHQL_LOG_SIZE = 1000;

// The admin handler is registered first; socket.io takes over the requests under its own path.
const onRequest = (req, res) => {
  const handler = pathOf(req) === GRAPHQL_PATH ? handleGraphQL : handleAdmin;
  handler(req, res).catch((err) => reply(res, err.status || 500, { error: err.message }));
};
// With --pfx the same server speaks TLS (admin API included): a tls.Server handshakes the sockets handed to it below.
const httpServer = opts.pfx
  ? https.createServer({ pfx: fs.readFileSync(opts.pfx), passphrase: opts.passphrase }, onRequest)
  : http.createServer(onRequest);
// The HTTP server never listens itself: a plain TCP listener hands it the connections. So /admin/restart can stop
// and resume listening without the HTTP server emitting "close" (engine.io would shut its WebSocket server down).
const listener = net.createServer((s) => {
  tcpSockets.add(s);
  s.on('close', () => tcpSockets.delete(s));
  httpServer.emit('connection', s);
});

const io = new Server(httpServer, {
  path: opts.path,
  pingInterval: opts.pingInterval,
  pingTimeout: opts.pingTimeout,
  serveClient: false,
});

// ------------------------------------------------------------------------------------------------ Fireflies behaviour

// Every CONNECT passes here first, so rejected and failed attempts are counted too.
io.use((socket, next) => {
  const auth = socket.handshake.auth || {};
  const tid = String(auth.transcriptId);
  attempts.set(tid, (attempts.get(tid) || 0) + 1);
  if (auth.token === 'Bearer reject-me') {
    const err = new Error('Connection rejected');
    err.data = { reason: 'rejected by middleware' }; // gives 44{"message":...,"data":{...}}
    return next(err);
  }
  next();
});

io.on('connection', (socket) => {
  const auth = socket.handshake.auth || {};
  const tid = String(auth.transcriptId);
  if (auth.token !== 'Bearer ' + opts.key) { // never log the token itself
    socket.emit('auth.failed', { message: 'Invalid API key' });
    socket.disconnect(true);
    return;
  }
  if (tid === 'unknown-transcript') {
    socket.emit('auth.success', { message: 'Authenticated' });
    socket.emit('connection.error', { message: 'Transcript not found' });
    socket.disconnect(true);
    return;
  }
  socket.emit('auth.success', { message: 'Authenticated' });
  socket.emit('connection.established');
  socket.join(tid);
});

// ------------------------------------------------------------------------------------------------ helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function socketsIn(tid) {
  const ids = io.sockets.adapter.rooms.get(tid) || new Set();
  return [...ids].map((id) => io.sockets.sockets.get(id)).filter(Boolean);
}

/** Waits (bounded) until the room has a socket; throws 409 otherwise. */
async function awaitSockets(tid, awaitMs) {
  const deadline = Date.now() + Math.max(0, Number(awaitMs) || 0);
  for (;;) {
    const sockets = socketsIn(tid);
    if (sockets.length > 0) return sockets;
    if (Date.now() >= deadline) throw httpError(409, `no subscriber for transcriptId ${tid}`);
    await sleep(10);
  }
}

/** The ws WebSocket under a socket.io socket, or null when it is not on the websocket transport. */
function rawWs(socket) {
  const transport = socket.conn.transport;
  return transport && transport.name === 'websocket' ? transport.socket : null;
}

/** Waits (bounded) until engine.io has handed everything queued to ws, so a raw write keeps the order. */
async function awaitFlushed(socket) {
  const deadline = Date.now() + 5000;
  while ((socket.conn.writeBuffer.length > 0 || !socket.conn.transport.writable) && Date.now() < deadline) {
    await sleep(1);
  }
}

/** Writes one text frame to the raw ws and resolves when ws has written it (or failed to). */
function wsSend(ws, frame) {
  return new Promise((resolve) => ws.send(frame, () => resolve()));
}

function httpError(status, message) {
  const err = new Error(message);
  err.status = status;
  return err;
}

function need(body, field, type) {
  const v = body[field];
  if (type === 'array' ? !Array.isArray(v) : typeof v !== type) throw httpError(400, `${field} must be a ${type}`);
  return v;
}

function reply(res, status, json) {
  if (res.headersSent) return;
  const body = JSON.stringify(json);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 64 * 1024 * 1024) reject(httpError(413, 'body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readJson(req) {
  const text = (await readBody(req)).toString('utf8');
  try {
    const body = text ? JSON.parse(text) : {};
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    return body;
  } catch (e) {
    throw httpError(400, 'body must be a JSON object');
  }
}

// ------------------------------------------------------------------------------------------------ admin API

async function handleAdmin(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'GET') {
    switch (url.pathname) {
      case '/admin/state': return reply(res, 200, state());
      case '/admin/meeting': return reply(res, 200, meetingProgress(url.searchParams));
      case '/admin/meetings': return reply(res, 200, { meetings: [...meetings.values()].map((m) => progressOf(m, false)) });
      case '/admin/graphql': return reply(res, 200, graphqlStats());
      default: throw httpError(404, `no such admin call: GET ${url.pathname}`);
    }
  }
  if (req.method !== 'POST' || !url.pathname.startsWith('/admin/')) throw httpError(404, `no such admin call: ${req.method} ${url.pathname}`);
  const body = await readJson(req);
  switch (url.pathname) {
    case '/admin/emit': return reply(res, 200, await emit(body));
    case '/admin/transcription': return reply(res, 200, await transcription(body));
    case '/admin/disconnect': return reply(res, 200, forEachSocket(body, (s) => s.disconnect(true)));
    case '/admin/drop': return reply(res, 200, drop(body));
    case '/admin/stall': return reply(res, 200, forEachSocket(body, stall));
    case '/admin/restart': return reply(res, 200, await restart(body, req.socket));
    case '/admin/burst': return reply(res, 200, await burst(body));
    case '/admin/paced': return reply(res, 200, await paced(body));
    case '/admin/meeting/start': return reply(res, 200, startMeeting(body));
    case '/admin/meeting/end': return reply(res, 200, endMeeting(body));
    case '/admin/graphql/rate-limit': return reply(res, 200, rateLimitGraphQL(body));
    default: throw httpError(404, `no such admin call: POST ${url.pathname}`);
  }
}

/** GET /admin/state: subscribers and CONNECT attempts per transcript id, meetings, GraphQL calls per operation. */
function state() {
  const subscribers = {};
  for (const [room, ids] of io.sockets.adapter.rooms) {
    if (!io.sockets.sockets.has(room)) subscribers[room] = ids.size; // skip each socket's own room
  }
  const live = {};
  for (const m of meetings.values()) live[m.id] = { live: m.live, sent: m.next, total: m.schedule.length };
  return { subscribers, attempts: Object.fromEntries(attempts), engineConnections: io.engine.clientsCount,
    meetings: live, graphqlCalls: { ...graphql.operations } };
}

/** {transcriptId, awaitMs, items:[{event,args}|{raw}|{binary,base64}]} -> {sockets} */
async function emit(body) {
  const tid = need(body, 'transcriptId', 'string');
  const items = need(body, 'items', 'array');
  for (const item of items) {
    if (!item || (typeof item.event !== 'string' && typeof item.raw !== 'string' && typeof item.binary !== 'string')) {
      throw httpError(400, 'each item needs "event", "raw" or "binary"');
    }
    if (item.args !== undefined && !Array.isArray(item.args)) throw httpError(400, 'args must be an array');
    if (typeof item.binary === 'string' && typeof item.base64 !== 'string') throw httpError(400, 'binary needs base64');
  }
  const sockets = (await awaitSockets(tid, body.awaitMs)).filter((s) => !stalled.has(s.conn));
  await Promise.all(sockets.map(async (socket) => {
    for (const item of items) {
      if (typeof item.event === 'string') {
        socket.emit(item.event, ...(item.args || [])); // 42["name",...]; no args -> 42["name"]
      } else if (typeof item.raw === 'string') {
        const ws = rawWs(socket);
        if (!ws) continue;
        await awaitFlushed(socket);
        await wsSend(ws, item.raw);
      } else {
        socket.emit(item.binary, Buffer.from(item.base64, 'base64')); // 451-[...] plus one binary frame
      }
    }
  }));
  return { sockets: sockets.length };
}

/** {transcriptId, awaitMs, shape: flat|payload|data, events:[{...}]} -> {sockets} */
async function transcription(body) {
  const shape = body.shape === undefined ? 'flat' : body.shape;
  if (!['flat', 'payload', 'data'].includes(shape)) throw httpError(400, 'shape must be flat, payload or data');
  const events = need(body, 'events', 'array');
  const wrap = (e) => (shape === 'flat' ? e : { [shape]: e });
  return emit({ ...body, items: events.map((e) => ({ event: 'transcription.broadcast', args: [wrap(e)] })) });
}

function forEachSocket(body, fn) {
  const sockets = socketsIn(need(body, 'transcriptId', 'string'));
  sockets.forEach(fn);
  return { sockets: sockets.length };
}

/** {transcriptId, mode: fin|rst}: cut the TCP connection under the socket, with no close frame and no 41. */
function drop(body) {
  const mode = body.mode === undefined ? 'fin' : body.mode;
  if (mode !== 'fin' && mode !== 'rst') throw httpError(400, 'mode must be fin or rst');
  return forEachSocket(body, (socket) => {
    const tcp = socket.conn.request.socket; // the upgraded net.Socket that ws writes to
    if (mode === 'rst') {
      tcp.resetAndDestroy();
    } else {
      tcp.end();
      setTimeout(() => tcp.destroy(), 200).unref();
    }
  });
}

/** From now on nothing at all goes to this socket (no pings either) and it is never closed for ping timeout. */
function stall(socket) {
  const conn = socket.conn; // the engine.io Socket
  stalled.add(conn);
  clearTimeout(conn.pingIntervalTimer);
  clearTimeout(conn.pingTimeoutTimer);
  conn.pingIntervalTimer = null; // engine.io refreshes these with ?.refresh(): null keeps them dead
  conn.pingTimeoutTimer = null;
  conn.schedulePing = () => {};
  conn.resetPingTimeout = () => {};
  conn.sendPacket = () => {}; // swallow every further write through engine.io
}

/** {downMs}: cut every connection (except this admin request's), stop listening for downMs, listen again. */
async function restart(body, adminSocket) {
  const downMs = Number(body.downMs);
  if (!Number.isFinite(downMs) || downMs < 0 || downMs > 600000) throw httpError(400, 'downMs must be 0..600000');
  const port = listener.address().port;
  listener.close(); // stops accepting; existing connections are cut below, with no close frame
  for (const s of tcpSockets) if (s !== adminSocket) s.destroy();
  await sleep(downMs);
  await new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, '127.0.0.1', () => { listener.off('error', reject); resolve(); });
  });
  return { port };
}

function broadcastEvent(tid, chunkId, i, text) {
  return { transcript_id: tid, chunk_id: chunkId, text, speaker_name: 'Speaker', start_time: i, end_time: i + 0.5 };
}

// The benchmark repeats bursts: frame i is the same whatever the count, so encode once and reuse a prefix.
let lastBurst = { key: null, frames: [] };

function burstFrames(tid, count, textLength) {
  const key = `${tid}|${textLength}`;
  if (lastBurst.key !== key || lastBurst.frames.length < count) {
    lastBurst = { key: null, frames: [] }; // let the previous frames go before building new ones
    const text = 'x'.repeat(textLength);
    const frames = new Array(count);
    for (let i = 0; i < count; i++) {
      frames[i] = '42' + JSON.stringify(['transcription.broadcast', broadcastEvent(tid, 'c' + i, i, text)]);
    }
    lastBurst = { key, frames };
  }
  return lastBurst.frames;
}

/** {transcriptId, count, textLength}: write pre-encoded frames as fast as each socket accepts them. */
async function burst(body) {
  const tid = need(body, 'transcriptId', 'string');
  const count = need(body, 'count', 'number');
  const textLength = body.textLength === undefined ? 50 : need(body, 'textLength', 'number');
  if (count < 0 || count > 10000000 || textLength < 0 || textLength > 10000000) throw httpError(400, 'count or textLength out of range');
  const frames = burstFrames(tid, count, textLength);
  const sockets = socketsIn(tid).filter((s) => !stalled.has(s.conn));
  const highWaterMark = 1024 * 1024;
  const start = performance.now();
  const sentPer = await Promise.all(sockets.map(async (socket) => {
    const ws = rawWs(socket);
    if (!ws) return 0;
    await awaitFlushed(socket);
    let sent = 0;
    for (let i = 0; i < count && ws.readyState === 1; i++) {
      // backpressure: once ws holds more than the high-water mark, wait until this frame is written
      if (ws.bufferedAmount > highWaterMark || i === count - 1) await wsSend(ws, frames[i]);
      else ws.send(frames[i]);
      sent++;
    }
    return sent;
  }));
  const millis = performance.now() - start;
  const sent = sentPer.reduce((a, b) => a + b, 0);
  return { sent, millis: Math.round(millis), framesPerSecond: millis > 0 ? Math.round(sent * 1000 / millis) : 0 };
}

/**
 * {transcriptId, count, ratePerSecond}: events at a steady rate, each stamped with sent_at_us.
 * Optional: transcriptIds (array, instead of transcriptId: each of them gets the stream) and stampText (true: the text
 * is the send time as process.hrtime nanoseconds, CLOCK_MONOTONIC like Java's System.nanoTime on Linux).
 */
async function paced(body) {
  const tids = Array.isArray(body.transcriptIds) ? body.transcriptIds.map(String) : [need(body, 'transcriptId', 'string')];
  const stampText = body.stampText === true;
  const count = need(body, 'count', 'number');
  const rate = need(body, 'ratePerSecond', 'number');
  if (count < 0 || count > 10000000 || !(rate > 0) || rate > 1000000) throw httpError(400, 'count or ratePerSecond out of range');
  const start = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor((performance.now() - start) * rate / 1000) + 1);
    for (; sent < due; sent++) {
      for (const tid of tids) {
        const sockets = socketsIn(tid).filter((s) => !stalled.has(s.conn));
        const event = broadcastEvent(tid, 'p' + sent, sent, 'paced ' + sent);
        event.sent_at_us = Math.round((performance.timeOrigin + performance.now()) * 1000);
        if (stampText) event.text = process.hrtime.bigint().toString();
        for (const s of sockets) s.emit('transcription.broadcast', event);
      }
    }
    if (sent < count) await sleep(Math.max(1, Math.ceil(start + sent * 1000 / rate - performance.now())));
  }
  return { sent, millis: Math.round(performance.now() - start) };
}

// ------------------------------------------------------------------------------------------------ meetings

/*
 * A meeting plays a schedule of transcription.broadcast events in real time from the moment it starts, to whoever is
 * subscribed to its transcript id when each event is due (nobody included: then that event is simply not received,
 * as with the real server during a drop). What was sent is kept for transcript(id): the latest text of each chunk.
 */

const MAX_MEETING_EVENTS = 100000;
const MAX_MEETING_MS = 3600000;

function number(value, field, min, max, integer) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw httpError(400, `${field} must be ${integer ? 'an integer' : 'a number'} in ${min}..${max}`);
  }
  return value;
}

const seconds = (ms) => Math.round(ms) / 1000; // meeting time in seconds, without binary noise (0.3, not 0.30000000000000004)

/**
 * The events of a script, in sending order: [{atMs, revision, speakerId, event}]. Either
 *   segments: [{chunk_id, text, speaker_name?, speaker_id?, start_time, end_time, atMs?, revisions?: [{text, delayMs, end_time?}]}]
 *     each segment is first sent at atMs (default start_time * 1000) after the start, each revision delayMs after that;
 *     without speaker_id, speakers are numbered 1, 2 ... by first appearance in the script;
 *   generator: {count, everyMs, revisions?}
 *     segment i (chunk_id "m<i>", speaker Alice (1) when i is even, else Bob (2), start_time i * everyMs / 1000) is sent
 *     at i * everyMs with the text "segment <i> revision 0", then its revisions r = 1..revisions at i * everyMs + r * step
 *     (step = everyMs / (revisions + 1)) with the text "segment <i> revision <r>"; end_time grows by one step each time.
 */
function scheduleOf(tid, body) {
  const out = [];
  const speakerIds = new Map();
  const speakerIdOf = (name) => {
    if (!speakerIds.has(name)) speakerIds.set(name, speakerIds.size + 1);
    return speakerIds.get(name);
  };
  const add = (atMs, revision, speakerId, chunkId, text, speakerName, startTime, endTime) => {
    out.push({ atMs, revision, speakerId,
      event: { transcript_id: tid, chunk_id: chunkId, text, speaker_name: speakerName, start_time: startTime, end_time: endTime } });
    if (out.length > MAX_MEETING_EVENTS) throw httpError(400, `a meeting has at most ${MAX_MEETING_EVENTS} events`);
  };
  if (body.generator !== undefined) {
    const g = body.generator;
    if (!g || typeof g !== 'object' || Array.isArray(g)) throw httpError(400, 'generator must be an object');
    const count = number(g.count, 'generator.count', 0, MAX_MEETING_EVENTS, true);
    const every = number(g.everyMs, 'generator.everyMs', 1, MAX_MEETING_MS, false);
    const revisions = number(g.revisions === undefined ? 0 : g.revisions, 'generator.revisions', 0, 1000, true);
    const step = every / (revisions + 1);
    for (let i = 0; i < count; i++) {
      const speaker = i % 2 === 0 ? 'Alice' : 'Bob';
      for (let r = 0; r <= revisions; r++) {
        add(i * every + r * step, r, i % 2 + 1, 'm' + i, `segment ${i} revision ${r}`, speaker,
          seconds(i * every), seconds(i * every + (r + 1) * step));
      }
    }
  } else {
    const segments = need(body, 'segments', 'array');
    segments.forEach((seg, k) => {
      if (!seg || typeof seg !== 'object') throw httpError(400, `segments[${k}] must be an object`);
      const at = `segments[${k}]`;
      if (typeof seg.chunk_id !== 'string' || seg.chunk_id === '') throw httpError(400, `${at}.chunk_id must be a non-empty string`);
      if (typeof seg.text !== 'string') throw httpError(400, `${at}.text must be a string`);
      const speakerName = seg.speaker_name === undefined ? 'Speaker' : seg.speaker_name;
      if (typeof speakerName !== 'string') throw httpError(400, `${at}.speaker_name must be a string`);
      const speakerId = seg.speaker_id === undefined ? speakerIdOf(speakerName)
        : number(seg.speaker_id, `${at}.speaker_id`, 0, 2147483647, true);
      const start = number(seg.start_time, `${at}.start_time`, 0, MAX_MEETING_MS / 1000, false);
      const end = number(seg.end_time, `${at}.end_time`, start, MAX_MEETING_MS / 1000, false);
      const atMs = seg.atMs === undefined ? start * 1000 : number(seg.atMs, `${at}.atMs`, 0, MAX_MEETING_MS, false);
      add(atMs, 0, speakerId, seg.chunk_id, seg.text, speakerName, start, end);
      const revisions = seg.revisions === undefined ? [] : seg.revisions;
      if (!Array.isArray(revisions)) throw httpError(400, `${at}.revisions must be an array`);
      revisions.forEach((rev, r) => {
        const rat = `${at}.revisions[${r}]`;
        if (!rev || typeof rev.text !== 'string') throw httpError(400, `${rat}.text must be a string`);
        const delay = number(rev.delayMs, `${rat}.delayMs`, 0, MAX_MEETING_MS, false);
        const revEnd = rev.end_time === undefined ? end : number(rev.end_time, `${rat}.end_time`, start, MAX_MEETING_MS / 1000, false);
        add(atMs + delay, r + 1, speakerId, seg.chunk_id, rev.text, speakerName, start, revEnd);
      });
    });
  }
  out.sort((a, b) => a.atMs - b.atMs); // stable: events due together keep the script's order
  if (out.length > 0 && out[out.length - 1].atMs > MAX_MEETING_MS) throw httpError(400, `a meeting lasts at most ${MAX_MEETING_MS} ms`);
  return out;
}

/**
 * {transcriptId, segments | generator, title?, organizerEmail?, shape?: flat|payload|data, endWhenDone?: boolean}
 * -> the meeting's progress. Starts playing now. 409 while a meeting with that id is live; an ended one is replaced.
 */
function startMeeting(body) {
  const tid = need(body, 'transcriptId', 'string');
  if (tid === '') throw httpError(400, 'transcriptId must not be empty');
  const existing = meetings.get(tid);
  if (existing && existing.live) throw httpError(409, `meeting ${tid} is live already`);
  const shape = body.shape === undefined ? 'flat' : body.shape;
  if (!['flat', 'payload', 'data'].includes(shape)) throw httpError(400, 'shape must be flat, payload or data');
  for (const f of ['title', 'organizerEmail']) {
    if (body[f] !== undefined && typeof body[f] !== 'string') throw httpError(400, `${f} must be a string`);
  }
  const m = {
    id: tid,
    title: body.title === undefined ? `Meeting ${tid}` : body.title,
    organizerEmail: body.organizerEmail === undefined ? 'organizer@example.com' : body.organizerEmail,
    shape,
    endWhenDone: body.endWhenDone === true,
    schedule: scheduleOf(tid, body),
    next: 0, // schedule[0..next) has been sent
    live: true,
    startedAt: new Date(),
    startPerf: performance.now(),
    doneAt: null,
    endedAt: null,
    timer: null,
    heard: 0, // events handed to at least one socket
    unheard: 0, // events sent while nobody was subscribed
    deliveries: 0, // events x sockets
    latest: new Map(), // chunk_id -> {item, first}: the latest event sent for each chunk
    log: [], // {seq, chunkId, revision, text, sockets, atMs} for every event sent
  };
  meetings.set(tid, m);
  log(`meeting ${tid}: ${m.schedule.length} events over ${m.schedule.length ? Math.round(m.schedule[m.schedule.length - 1].atMs) : 0} ms`);
  play(m);
  return progressOf(m, false);
}

/** Sends every event that is due, then sleeps until the next one (one timer per meeting). */
function play(m) {
  m.timer = null;
  if (!m.live) return;
  const elapsed = () => performance.now() - m.startPerf;
  while (m.next < m.schedule.length && m.schedule[m.next].atMs <= elapsed()) {
    sendMeetingEvent(m, m.next++);
  }
  if (m.next < m.schedule.length) {
    m.timer = setTimeout(play, Math.max(0, Math.ceil(m.schedule[m.next].atMs - elapsed())), m);
  } else {
    if (!m.doneAt) m.doneAt = new Date();
    if (m.endWhenDone) finish(m);
  }
}

function sendMeetingEvent(m, seq) {
  const item = m.schedule[seq];
  const e = item.event;
  const sockets = socketsIn(m.id).filter((s) => !stalled.has(s.conn));
  const payload = m.shape === 'flat' ? e : { [m.shape]: e };
  for (const s of sockets) s.emit('transcription.broadcast', payload);
  if (sockets.length > 0) m.heard++;
  else m.unheard++;
  m.deliveries += sockets.length;
  const previous = m.latest.get(e.chunk_id);
  m.latest.set(e.chunk_id, { item, first: previous ? previous.first : m.latest.size });
  m.log.push({ seq, chunkId: e.chunk_id, revision: item.revision, text: e.text, sockets: sockets.length,
    atMs: Math.round(performance.now() - m.startPerf) });
}

/** Ends a meeting: no more events, no longer live; its subscribers get a Socket.IO DISCONNECT. -> sockets */
function finish(m) {
  if (m.timer) clearTimeout(m.timer);
  m.timer = null;
  m.live = false;
  if (!m.endedAt) m.endedAt = new Date();
  const sockets = socketsIn(m.id);
  sockets.forEach((s) => s.disconnect(true));
  return sockets.length;
}

/** {transcriptId} -> {sockets, ...progress}. 404 for a meeting never started; ending an ended meeting is harmless. */
function endMeeting(body) {
  const m = meetingOf(need(body, 'transcriptId', 'string'));
  const sockets = finish(m);
  log(`meeting ${m.id} ended (${m.next}/${m.schedule.length} events sent)`);
  return { sockets, ...progressOf(m, false) };
}

function meetingOf(tid) {
  const m = meetings.get(tid);
  if (!m) throw httpError(404, `no meeting ${tid}`);
  return m;
}

/** GET /admin/meeting?transcriptId=...[&log=true] */
function meetingProgress(params) {
  const tid = params.get('transcriptId');
  if (!tid) throw httpError(400, 'transcriptId is required');
  return progressOf(meetingOf(tid), params.get('log') === 'true');
}

function progressOf(m, withLog) {
  const p = {
    transcriptId: m.id,
    title: m.title,
    live: m.live,
    done: m.next >= m.schedule.length,
    sent: m.next,
    total: m.schedule.length,
    heard: m.heard,
    unheard: m.unheard,
    deliveries: m.deliveries,
    chunks: m.latest.size,
    subscribers: socketsIn(m.id).length,
    startedAt: m.startedAt.toISOString(),
    endedAt: m.endedAt ? m.endedAt.toISOString() : null,
    elapsedMs: Math.round((m.endedAt ? m.endedAt.getTime() : Date.now()) - m.startedAt.getTime()),
  };
  if (withLog) p.log = m.log;
  return p;
}

/** The live-meeting rule of the real API: one sentence per chunk sent so far, at its latest text, by start time. */
function sentencesOf(m) {
  return [...m.latest.values()]
    .sort((a, b) => a.item.event.start_time - b.item.event.start_time || a.first - b.first)
    .map(({ item }, index) => ({
      index,
      text: item.event.text,
      raw_text: item.event.text,
      speaker_name: item.event.speaker_name,
      speaker_id: item.speakerId,
      start_time: item.event.start_time,
      end_time: item.event.end_time,
    }));
}

// ------------------------------------------------------------------------------------------------ GraphQL

/*
 * POST /graphql, like the simulator's GraphQL servlet: not a GraphQL engine. The query text is only searched for
 * "active_meetings" or "transcript(", arguments come from the variables, and every field is returned whatever the
 * selection. Order of checks: method (405), Authorization: Bearer <key> (401 auth_failed), the rate limit set by
 * /admin/graphql/rate-limit (429 too_many_requests with Retry-After), the body (400), then the query.
 */

const GRAPHQL_PATH = '/graphql';

function pathOf(req) {
  try {
    return new URL(req.url, 'http://127.0.0.1').pathname;
  } catch (e) {
    return '';
  }
}

async function handleGraphQL(req, res) {
  const text = req.method === 'POST' ? (await readBody(req)).toString('utf8') : '';
  const answer = answerGraphQL(req.method, req.headers.authorization, text);
  if (res.headersSent) return;
  const body = JSON.stringify(answer.json);
  res.writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function operationOf(query) {
  if (typeof query !== 'string') return 'invalid';
  if (query.includes('active_meetings')) return 'active_meetings';
  if (query.includes('transcript(')) return 'transcript';
  return 'other';
}

/** The id of transcript(id): the variable "id", else a string literal written in the query. */
function transcriptIdOf(query, variables) {
  if (typeof variables.id === 'string') return variables.id;
  const inline = /transcript\s*\(\s*id\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(query);
  return inline ? inline[1] : null;
}

/** -> {status, headers, json}; counts the call. */
function answerGraphQL(method, authorization, text) {
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  const query = body && typeof body === 'object' ? body.query : undefined;
  const variables = body && body.variables && typeof body.variables === 'object' ? body.variables : {};
  const operation = method === 'POST' ? operationOf(query) : 'invalid';
  const tid = operation === 'transcript' ? transcriptIdOf(query, variables) : null;
  const answer = graphqlAnswer(method, authorization, body, operation, tid, variables);
  recordGraphQL(operation, answer.status, tid);
  return answer;
}

function graphqlAnswer(method, authorization, body, operation, tid, variables) {
  if (method !== 'POST') return graphqlError(405, 'METHOD_NOT_ALLOWED', 'Only POST is answered');
  if (authorization !== 'Bearer ' + opts.key) return graphqlError(401, 'auth_failed', 'Invalid or missing API key');
  if (graphql.rateLimitLeft > 0) {
    graphql.rateLimitLeft--;
    const s = graphql.retryAfterSeconds;
    return graphqlError(429, 'too_many_requests', `Too many requests. Please retry after ${s} seconds`, s);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return graphqlError(400, 'BAD_USER_INPUT', 'The body is not JSON');
  if (operation === 'invalid') return graphqlError(400, 'BAD_USER_INPUT', 'Missing query');
  if (operation === 'active_meetings') return { status: 200, headers: {}, json: { data: { active_meetings: activeMeetings(variables) } } };
  if (operation === 'transcript') {
    const m = tid === null ? undefined : meetings.get(tid);
    if (!m) return graphqlError(200, 'object_not_found', 'Transcript not found');
    return { status: 200, headers: {}, json: { data: { transcript: transcriptOf(m) } } };
  }
  return graphqlError(400, 'GRAPHQL_VALIDATION_FAILED', 'The fixture answers only active_meetings and transcript queries');
}

/** The simulator's error shape; with status 200 (a GraphQL error) also "data": null. */
function graphqlError(status, code, message, retryAfterSeconds) {
  const error = { message, code, extensions: { code, status } };
  const headers = {};
  if (retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(retryAfterSeconds);
    error.extensions.metadata = { retryAfter: Date.now() + retryAfterSeconds * 1000 }; // epoch ms, as the Node SDK reads it
  }
  const json = { errors: [error] };
  if (status === 200) json.data = null;
  return { status, headers, json };
}

function transcriptOf(m) {
  const end = m.endedAt ? m.endedAt.getTime() : Date.now();
  return {
    id: m.id,
    title: m.title,
    organizer_email: m.organizerEmail,
    date: m.startedAt.getTime(),
    duration: Math.round((end - m.startedAt.getTime()) / 600) / 100, // minutes
    transcript_url: `https://app.example.invalid/view/${m.id}`,
    is_live: m.live,
    sentences: sentencesOf(m),
  };
}

/** The live meetings, optionally filtered by organizer email (any case) and states (they are all "active"). */
function activeMeetings(variables) {
  const input = variables.input && typeof variables.input === 'object' ? variables.input : variables;
  const email = typeof input.email === 'string' ? input.email.toLowerCase() : null;
  const states = Array.isArray(input.states) ? input.states.map(String) : [];
  return [...meetings.values()]
    .filter((m) => m.live && (email === null || m.organizerEmail.toLowerCase() === email)
      && (states.length === 0 || states.includes('active')))
    .map((m) => ({
      id: m.id,
      title: m.title,
      organizer_email: m.organizerEmail,
      meeting_link: `https://meet.example.invalid/${m.id}`,
      start_time: m.startedAt.toISOString(),
      end_time: null,
      privacy: 'teammates',
      state: 'active',
    }));
}

function recordGraphQL(operation, status, tid) {
  graphql.total++;
  graphql.operations[operation] = (graphql.operations[operation] || 0) + 1;
  graphql.statuses[status] = (graphql.statuses[status] || 0) + 1;
  if (tid !== null) graphql.transcriptCalls[tid] = (graphql.transcriptCalls[tid] || 0) + 1;
  graphql.log.push({ operation, status, transcriptId: tid, at: Date.now() });
  if (graphql.log.length > GRAPHQL_LOG_SIZE) graphql.log.shift();
}

/** {calls, retryAfterSeconds}: the next `calls` authenticated GraphQL calls get 429 with that Retry-After. */
function rateLimitGraphQL(body) {
  graphql.rateLimitLeft = number(need(body, 'calls', 'number'), 'calls', 0, 1000000, true);
  graphql.retryAfterSeconds = number(need(body, 'retryAfterSeconds', 'number'), 'retryAfterSeconds', 0, 86400, true);
  return { rateLimitLeft: graphql.rateLimitLeft, retryAfterSeconds: graphql.retryAfterSeconds };
}

/** GET /admin/graphql */
function graphqlStats() {
  return { total: graphql.total, operations: graphql.operations, statuses: graphql.statuses, transcriptCalls: graphql.transcriptCalls,
    rateLimitLeft: graphql.rateLimitLeft, retryAfterSeconds: graphql.retryAfterSeconds, log: graphql.log };
}

/*
 * The JDK HttpClient (HTTP/2 by default) sends plain-http POSTs with "Upgrade: h2c". Node hands every request with an
 * Upgrade header to the 'upgrade' listeners, and engine.io ends the ones off its path unanswered after a second. For
 * /graphql the upgrade is ignored: the body is read (Content-Length) and a plain HTTP/1.1 answer is written, with
 * "connection: close". The client then goes on in HTTP/1.1.
 */
function onUpgrade(req, socket, head) {
  if (pathOf(req) !== GRAPHQL_PATH) return; // engine.io takes its own path and ends the rest
  socket.on('error', () => {});
  const writeAnswer = (answer) => {
    if (!socket.writable) return;
    const body = JSON.stringify(answer.json);
    const headers = { ...answer.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' };
    const lines = [`HTTP/1.1 ${answer.status} ${http.STATUS_CODES[answer.status] || ''}`];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    socket.end(lines.join('\r\n') + '\r\n\r\n' + body);
    setTimeout(() => socket.destroy(), 2000).unref();
  };
  const length = Number(req.headers['content-length'] || 0);
  if (req.headers['transfer-encoding'] || !Number.isInteger(length) || length < 0 || length > 1024 * 1024) {
    return writeAnswer(graphqlError(411, 'BAD_USER_INPUT', 'An upgrade request needs a Content-Length of at most 1 MiB'));
  }
  let received = Buffer.from(head || []);
  const timer = setTimeout(() => socket.destroy(), 5000); // a body that never comes
  const onData = (chunk) => {
    received = Buffer.concat([received, chunk]);
    if (received.length >= length) done();
  };
  const done = () => {
    clearTimeout(timer);
    socket.off('data', onData);
    writeAnswer(answerGraphQL(req.method, req.headers.authorization, received.subarray(0, length).toString('utf8')));
  };
  if (received.length >= length) return done();
  socket.on('data', onData);
}
httpServer.on('upgrade', onUpgrade);

// ------------------------------------------------------------------------------------------------ lifecycle

let stopping = false;
function shutdown(why) {
  if (stopping) return;
  stopping = true;
  log(`stopping (${why})`);
  setTimeout(() => process.exit(0), 2000).unref(); // bounded: never hang on a slow close
  listener.close();
  for (const s of tcpSockets) s.destroy();
  io.close(() => process.exit(0));
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
process.stdin.on('end', () => shutdown('stdin closed'));
process.stdin.on('close', () => shutdown('stdin closed'));
process.stdin.on('error', () => shutdown('stdin error'));
process.stdin.resume();

io.engine.on('connection_error', (err) => log(`engine.io connection error: ${err.code} ${err.message}`));

listener.listen(opts.port, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${listener.address().port}\n`);
  log(`socket.io on ${opts.pfx ? 'wss' : 'ws'}://127.0.0.1:${listener.address().port}${opts.path}/ ` +
      `(pingInterval ${opts.pingInterval}, pingTimeout ${opts.pingTimeout})`);
});
