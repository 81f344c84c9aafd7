import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RedisInfo } from '../src/info.ts';
import { SETTLE, makeCluster, notifyMeta, requireBuilt, RESOURCE, type Cluster, type TestNode } from './helpers/agent-nodes.ts';

// The agent's side of a healed split brain, with real redis-servers on loopback and Pacemaker's
// tools played by recording fakes (the whole story on a real cluster: tests/cluster/faults.test.ts).
// node1 was the primary and was cut off; node2 was promoted meanwhile; now both are back.

beforeAll(() => requireBuilt());

const RECORD = `${RESOURCE}-promotion`;
const linked = (info: RedisInfo, primary: TestNode) => info.role === 'slave' && info.masterLinkStatus === 'up' && info.masterPort === primary.port;

/**
 * Pacemaker's promotion of `candidate` among `active`. The replicas detach one after the other in
 * pre-promote, and the old primary may send one more replication ping to the later ones: promote
 * then refuses for the one ahead, and Pacemaker promotes that one. Resolves with the new primary.
 */
async function promote(c: Cluster, candidate: TestNode, active: TestNode[]): Promise<TestNode> {
  const names = active.map((n) => n.name);
  let lists = { promote: [candidate.name], active: names, unpromoted: names };
  for (const node of active) expect((await node.run('notify', { meta: notifyMeta('pre', 'promote', lists) })).code).toBe(0);
  let primary = candidate;
  let result = await primary.run('promote', { meta: notifyMeta('pre', 'promote', lists) });
  const ahead = /^not promoting \S+: (\S+) holds more data/.exec(result.reason ?? '')?.[1];
  if (ahead !== undefined) {
    primary = active.find((n) => n.name === ahead)!;
    lists = { ...lists, promote: [ahead] };
    result = await primary.run('promote', { meta: notifyMeta('pre', 'promote', lists) });
  }
  expect([result.code, result.reason]).toEqual([0, undefined]);
  for (const node of active) expect((await node.run('notify', { meta: notifyMeta('post', 'promote', lists) })).code).toBe(0);
  for (const node of active.filter((n) => n !== primary)) await vi.waitFor(async () => expect(linked(await node.info(), primary), `${node.name} follows ${primary.name}`).toBe(true), SETTLE);
  return primary;
}

describe('a split brain, healed', () => {
  let c: Cluster;
  // node2 and node3 after the promotion during the split: the new primary and its replica
  let node1: TestNode, node2: TestNode, node3: TestNode;

  beforeAll(async () => {
    c = await makeCluster(3, { configExtra: 'repl-diskless-sync-delay 0' });
    [node1, node2, node3] = c.nodes as [TestNode, TestNode, TestNode];
    for (const node of c.nodes) expect((await node.run('start')).code).toBe(0);
    await promote(c, node1, c.nodes);
  }, 60_000);

  it('each promotion is recorded one generation up, and the primary scores 1000 + its generation', async () => {
    expect(c.fake.property(RECORD)).toMatch(/^1:-:\d+:node1$/); // a new primary without a backlog: history not known yet
    expect(c.fake.score('node1', RESOURCE)).toBe(1001);
    await node1.command('SET', 'before', 'split');
    await vi.waitFor(async () => expect(await node2.command('GET', 'before'), 'the write replicated').toBe('split'), SETTLE);

    // node1 is cut off (nothing tells it); the others promote one of them, without node1
    const promoted = await promote(c, c.nodes[1]!, [c.nodes[1]!, c.nodes[2]!]);
    [node2, node3] = promoted === c.nodes[1] ? [c.nodes[1]!, c.nodes[2]!] : [c.nodes[2]!, c.nodes[1]!];
    const record = c.fake.property(RECORD)!;
    expect(record).toMatch(new RegExp(`^2:${(await node2.info()).masterReplid}:\\d+:${node2.name}$`));
    expect(c.fake.score(node2.name, RESOURCE)).toBe(1002);
    await node2.command('SET', 'during', 'split');
    expect((await node3.run('monitor', { meta: { interval: 6000, role: 'Unpromoted' } })).code).toBe(0);
    expect(c.fake.score(node3.name, RESOURCE)).toBe(1000);
    expect((await node1.info()).role).toBe('master'); // the stale primary, still serving
  }, 60_000);

  it('no replica follows the stale primary while the newest one runs: it keeps its data and link', async () => {
    // Pacemaker kept node1 and demoted node2: the post-demote notification names node1
    const lists = { promoted: ['node1', node2.name], demote: [node2.name], active: ['node1', 'node2', 'node3'], unpromoted: [node3.name] };
    const post = await node3.run('notify', { meta: notifyMeta('post', 'demote', lists) });
    expect([post.code, post.reason]).toEqual([0, undefined]);
    const info = await node3.info();
    expect(linked(info, node2)).toBe(true);
    expect(await node3.command('GET', 'during')).toBe('split');
    // its monitor: running (the reason goes to the log), its score unchanged
    expect((await node3.run('monitor', { meta: { interval: 6000, role: 'Unpromoted' } })).code).toBe(0);
    expect(c.fake.score(node3.name, RESOURCE)).toBe(1000);
  }, 30_000);

  it('the stale primary fails its monitor (9) with the reason, and gives up its promotion score', async () => {
    const result = await node1.run('monitor', { meta: { interval: 5000, role: 'Promoted' } });
    expect(result.code).toBe(9);
    expect(result.reason).toMatch(
      new RegExp(
        `^this primary on node1 is stale: the cluster promoted ${node2.name} after it \\(promotion 2 of ${node2.name} \\(replication id [0-9a-f]{12}\\.\\.\\.\\)\\), while node1 was cut off; its writes since then are not replicated and will be discarded when it resynchronises from ${node2.name}$`,
      ),
    );
    expect(c.fake.score('node1', RESOURCE)).toBeUndefined();
  }, 30_000);

  it('demoted and pointed at the newest primary, the stale one resynchronises from it', async () => {
    expect((await node1.run('demote')).code).toBe(0);
    const lists = { promoted: [node2.name], demote: ['node1'], active: ['node1', 'node2', 'node3'], unpromoted: [node3.name] };
    expect((await node1.run('notify', { meta: notifyMeta('post', 'demote', lists) })).code).toBe(0);
    await vi.waitFor(async () => expect(linked(await node1.info(), node2), `node1 follows ${node2.name}`).toBe(true), SETTLE);
    expect(await node1.command('GET', 'during')).toBe('split');
  }, 30_000);
});

describe('isolation_guard', () => {
  it('a primary promoted with it refuses writes while no replica acknowledges it', async () => {
    const c = await makeCluster(1);
    const [node] = c.nodes as [TestNode];
    const params = { isolation_guard: 'true', isolation_guard_max_lag: '3s' };
    expect((await node.run('start', { params })).code).toBe(0);
    expect([(await node.run('promote', { params })).code]).toEqual([0]);
    const settings = (await node.command('CONFIG', 'GET', 'min-replicas-*')) as string[];
    expect(new Map([[settings[0], settings[1]], [settings[2], settings[3]]])).toEqual(new Map([['min-replicas-to-write', '1'], ['min-replicas-max-lag', '3']]));
    await expect(node.command('SET', 'k', 'v')).rejects.toThrow(/NOREPLICAS/);
    expect(await node.command('GET', 'k')).toBeNull(); // reads go on
  }, 30_000);

  it('off (the default): redis.conf decides', async () => {
    const c = await makeCluster(1);
    const [node] = c.nodes as [TestNode];
    expect((await node.run('start')).code).toBe(0);
    expect((await node.run('promote')).code).toBe(0);
    expect(await node.command('CONFIG', 'GET', 'min-replicas-to-write')).toEqual(['min-replicas-to-write', '0']);
    expect(await node.command('SET', 'k', 'v')).toBe('OK');
  }, 30_000);
});
