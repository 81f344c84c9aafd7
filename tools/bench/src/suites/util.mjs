import { createServer, connect } from 'node:net';

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
