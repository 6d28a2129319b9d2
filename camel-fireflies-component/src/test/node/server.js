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

// The admin handler is registered first; socket.io takes over the requests under its own path.
const onRequest = (req, res) => {
  handleAdmin(req, res).catch((err) => reply(res, err.status || 500, { error: err.message }));
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

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 64 * 1024 * 1024) reject(httpError(413, 'body too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        const body = text ? JSON.parse(text) : {};
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
        resolve(body);
      } catch (e) {
        reject(httpError(400, 'body must be a JSON object'));
      }
    });
    req.on('error', reject);
  });
}

// ------------------------------------------------------------------------------------------------ admin API

async function handleAdmin(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/admin/state') {
    const subscribers = {};
    for (const [room, ids] of io.sockets.adapter.rooms) {
      if (!io.sockets.sockets.has(room)) subscribers[room] = ids.size; // skip each socket's own room
    }
    return reply(res, 200, { subscribers, attempts: Object.fromEntries(attempts), engineConnections: io.engine.clientsCount });
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
    default: throw httpError(404, `no such admin call: POST ${url.pathname}`);
  }
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
