import { connect, type Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisClient, withClient } from '../src/resp/client.ts';
import { RedisError } from '../src/resp/errors.ts';
import { makeCluster, requireBuilt, type TestNode } from './helpers/agent-nodes.ts';
import { startRedisServer } from './helpers/redis-server.ts';

// A real redis-server at maxclients (maxclients 1, one connection held open by the test) answers a
// new connection with "-ERR max number of clients reached" and closes it. The agent must say so
// (not "closed the connection"), and monitor must not get a healthy, saturated server restarted:
// the server is ours and alive and Redis itself answered, so monitor reports the role it last
// knew, with a warning. The built agent runs as Pacemaker runs it.

const FULL = 'ERR max number of clients reached';
const held: Socket[] = [];

/** Take the one client slot: connected, and answered, so Redis has counted it. */
async function saturate(node: Pick<TestNode, 'socket'>): Promise<void> {
  const socket = connect(node.socket);
  held.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', (reply) => (String(reply) === '+PONG\r\n' ? resolve() : reject(new Error(`held connection got ${String(reply)}`))));
    socket.write('PING\r\n');
  });
}

function release(): void {
  for (const socket of held.splice(0)) socket.destroy();
}

beforeAll(() => requireBuilt());
afterEach(() => release());

describe('the RESP client at maxclients', () => {
  it("fails with Redis's words, whichever side of the close its first command lands", async () => {
    const server = await startRedisServer({ args: ['--maxclients', '1'] });
    await saturate({ socket: server.socket });
    for (let i = 0; i < 10; i++) {
      const error = await withClient({ endpoint: server.unix }, (c) => c.command(['PING'])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisError);
      expect([(error as RedisError).code, (error as RedisError).message]).toEqual(['REDIS_MAXCLIENTS', `redis at ${server.socket}: connect failed: ${FULL}`]);
    }
    // with a password, AUTH is the first command: still the server's refusal, not a wrong password
    const auth = await RedisClient.connect({ endpoint: server.unix, password: 'pw' }).catch((e: unknown) => e);
    expect((auth as RedisError).message).toBe(`redis at ${server.socket}: connect failed: ${FULL}`);
  });
});

describe('a primitive at maxclients', () => {
  it("monitor: 0 with a warning in Redis's words; start: 1 in Redis's words", async () => {
    const node = (await makeCluster(1, { configExtra: 'maxclients 1' })).nodes[0]!;
    expect((await node.run('start', { promotable: false })).code).toBe(0);
    await saturate(node);
    for (let i = 0; i < 3; i++) {
      const monitor = await node.run('monitor', { promotable: false, meta: { interval: 10000 } });
      expect([monitor.code, monitor.reason]).toEqual([0, undefined]);
      expect(monitor.stderr).toContain(`WARN: redis-server (pid ${node.pid()}) is at maxclients, so monitor cannot check it; it last ran unpromoted: redis at ${node.socket}: connect failed: ${FULL}`);
    }
    const start = await node.run('start', { promotable: false, timeoutMs: 4000 });
    expect(start.code).toBe(1);
    expect(start.reason).toContain(`redis at ${node.socket}: connect failed: ${FULL}`);
    release();
    expect((await node.run('monitor', { promotable: false })).code).toBe(0);
    expect((await node.run('stop', { promotable: false })).code).toBe(0);
  });
});

describe('a promotable clone at maxclients', () => {
  it("promote and demote: 1 in Redis's words; monitor: the role it last knew, with a warning", async () => {
    const node = (await makeCluster(1, { configExtra: 'maxclients 1' })).nodes[0]!;
    expect((await node.run('start')).code).toBe(0);

    await saturate(node);
    const monitor = await node.run('monitor', { meta: { interval: 10000 } });
    expect([monitor.code, monitor.reason]).toEqual([0, undefined]);
    const promote = await node.run('promote');
    expect(promote.code).toBe(1);
    expect(promote.reason).toContain(`redis at ${node.socket}: connect failed: ${FULL}`);
    release();

    expect((await node.run('promote')).code).toBe(0);
    await saturate(node);
    const promoted = await node.run('monitor', { meta: { interval: 10000, role: 'Promoted' } });
    expect([promoted.code, promoted.reason]).toEqual([8, undefined]);
    expect(promoted.stderr).toContain(`WARN: redis-server (pid ${node.pid()}) is at maxclients, so monitor cannot check it; it last ran promoted: redis at ${node.socket}: connect failed: ${FULL}`);
    const demote = await node.run('demote');
    expect(demote.code).toBe(1);
    expect(demote.reason).toContain(`redis at ${node.socket}: connect failed: ${FULL}`);
    release();

    expect((await node.run('demote')).code).toBe(0);
    expect((await node.run('stop')).code).toBe(0);
  });
});
