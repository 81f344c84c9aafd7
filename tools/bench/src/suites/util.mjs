import { writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Wait (bounded) until something accepts connections on the URL's port. */
export async function waitForHttp(url, timeoutMs = 10_000) {
  const { hostname, port } = new URL(url);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = connect(Number(port), hostname, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * Wait until files written at `writtenAt` (epoch ms) are old enough for the redis agent to keep
 * what it read of them (2 s, agents/redis/src/config/directive-cache.ts), as a redis.conf on a
 * running node is: the figures are the steady state's, not those of a file written just now.
 */
export async function settled(writtenAt) {
  const wait = writtenAt + 2100 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/**
 * The floor under any monitor written for Node: a script that opens one socket, writes one
 * request, reads until `complete(reply)` holds and exits, with nothing else (no parameters, no
 * bounded wait, no pidfile, no code of its own to load). An agent's monitor cannot cost less,
 * so its row beside `node -e 0` says how much of a budget is the agent's. Written to `dir` as
 * `<name>.cjs`; `connect` is net.connect's arguments, `complete` a function's source.
 */
export function bareProbe(dir, name, { connect, request, complete }) {
  const file = join(dir, `${name}.cjs`);
  writeFileSync(file, `const socket = require('net').connect(...${JSON.stringify(connect)});
socket.on('connect', () => socket.write(${JSON.stringify(request)}));
let reply = '';
socket.on('data', (chunk) => {
  reply += chunk;
  if ((${complete})(reply)) process.exit(0);
});
socket.on('end', () => process.exit(1));
socket.on('error', () => process.exit(1));
`);
  return file;
}

/** bareProbe's GET of /health on a loopback port, as the http-service monitor asks it. */
export function bareHttpProbe(dir, port) {
  return bareProbe(dir, 'floor', {
    connect: [port, '127.0.0.1'],
    request: `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    complete: String.raw`(reply) => /^HTTP\/1\.[01] 2\d\d /.test(reply) && reply.includes('\r\n\r\n')`,
  });
}
