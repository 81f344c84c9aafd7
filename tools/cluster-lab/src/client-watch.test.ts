import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTarget, tcpTarget, type Answer } from './client-watch.ts';

// client-watch.mjs on loopback (in a lab it runs in the hub namespace): what it reports for a
// service that answers, one that accepts and never answers (hung), a port nobody listens on, and a
// binary protocol whose reply is compared with the expected bytes.
const SCRIPT = fileURLToPath(new URL('./client-watch.mjs', import.meta.url));
const servers: Server[] = [];

function listen(server: Server): Promise<number> {
  servers.push(server);
  // the watcher is killed mid-conversation: the reset of its connections is expected here
  server.on('connection', (socket) => socket.on('error', () => undefined));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** Runs the client against TARGETS until each has answered once (at most LIMITMS, for a loaded machine), plus 500 ms; its lines. */
function watch(targets: string[], limitMs = 15_000): Promise<Answer[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, '--interval-ms', '100', '--timeout-ms', '300', ...targets], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const parsed = () => out.split('\n').filter((line) => line.endsWith('}')).map((line) => JSON.parse(line) as Answer);
    const stop = () => setTimeout(() => child.kill('SIGTERM'), 500);
    const limit = setTimeout(stop, limitMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (targets.every((t) => parsed().some((a) => a.target === t))) {
        clearTimeout(limit);
        stop();
      }
    });
    child.on('close', () => resolve(parsed()));
  });
}

let ok: string;
let hung: string;
let refused: string;
let binary: string;
let wrongBytes: string;

beforeAll(async () => {
  ok = httpTarget('127.0.0.1', await listen(createHttpServer((req, res) => res.end(req.url))), '/health');
  const silent = await listen(createServer(() => undefined));
  hung = httpTarget('127.0.0.1', silent, '/health');
  const closed = createServer();
  const free = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  refused = httpTarget('127.0.0.1', free, '/health');
  const echo = await listen(createServer((socket) => socket.on('data', (data) => socket.write(Buffer.concat([Buffer.from('re:'), data])))));
  binary = tcpTarget('127.0.0.1', echo, Buffer.from('ping'), Buffer.from('re:ping'));
  wrongBytes = tcpTarget('127.0.0.1', echo, Buffer.from('ping'), Buffer.from('pong'));
});

afterAll(() => {
  for (const server of servers) server.close();
});

describe('client-watch.mjs', () => {
  it('reports each target once per change of its answer, with the time it asked', async () => {
    const before = Date.now();
    const answers = await watch([ok, hung, refused, binary, wrongBytes]);
    const by = (target: string) => answers.filter((a) => a.target === target).map((a) => [a.ok, a.what]);
    expect(by(ok)).toEqual([[true, '200']]);
    expect(by(hung)).toEqual([[false, 'no answer']]);
    expect(by(refused)).toEqual([[false, 'refused']]);
    expect(by(binary)).toEqual([[true, 'expected reply']]);
    expect(by(wrongBytes)).toEqual([[false, `reply ${Buffer.from('re:ping').toString('hex')}`]]);
    for (const a of answers) expect(a.t).toBeGreaterThanOrEqual(before);
  });
});
