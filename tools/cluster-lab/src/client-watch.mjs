#!/usr/bin/env node
// A client of the lab's services, run in the lab's hub namespace (outside every node, so no node
// fault takes it down): every --interval-ms it asks each target once and prints a JSON line each
// time a target's answer changes, with the time the asking began (epoch ms):
//   {"t":1764590000123,"target":"http://198.18.0.2:20080/health","ok":false,"what":"no answer"}
// Targets:
//   http://HOST:PORT/PATH               GET; ok when the status is 2xx
//   tcp://HOST:PORT?send=HEX&expect=HEX  sends the bytes, ok when the reply starts with EXPECT
// "what" says what was seen: the status, "refused", "no answer" (connected, nothing came back:
// a hung service), "connect timeout" (nothing at that address), "closed", or the error code.
// Node built-ins only: it runs as it is, without a build. It stops on SIGTERM.
import net from 'node:net';

const args = process.argv.slice(2);
let intervalMs = 100;
let timeoutMs = 500;
const targets = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--interval-ms') intervalMs = Number(args[++i]);
  else if (args[i] === '--timeout-ms') timeoutMs = Number(args[++i]);
  else targets.push(args[i]);
}

function parse(text) {
  const url = new URL(text);
  const host = url.hostname;
  const port = Number(url.port);
  if (url.protocol === 'http:') {
    const request = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`;
    return { host, port, send: Buffer.from(request), judge: (reply) => /^HTTP\/1\.[01] (\d{3})/.exec(reply.toString('latin1'))?.[1] };
  }
  if (url.protocol === 'tcp:') {
    const expect = Buffer.from(url.searchParams.get('expect') ?? '', 'hex');
    return {
      host,
      port,
      send: Buffer.from(url.searchParams.get('send') ?? '', 'hex'),
      judge: (reply) => (reply.length >= expect.length ? (reply.subarray(0, expect.length).equals(expect) ? 'expected reply' : `reply ${reply.toString('hex')}`) : undefined),
    };
  }
  throw new Error(`unknown target ${text}`);
}

/** One question to one target: resolves with { ok, what }. */
function ask(target) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port: target.port });
    let connected = false;
    let reply = Buffer.alloc(0);
    const done = (ok, what) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, what });
    };
    const timer = setTimeout(() => done(false, connected ? 'no answer' : 'connect timeout'), timeoutMs);
    socket.on('connect', () => {
      connected = true;
      socket.write(target.send);
    });
    socket.on('data', (chunk) => {
      reply = Buffer.concat([reply, chunk]);
      const verdict = target.judge(reply);
      if (verdict === undefined) return;
      done(/^2\d\d$/.test(verdict) || verdict === 'expected reply', verdict);
    });
    socket.on('end', () => done(false, reply.length > 0 ? `partial reply ${reply.toString('hex').slice(0, 64)}` : 'closed'));
    socket.on('error', (error) => done(false, error.code === 'ECONNREFUSED' ? 'refused' : error.code ?? error.message));
  });
}

const last = new Map();
const busy = new Set();

function round() {
  for (const text of targets) {
    if (busy.has(text)) continue; // still waiting on the previous question
    busy.add(text);
    const target = parse(text);
    const t = Date.now();
    ask(target).then(({ ok, what }) => {
      busy.delete(text);
      const key = `${ok} ${what}`;
      if (last.get(text) === key) return;
      last.set(text, key);
      process.stdout.write(`${JSON.stringify({ t, target: text, ok, what })}\n`);
    });
  }
}

process.on('SIGTERM', () => process.exit(0));
round();
setInterval(round, intervalMs);
