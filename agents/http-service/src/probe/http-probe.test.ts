import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, ProbeError } from './http-probe.ts';
import { parseProbeUrl } from './url.ts';

// Real servers on loopback: node's own HTTP server (keep-alive, chunked, content-length), and raw
// TCP servers for what a well-behaved server never does (silence, garbage, early close).
const servers: Array<{ close(cb?: () => void): unknown }> = [];
const dir = mkdtempSync(join(tmpdir(), 'ocfkit-probe-'));
let base = '';

function listen<T extends Server | ReturnType<typeof createNetServer>>(server: T, where: number | string = 0): Promise<string> {
  servers.push(server);
  return new Promise((resolve) => {
    if (typeof where === 'string') server.listen(where, () => resolve(where));
    else server.listen(where, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as { port: number }).port}`));
  });
}

const target = (url: string) => parseProbeUrl(url).target!;
const get = (url: string, extra: Partial<Parameters<typeof probe>[0]> = {}) =>
  probe({ target: target(url), method: 'GET', headers: [], timeoutMs: 1000, readBody: false, ...extra });
async function failure(promise: Promise<unknown>): Promise<ProbeError> {
  try {
    await promise;
  } catch (error) {
    return error as ProbeError;
  }
  throw new Error('expected the probe to fail');
}

beforeAll(async () => {
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    if (req.url === '/ok') return res.end('{"status":"ok"}');
    if (req.url === '/chunked') {
      res.write('part one, ');
      setTimeout(() => res.end('part two'), 20);
      return;
    }
    if (req.url === '/headers') return res.end(JSON.stringify(req.headers));
    if (req.url === '/down') {
      res.statusCode = 503;
      return res.end('maintenance');
    }
    if (req.url === '/big') return res.end('x'.repeat(200_000));
    res.statusCode = 404;
    res.end();
  };
  base = `http://${await listen(createHttpServer(handler))}`;
  await listen(createHttpServer(handler), join(dir, 'app.sock'));
});
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('probe', () => {
  it('returns the status without reading the body unless asked', async () => {
    expect(await get(`${base}/ok`)).toEqual({ status: 200 });
    expect(await get(`${base}/down`)).toEqual({ status: 503 });
  });
  it('reads a body by content-length and by chunks', async () => {
    expect(await get(`${base}/ok`, { readBody: true })).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect(await get(`${base}/chunked`, { readBody: true })).toEqual({ status: 200, body: 'part one, part two' });
  });
  it('caps a large body at 64 KiB', async () => {
    const response = await get(`${base}/big`, { readBody: true });
    expect(response.body).toHaveLength(64 * 1024);
  });
  it('sends Host, the configured headers, and a HEAD when asked', async () => {
    const response = await get(`${base}/headers`, { readBody: true, headers: [['X-Check', 'yes'], ['Host', 'app.example']] });
    expect(JSON.parse(response.body!)).toMatchObject({ 'x-check': 'yes', host: 'app.example', connection: 'close' });
    expect(await get(`${base}/ok`, { method: 'HEAD', readBody: true })).toEqual({ status: 200, body: '' });
  });
  it('speaks HTTP over a unix socket', async () => {
    const url = `http+unix://${encodeURIComponent(join(dir, 'app.sock'))}/ok`;
    expect(await get(url, { readBody: true })).toEqual({ status: 200, body: '{"status":"ok"}' });
  });
  it('names a refused connection and a missing socket', async () => {
    const closed = createNetServer();
    const where = await listen(closed);
    closed.close();
    expect(await failure(get(`http://${where}/`))).toMatchObject({ code: 'CONNECT_REFUSED', message: 'connection refused' });
    const missing = join(dir, 'none.sock');
    expect(await failure(get(`http+unix://${encodeURIComponent(missing)}/`))).toMatchObject({ code: 'SOCKET_MISSING', message: 'socket does not exist' });
  });
  it('times out on a server that never answers', async () => {
    const where = await listen(createNetServer(() => {}));
    expect(await failure(get(`http://${where}/`, { timeoutMs: 200 }))).toMatchObject({ code: 'NO_ANSWER', message: `no answer from ${where} within 200 ms` });
  });
  it('rejects what is not HTTP, and an early close', async () => {
    const garbage = await listen(createNetServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n\r\n')));
    expect(await failure(get(`http://${garbage}/`))).toMatchObject({ code: 'HTTP_BAD_RESPONSE' });
    const hangup = await listen(createNetServer((s) => s.destroy()));
    expect((await failure(get(`http://${hangup}/`))).code).toBe('CLOSED');
  });
  it('skips an informational response', async () => {
    const early = await listen(createNetServer((s) => s.end('HTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n')));
    expect(await get(`http://${early}/`, { readBody: true })).toEqual({ status: 204, body: '' });
  });
  it('stops when the action deadline fires', async () => {
    const where = await listen(createNetServer(() => {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failure(get(`http://${where}/`, { signal: controller.signal }))).toMatchObject({ code: 'ABORTED' });
  });
});

describe('parseProbeUrl', () => {
  it('reads http, https and unix URLs', () => {
    expect(target('http://127.0.0.1:8080/health?x=1')).toMatchObject({ tls: false, host: '127.0.0.1', port: 8080, path: '/health?x=1', hostHeader: '127.0.0.1:8080' });
    expect(target('https://app.example/')).toMatchObject({ tls: true, port: 443, host: 'app.example' });
    expect(target('http://[::1]:81/')).toMatchObject({ host: '::1', port: 81 });
    expect(target('http+unix://%2Frun%2Fapp.sock/status')).toMatchObject({ socketPath: '/run/app.sock', path: '/status' });
  });
  it.for(['ftp://x/', 'localhost:8080', 'http+unix://relative.sock/', 'http://user:pw@host/'])('rejects %s', (url) => {
    expect(parseProbeUrl(url).problem).toBeTruthy();
  });
});
