import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseInfo, type RedisInfo } from '../src/info.ts';
import { withClient } from '../src/resp/client.ts';
import { startRedisServer, type RedisServer } from './helpers/redis-server.ts';

// INFO as a real primary/replica pair writes it: the fields the agent's monitor relies on.

const info = (server: RedisServer): Promise<RedisInfo> =>
  withClient({ endpoint: server.unix }, async (c) => parseInfo((await c.command(['INFO'])) as string));

// vi.waitFor's options for replication to settle: generous, since two cores may be busy
const SETTLE = { timeout: 15_000, interval: 25 };

describe('INFO of a live primary and replica', () => {
  let primary: RedisServer;
  let replica: RedisServer;

  beforeAll(async () => {
    [primary, replica] = await Promise.all([startRedisServer(), startRedisServer()]);
    await withClient({ endpoint: replica.unix }, (c) => c.command(['REPLICAOF', '127.0.0.1', String(primary.port)]));
    // writes before the first replica attaches reach it in the RDB and count in no offset (a
    // primary keeps no backlog, so no offset, until a replica attaches): write once linked
    await vi.waitFor(async () => expect((await info(replica)).masterLinkStatus, 'the replica link').toBe('up'), SETTLE);
    await withClient({ endpoint: primary.unix }, (c) => c.pipeline([['SET', 'a', '1'], ['SET', 'b', '2']]));
  });
  afterAll(async () => {
    await Promise.all([primary?.stop(), replica?.stop()]);
  });

  it('the replica reports its primary, an up link and the offset it reached', async () => {
    const p = await vi.waitFor(async () => {
      const i = await info(primary);
      expect(i.replicas[0]?.state, 'the replica as the primary lists it').toBe('online');
      return i;
    }, SETTLE);
    const r = await vi.waitFor(async () => {
      const i = await info(replica);
      expect(i.masterLinkStatus, 'the replica link').toBe('up');
      expect(i.slaveReplOffset, "the replica's offset, up to the primary's").toBeGreaterThanOrEqual(p.masterReplOffset!);
      return i;
    }, SETTLE);
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
    const p = await vi.waitFor(async () => {
      const i = await info(primary);
      expect(i.replicas[0]?.offset, "the replica's offset as the primary lists it, at the primary's").toBe(i.masterReplOffset);
      return i;
    }, SETTLE);
    expect(p).toMatchObject({ role: 'master', connectedSlaves: 1 });
    expect(p.replicas).toEqual([{ index: 0, ip: '127.0.0.1', port: replica.port, state: 'online', offset: p.masterReplOffset, lag: expect.any(Number) }]);
  });

  it('the replica reports the link down once the primary is gone', async () => {
    await primary.kill();
    const r = await vi.waitFor(async () => {
      const i = await info(replica);
      expect(i.masterLinkStatus, 'the replica link, its primary killed').toBe('down');
      return i;
    }, SETTLE);
    expect(r).toMatchObject({ role: 'slave', masterHost: '127.0.0.1', masterPort: primary.port, masterLastIoSecondsAgo: undefined });
    expect(r.masterLinkDownSinceSeconds).toBeGreaterThanOrEqual(0);
    expect(r.slaveReplOffset).toBeGreaterThan(0);
  });
});
