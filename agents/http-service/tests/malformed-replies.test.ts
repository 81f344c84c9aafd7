import { createServer, type Server } from 'node:net';
import { runExecutable } from '@ocfkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, HELLO, freePort, processesMentioning, requireBuilt, scratch } from './helpers/instance.ts';

// A health check reads a peer's bytes: whatever comes back, monitor must end with 1 and a reason
// that names what was wrong, not loop, buffer without bound or wait for its deadline. The agent
// runs built, as Pacemaker runs it, against a real service (probe_url) and a hostile server of
// this test as deep_probe_url (OCF_CHECK_LEVEL 10), with expect_body set so the body is read.
const { dir, cleanup } = scratch();
let params: Record<string, string> = {};
const servers: Server[] = [];

/** A server that answers every connection with `reply` (then `more`, forever, when given) and closes. */
async function hostile(reply: string, more?: string): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write(reply);
      if (more === undefined) return void socket.end();
      // keep writing while the client reads: a peer that never stops
      const pump = () => {
        while (!socket.destroyed && socket.write(more));
      };
      socket.on('drain', pump);
      pump();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

// A budget small enough that a hang shows as a kill (signal SIGKILL, no exit code) within seconds
const TIMEOUT_MS = 8000;
const deepMonitor = (url: string) =>
  runExecutable(AGENT, 'monitor', {
    params: { ...params, deep_probe_url: url, expect_body: 'ok', probe_timeout: '5s' },
    env: { OCF_CHECK_LEVEL: '10' },
    instance: 'bad',
    timeoutMs: TIMEOUT_MS,
    killAfterMs: TIMEOUT_MS + 2000,
  });

beforeAll(async () => {
  requireBuilt();
  const port = await freePort();
  params = {
    service_path: HELLO,
    service_args: `--port ${port} --tag ${dir}/bad`,
    probe_url: `http://127.0.0.1:${port}/health`,
    pidfile: `${dir}/bad.pid`,
    log_file: `${dir}/bad.log`,
  };
  const start = await runExecutable(AGENT, 'start', { params, instance: 'bad' });
  expect([start.code, start.reason]).toEqual([0, undefined]);
  const healthy = await deepMonitor(params.probe_url!);
  expect([healthy.code, healthy.reason]).toEqual([0, undefined]);
}, 60_000);

afterAll(async () => {
  for (const server of servers) server.close();
  const stop = await runExecutable(AGENT, 'stop', { params, instance: 'bad' });
  expect(stop.code).toBe(0);
  expect(processesMentioning(`${dir}/bad `)).toEqual([]);
  cleanup();
});

const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';

describe('monitor against malformed HTTP replies', () => {
  it.for([
    ['a negative chunk size', `${chunked}-6\r\n{"ok"}\r\n0\r\n\r\n`, 'malformed chunked body: chunk size "-6"'],
    ['a chunk size that is not hex', `${chunked}6x\r\n{"ok"}\r\n0\r\n\r\n`, 'malformed chunked body: chunk size "6x"'],
    ['a chunk size beyond any body', `${chunked}${'f'.repeat(17)}\r\nok\r\n`, `malformed chunked body: chunk size "${'f'.repeat(17)}"`],
    ['chunk data not followed by CRLF', `${chunked}2\r\nokXX0\r\n\r\n`, 'malformed chunked body: chunk data not followed by CRLF'],
    ['a negative content-length', 'HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nok', 'invalid Content-Length "-2"'],
    ['two different content-lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!', 'invalid Content-Length "2, 3"'],
  ] as const)('%s: 1, naming it', async ([, reply, words]) => {
    const port = await hostile(reply);
    const url = `http://127.0.0.1:${port}/`;
    const result = await deepMonitor(url);
    expect([result.signal, result.code, result.reason]).toEqual([null, 1, `health check ${url}: ${words}`]);
  });

  it.for([
    ['a chunk-size line that never ends', chunked, 'a'.repeat(4096), 'malformed chunked body: chunk-size line longer than 1024 bytes'],
    ['chunk extensions that never end', `${chunked}2;`, 'x'.repeat(4096), 'malformed chunked body: chunk-size line longer than 1024 bytes'],
    ['a header block that never ends', 'HTTP/1.1 200 OK\r\n', 'X-Filler: yes\r\n', 'response headers larger than 64 KiB'],
  ] as const)('%s, sent without end: 1 at once, naming it', async ([, reply, more, words]) => {
    const port = await hostile(reply, more);
    const url = `http://127.0.0.1:${port}/`;
    const result = await deepMonitor(url);
    expect([result.signal, result.code, result.reason]).toEqual([null, 1, `health check ${url}: ${words}`]);
  });
});
