import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '@ocfkit/runtime';
import { parseInfo, type RedisInfo } from '../src/info.ts';
import { withClient } from '../src/resp/client.ts';
import { startRedisServer, type RedisServer } from './helpers/redis-server.ts';

// INFO as a real primary/replica pair writes it: the fields the agent's monitor relies on.

const info = (server: RedisServer): Promise<RedisInfo> =>
  withClient({ endpoint: server.unix }, async (c) => parseInfo((await c.command(['INFO'])) as string));

async function until(server: RedisServer, what: (i: RedisInfo) => boolean): Promise<RedisInfo> {
  for (let i = 0; i < 200; i++) {
    const current = await info(server);
    if (what(current)) return current;
    await sleep(25);
  }
  throw new Error(`INFO of ${server.port} never satisfied the condition`);
}

describe('INFO of a live primary and replica', () => {
  let primary: RedisServer;
  let replica: RedisServer;

  beforeAll(async () => {
    [primary, replica] = await Promise.all([startRedisServer(), startRedisServer()]);
    await withClient({ endpoint: replica.unix }, (c) => c.command(['REPLICAOF', '127.0.0.1', String(primary.port)]));
    // writes before the first replica attaches reach it in the RDB and count in no offset (a
    // primary keeps no backlog, so no offset, until a replica attaches): write once linked
    await until(replica, (i) => i.masterLinkStatus === 'up');
    await withClient({ endpoint: primary.unix }, (c) => c.pipeline([['SET', 'a', '1'], ['SET', 'b', '2']]));
  });
  afterAll(async () => {
    await Promise.all([primary?.stop(), replica?.stop()]);
  });

  it('the replica reports its primary, an up link and the offset it reached', async () => {
    const p = await until(primary, (i) => i.replicas[0]?.state === 'online');
    const r = await until(replica, (i) => i.masterLinkStatus === 'up' && i.slaveReplOffset! >= p.masterReplOffset!);
    expect(p.masterReplOffset).toBeGreaterThan(0);
    expect(r).toMatchObject({
      role: 'slave',
      masterHost: '127.0.0.1',
      masterPort: primary.port,
      masterLinkStatus: 'up',
      masterSyncInProgress: false,
      masterReplid: p.masterReplid,
      loading: false,
    });
    expect(r.masterLastIoSecondsAgo).toBeGreaterThanOrEqual(0);
    expect(r.slavePriority).toBe(100);
  });

  it('the primary lists the replica with its port and offset', async () => {
    const p = await until(primary, (i) => i.replicas[0]?.offset === i.masterReplOffset);
    expect(p).toMatchObject({ role: 'master', connectedSlaves: 1 });
    expect(p.replicas).toEqual([{ index: 0, ip: '127.0.0.1', port: replica.port, state: 'online', offset: p.masterReplOffset, lag: expect.any(Number) }]);
  });

  it('the replica reports the link down once the primary is gone', async () => {
    await primary.kill();
    const r = await until(replica, (i) => i.masterLinkStatus === 'down');
    expect(r).toMatchObject({ role: 'slave', masterHost: '127.0.0.1', masterPort: primary.port, masterLastIoSecondsAgo: undefined });
    expect(r.masterLinkDownSinceSeconds).toBeGreaterThanOrEqual(0);
    expect(r.slaveReplOffset).toBeGreaterThan(0);
  });
});
