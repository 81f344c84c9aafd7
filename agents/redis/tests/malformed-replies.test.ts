import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Socket } from 'node:net';
import { runExecutable } from '@ocfkit/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer } from './helpers/fake-resp-server.ts';
import { AGENT, requireBuilt } from './helpers/agent-nodes.ts';
import { tempDir } from './helpers/redis-server.ts';

// Whatever comes back on the agent's socket, monitor ends with 1 and a reason naming what was
// wrong: no crash, no unbounded buffering, no waiting for a reply that cannot be. The built agent
// runs as Pacemaker runs it; the "server" on its socket in rundir is a script of this test, for
// replies a real redis-server never sends.

beforeAll(() => requireBuilt());

// A budget small enough that a hang shows as a kill (signal SIGKILL, no exit code) within seconds
const TIMEOUT_MS = 8000;

/** A server that answers the first command with `reply`, then `more` for as long as the client reads. */
function answer(reply: string, more?: string): (socket: Socket) => void {
  return (socket) => {
    socket.write(reply);
    if (more === undefined) return;
    const pump = () => {
      while (!socket.destroyed && socket.write(more));
    };
    socket.on('drain', pump);
    pump();
  };
}

async function monitorAgainst(respond: (socket: Socket) => void) {
  let answered = false;
  const fake = await startFakeServer((socket) => {
    if (!answered) respond(socket);
    answered = true;
  });
  const config = join(tempDir('ocfkit-bad-conf-'), 'redis.conf');
  writeFileSync(config, 'port 0\n');
  const result = await runExecutable(AGENT, 'monitor', {
    agentName: 'redis',
    instance: 'rds',
    params: { config, rundir: dirname(fake.unix.path), socket_name: basename(fake.unix.path) },
    timeoutMs: TIMEOUT_MS,
    killAfterMs: TIMEOUT_MS + 2000,
  });
  await fake.close();
  return { ...result, where: fake.unix.path };
}

describe('monitor against malformed RESP replies', () => {
  it.for([
    ['arrays nested without end', '*1\r\n'.repeat(200_000), undefined, 'replies nested deeper than 32 levels'],
    ['a bulk string larger than any reply', '$536870000\r\n', 'x'.repeat(65536), 'invalid bulk length 536870000'],
    ['an array longer than any reply', '*16000000\r\n', ':1\r\n'.repeat(16384), 'invalid array length 16000000'],
    ['an array of bulk strings without end', '*1000\r\n', `$1000000\r\n${'x'.repeat(1_000_000)}\r\n`, 'reply larger than 16 MiB'],
  ] as const)('%s: 1, naming it', async ([, reply, more, words]) => {
    const result = await monitorAgainst(answer(reply, more));
    expect([result.signal, result.code, result.reason]).toEqual([null, 1, `redis at ${result.where} answered something that is not Redis: ${words}`]);
  });
});
