import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStatusRanges, statusAccepted } from '../src/probe/expect-status.ts';
import { probe } from '../src/probe/http-probe.ts';
import { BODY_LIMIT } from '../src/probe/response-parser.ts';
import { parseProbeUrl } from '../src/probe/url.ts';

// The agent speaks its own small HTTP/1.1 client (undici costs several times a node start per
// monitor, src/probe/http-probe.ts). Here undici is the independent client: against the same
// real servers, the status and body it reads must be the probe's, and so must the verdict the
// monitor draws from them (expect_status, expect_body).

const dir = mkdtempSync(join(tmpdir(), 'ocfkit-probe-undici-'));
const servers: Server[] = [];
const socketPath = join(dir, 'app.sock');
const overSocket = new Agent({ connect: { socketPath } });
let http = '';
let raw = '';

function listen(server: Server, where?: string): Promise<string> {
  servers.push(server);
  return new Promise((resolve) => {
    if (where) server.listen(where, () => resolve(where));
    else server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as { port: number }).port}`));
  });
}

// What a service's health endpoint may answer, through node's own HTTP server.
function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://x');
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (status) {
    res.statusCode = Number(status[1]);
    return void res.end(res.statusCode === 204 || res.statusCode === 304 ? undefined : `status ${status[1]}`);
  }
  const redirect = /^\/redirect\/(\d{3})$/.exec(url.pathname);
  if (redirect) {
    res.writeHead(Number(redirect[1]), { Location: '/status/200' });
    return void res.end('see /status/200');
  }
  if (url.pathname === '/chunked') {
    res.write('{"status":');
    setTimeout(() => res.write('"ok",'), 10);
    setTimeout(() => res.end('"checks":[1,2,3]}'), 20);
    return;
  }
  if (url.pathname === '/utf8') return void res.end('état: prêt ✓');
  if (url.pathname === '/big') return void res.end('y'.repeat(BODY_LIMIT + 10_000));
  if (url.pathname === '/big-chunked') {
    for (let i = 0; i < 20; i++) res.write('z'.repeat(5000));
    return void res.end();
  }
  if (url.pathname === '/query') return void res.end(`asked for ${url.search}`);
  res.statusCode = 404;
  res.end('no such page');
}

// Well-formed responses node's server does not write: framings and preambles a service or a
// proxy in front of it may use. The request path picks one.
const WIRE: Record<string, string> = {
  '/http10-until-close': 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until the server hangs up',
  // an interim 1xx before the answer (103: undici, unlike the probe, refuses a 100 nobody asked for)
  '/early-hints-first': 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nhealthy',
  '/chunk-extensions': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: yes\r\n\r\n',
  '/no-reason': 'HTTP/1.1 503 \r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy',
  '/custom-status': 'HTTP/1.1 299 Fine By Us\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
};

function rawHandler(socket: Socket): void {
  let head = '';
  socket.on('data', (chunk) => {
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    const path = /^\S+ (\S+)/.exec(head)?.[1] ?? '';
    socket.end(WIRE[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  socket.on('error', () => {});
}

beforeAll(async () => {
  http = await listen(createHttpServer(handler));
  await listen(createHttpServer(handler), socketPath);
  raw = await listen(createNetServer(rawHandler));
});
afterAll(async () => {
  await overSocket.close();
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the probe reads, as the monitor asks for it (the body read when expect_body is set). */
async function byProbe(url: string, method: 'GET' | 'HEAD' = 'GET') {
  const { status, body } = await probe({ target: parseProbeUrl(url).target!, method, headers: [], timeoutMs: 10_000, readBody: method === 'GET' });
  return { status, body: body ?? '' };
}

/** What undici reads, its body cut at the probe's limit (the probe reads no further). */
async function byUndici(url: string, method: 'GET' | 'HEAD' = 'GET') {
  const unix = url.startsWith('http+unix://');
  const target = unix ? `http://localhost${new URL(url).pathname}` : url;
  const response = await request(target, { method, dispatcher: unix ? overSocket : undefined, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, body: bytes.subarray(0, BODY_LIMIT).toString('utf8') };
}

/** The monitor's verdict (src/health.ts): the status among expect_status, the body matching expect_body. */
function verdict({ status, body }: { status: number; body: string }, expectStatus: string, expectBody?: RegExp): boolean {
  return statusAccepted(status, parseStatusRanges(expectStatus).ranges!) && (expectBody === undefined || expectBody.test(body));
}

const CHECKS: Array<[string, RegExp | undefined]> = [
  ['200-399', undefined],
  ['200', undefined],
  ['200-299', /ok|healthy|hello/],
  ['200-599', /status 5\d\d/],
];

describe('the probe and undici, against the same servers', () => {
  const cases = [
    ...[200, 201, 204, 299, 304, 400, 401, 404, 418, 500, 502, 503].map((code) => `/status/${code}`),
    ...[301, 302, 303, 307, 308].map((code) => `/redirect/${code}`),
    '/chunked',
    '/utf8',
    '/big',
    '/big-chunked',
    '/query?x=1&y=%20z',
    '/missing',
  ];

  it.for(cases)('node:http %s: same status, same body, same verdict', async (path) => {
    const [mine, theirs] = await Promise.all([byProbe(`http://${http}${path}`), byUndici(`http://${http}${path}`)]);
    expect(mine).toEqual(theirs);
    for (const [status, body] of CHECKS) expect(verdict(mine, status, body), `verdict with expect_status=${status} expect_body=${body}`).toBe(verdict(theirs, status, body));
  });

  it.for(Object.keys(WIRE))('raw wire %s: same status, same body, same verdict', async (path) => {
    const [mine, theirs] = await Promise.all([byProbe(`http://${raw}${path}`), byUndici(`http://${raw}${path}`)]);
    expect(mine).toEqual(theirs);
    for (const [status, body] of CHECKS) expect(verdict(mine, status, body), `verdict with expect_status=${status} expect_body=${body}`).toBe(verdict(theirs, status, body));
  });

  it.for(['/status/200', '/status/503', '/redirect/302', '/chunked'])('over a unix socket %s: same status and body', async (path) => {
    const url = `http+unix://${encodeURIComponent(socketPath)}${path}`;
    expect(await byProbe(url)).toEqual(await byUndici(url));
  });

  it.for(['/status/200', '/status/404', '/big'])('HEAD %s: same status, no body', async (path) => {
    const [mine, theirs] = await Promise.all([byProbe(`http://${http}${path}`, 'HEAD'), byUndici(`http://${http}${path}`, 'HEAD')]);
    expect(mine).toEqual(theirs);
    expect(mine.body).toBe('');
  });

  it('the cases above are not all alike (a check that the comparisons compare something)', async () => {
    const statuses = new Set((await Promise.all(cases.map((path) => byUndici(`http://${http}${path}`)))).map((r) => r.status));
    expect(statuses.size).toBeGreaterThan(10);
    expect((await byUndici(`http://${raw}/chunk-extensions`)).body).toBe('hello, world!!!');
  });
});
