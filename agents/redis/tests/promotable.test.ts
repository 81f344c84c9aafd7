import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RedisInfo } from '../src/info.ts';
import { SETTLE, makeCluster, notifyMeta, requireBuilt, RESOURCE, type Cluster, type TestNode } from './helpers/agent-nodes.ts';

// The agent as a promotable clone: three "nodes" on loopback (their own redis.conf, port, socket,
// rundir), Pacemaker's part played by the test (the actions it would call, with the notify
// variables it would pass) and its tools by recording fakes. Real redis-server, real replication.

beforeAll(() => requireBuilt());

const recurring = { interval: 10000 };
const COUNTER_WRITER = new URL('./helpers/counter-writer.py', import.meta.url).pathname;
const score = (c: Cluster, node: TestNode) => c.fake.score(node.name, RESOURCE);
const linked = (info: RedisInfo, primary: TestNode) => info.role === 'slave' && info.masterLinkStatus === 'up' && info.masterPort === (primary.tlsPort ?? primary.port);

/** What Pacemaker does to bring a fresh clone up with `primary` promoted. */
async function bootstrap(c: Cluster, primary: TestNode): Promise<void> {
  const names = c.nodes.map((n) => n.name);
  for (const node of c.nodes) expect((await node.run('start')).code).toBe(0);
  for (const node of c.nodes) {
    const pre = await node.run('notify', { meta: notifyMeta('pre', 'promote', { promote: [primary.name], active: names, unpromoted: names }) });
    expect(pre.code).toBe(0);
  }
  const promote = await primary.run('promote', { meta: notifyMeta('pre', 'promote', { promote: [primary.name], active: names, unpromoted: names }) });
  expect([promote.code, promote.reason]).toEqual([0, undefined]);
  for (const node of c.nodes) {
    const post = await node.run('notify', { meta: notifyMeta('post', 'promote', { promote: [primary.name], active: names, unpromoted: names }) });
    expect(post.code).toBe(0);
  }
  for (const node of c.nodes.filter((n) => n !== primary)) {
    await vi.waitFor(async () => expect(linked(await node.info(), primary), `${node.name} linked to ${primary.name}`).toBe(true), SETTLE);
  }
}

describe('bootstrap of a promotable clone, with a password', () => {
  let c: Cluster;
  let node1: TestNode, node2: TestNode, node3: TestNode;
  beforeAll(async () => {
    c = await makeCluster(3, { password: 'cluster secret' });
    [node1, node2, node3] = c.nodes as [TestNode, TestNode, TestNode];
  });

  it('start: every instance is a replica waiting for a primary, promotable because nothing has data', async () => {
    for (const node of c.nodes) {
      const result = await node.run('start');
      expect([result.code, result.reason]).toEqual([0, undefined]);
      const info = await node.info();
      expect([info.role, info.masterHost, info.masterPort]).toEqual(['slave', '127.0.0.1', 0]);
      expect(score(c, node)).toBe(1);
      expect((await node.run('monitor', { meta: recurring })).code).toBe(0);
    }
  });

  it('no secret on any command line: the password only travels over the socket', async () => {
    for (const call of c.fake.calls()) expect(call.join(' ')).not.toContain('cluster secret');
    for (const node of c.nodes) {
      const cmdline = (await import('node:fs')).readFileSync(`/proc/${node.pid()}/cmdline`, 'utf8');
      expect(cmdline).not.toContain('cluster secret');
    }
  });

  it('promote: node1 becomes the primary, is recorded as the last primary, and gets the top score', async () => {
    const names = c.nodes.map((n) => n.name);
    for (const node of c.nodes) {
      expect((await node.run('notify', { meta: notifyMeta('pre', 'promote', { promote: ['node1'], active: names, unpromoted: names }) })).code).toBe(0);
    }
    const result = await node1.run('promote', { meta: notifyMeta('pre', 'promote', { promote: ['node1'], active: names, unpromoted: names }) });
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect((await node1.info()).role).toBe('master');
    expect(score(c, node1)).toBe(1001);
    expect(c.fake.property(`${RESOURCE}_REPL_INFO`)).toBe('node1');
    expect((await node1.run('monitor', { meta: { interval: 9000, role: 'Promoted' } })).code).toBe(8);
  });

  it('post-promote notify: the replicas follow node1 at once, authenticated with the password set as masterauth', async () => {
    const names = c.nodes.map((n) => n.name);
    for (const node of [node2, node3]) {
      const result = await node.run('notify', { meta: notifyMeta('post', 'promote', { promote: ['node1'], active: names, unpromoted: names }) });
      expect([result.code, result.reason]).toEqual([0, undefined]);
      const info = await node.info();
      expect([info.masterHost, info.masterPort]).toEqual(['127.0.0.1', node1.port]);
    }
    for (const node of [node2, node3]) {
      await vi.waitFor(async () => expect(linked(await node.info(), node1), `${node.name} linked`).toBe(true), SETTLE);
      const monitor = await node.run('monitor', { meta: recurring });
      expect([monitor.code, monitor.reason]).toEqual([0, undefined]);
      expect(score(c, node)).toBe(1000);
    }
  });

  it('the monitor only forks crm_attribute when a score changes', async () => {
    c.fake.clearCalls();
    for (const node of c.nodes) expect((await node.run('monitor', { meta: recurring })).code).toBe(node === node1 ? 8 : 0);
    expect(c.fake.calls()).toEqual([]);
  });

  it('a replica whose primary died: success with a warning during the grace, failed after', async () => {
    await node1.command('SET', 'k', 'v');
    await vi.waitFor(async () => expect(await node2.command('GET', 'k'), 'the write replicated').toBe('v'), SETTLE);
    node1.crash();
    const warned = await vi.waitFor(async () => {
      const r = await node2.run('monitor', { meta: recurring });
      expect([r.code, r.stderr], 'a monitor that warns').toEqual([0, expect.stringContaining('replica link down')]);
      return r;
    }, SETTLE);
    // 0, not 190: Pacemaker 2.1.5 records 190 as a failure, which can stall the promotion (src/replication/health.ts)
    expect(warned.reason).toBeUndefined();
    expect(warned.stderr).toMatch(new RegExp(`WARN: replica link down for \\d+ s \\(primary node1 at 127\\.0\\.0\\.1:${node1.port}\\)\\n`));
    // its data is what it was: the score stays, so Pacemaker can promote it
    expect(score(c, node2)).toBe(1000);
    const failed = await vi.waitFor(async () => {
      const r = await node2.run('monitor', { meta: recurring });
      expect([r.code, r.reason], 'a failed monitor after the 3 s grace').toEqual([1, expect.any(String)]);
      return r;
    }, SETTLE);
    expect(failed.reason).toMatch(new RegExp(`^replica link down for \\d+ s \\(primary node1 at 127\\.0\\.0\\.1:${node1.port}\\)$`));
    // the crashed primary: nothing answers, its pid is gone: 7, and its promotion score is
    // withdrawn, so the transition that recovers it promotes a replica rather than it again
    expect(score(c, node1)).toBeGreaterThan(1000);
    expect((await node1.run('monitor', { meta: { interval: 9000, role: 'Promoted' } })).code).toBe(7);
    expect(score(c, node1)).toBeUndefined();
  });
});

describe('failover after the primary is killed mid-write', () => {
  it('promotes a replica holding every acknowledged write, and the other follows it', async () => {
    const c = await makeCluster(3);
    const [node1, node2, node3] = c.nodes as [TestNode, TestNode, TestNode];
    await bootstrap(c, node1);

    // writes acknowledged by both replicas (WAIT 2, on the writer's own connection) until the
    // primary is killed; counted by an independent client, not the agent's RESP code
    const writer = spawn(COUNTER_WRITER, [node1.socket, '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acknowledged = 0;
    createInterface({ input: writer.stdout }).on('line', (line) => (acknowledged = Number(line)));
    const exited = new Promise((resolve) => writer.once('close', resolve));
    await vi.waitFor(() => expect(acknowledged, '50 acknowledged writes').toBeGreaterThanOrEqual(50), SETTLE);
    node1.crash();
    await exited;

    // Pacemaker: pre-promote to the survivors, promote the best scored (node2), post-promote
    const survivors = ['node2', 'node3'];
    const lists = { promote: ['node2'], active: survivors, unpromoted: survivors };
    for (const node of [node2, node3]) expect((await node.run('notify', { meta: notifyMeta('pre', 'promote', lists) })).code).toBe(0);
    let promoted = node2;
    const result = await node2.run('promote', { meta: notifyMeta('pre', 'promote', lists) });
    if (result.code !== 0) {
      // node3 got further than node2 before the crash: node2 refuses and hands over to node3
      expect(result.code).toBe(1);
      expect(result.reason).toMatch(/^not promoting node2: node3 holds more data \(replication offset \d+ > \d+\); raised node3's promotion score$/);
      expect(c.fake.score('node3', RESOURCE)).toBe(1000);
      expect((await node3.run('promote', { meta: notifyMeta('pre', 'promote', { ...lists, promote: ['node3'] }) })).code).toBe(0);
      promoted = node3;
    }
    const other = promoted === node2 ? node3 : node2;
    expect(Number(await promoted.command('GET', 'counter'))).toBeGreaterThanOrEqual(acknowledged);
    const post = await other.run('notify', { meta: notifyMeta('post', 'promote', { ...lists, promote: [promoted.name] }) });
    expect(post.code).toBe(0);
    await vi.waitFor(async () => expect(linked(await other.info(), promoted), `${other.name} follows ${promoted.name}`).toBe(true), SETTLE);
    await vi.waitFor(async () => expect(await other.command('GET', 'counter'), 'the same data on both').toBe(await promoted.command('GET', 'counter')), SETTLE);
  });
});

describe('promote refuses to lose data', () => {
  it('when another replica recorded a further position in the same history', async () => {
    const c = await makeCluster(3);
    const [node1, node2] = c.nodes as [TestNode, TestNode, TestNode];
    await bootstrap(c, node1);
    await node1.command('SET', 'k', 'v');
    const info = await node2.info();
    // what node3's pre-promote notification would have recorded had it received more
    c.fake.setPrivateAttribute('node3', `${RESOURCE}-repl-position`, `${info.masterReplid}:${(info.slaveReplOffset ?? 0) + 1000}:1:${Date.now()}`);
    const result = await node2.run('promote', { meta: notifyMeta('pre', 'promote', { promote: ['node2'], active: ['node2', 'node3'], unpromoted: ['node2', 'node3'] }) });
    const later = await node2.info();
    expect(result.code).toBe(1);
    // node2's own offset as promote read it: the primary's pings (every 10 s) may move it on meanwhile
    const own = /^not promoting node2: node3 holds more data \(replication offset (\d+) > (\d+)\); raised node3's promotion score$/.exec(result.reason ?? '');
    expect(own, result.reason).not.toBeNull();
    expect(Number(own![1])).toBe((info.slaveReplOffset ?? 0) + 1000);
    expect(Number(own![2])).toBeGreaterThanOrEqual(info.slaveReplOffset ?? 0);
    expect(Number(own![2])).toBeLessThanOrEqual(later.slaveReplOffset ?? 0);
    expect(c.fake.score('node3', RESOURCE)).toBe(1000);
    expect(c.fake.score('node2', RESOURCE)).toBeUndefined();
    expect((await node2.info()).role).toBe('slave');
  });

  it('ignores positions too old to be from this promotion', async () => {
    const c = await makeCluster(2);
    const [node1, node2] = c.nodes as [TestNode, TestNode];
    await bootstrap(c, node1);
    const info = await node2.info();
    c.fake.setPrivateAttribute('node1', `${RESOURCE}-repl-position`, `${info.masterReplid}:${(info.slaveReplOffset ?? 0) + 1000}:1:${Date.now() - 600_000}`);
    node1.crash();
    const result = await node2.run('promote');
    expect([result.code, result.reason]).toEqual([0, undefined]);
  });
});

describe('switchover: demote, then promote another', () => {
  it('loses no write: the primary holds writes and lets its replicas catch up before it steps down', async () => {
    const c = await makeCluster(3);
    const [node1, node2, node3] = c.nodes as [TestNode, TestNode, TestNode];
    await bootstrap(c, node1);
    for (let i = 0; i < 200; i++) await node1.command('SET', `key:${i}`, `value:${i}`);

    const demote = await node1.run('demote');
    expect([demote.code, demote.reason]).toEqual([0, undefined]);
    const demoted = await node1.info();
    expect([demoted.role, demoted.masterHost, demoted.masterPort]).toEqual(['slave', '127.0.0.1', 0]);
    // no primary now; it was the last one and has the data
    expect(c.fake.score('node1', RESOURCE)).toBe(900);
    expect((await node1.run('demote')).code).toBe(0);

    const names = ['node1', 'node2', 'node3'];
    const lists = { promote: ['node2'], active: names, unpromoted: names, demote: [] };
    for (const node of c.nodes) expect((await node.run('notify', { meta: notifyMeta('pre', 'promote', lists) })).code).toBe(0);
    const promote = await node2.run('promote', { meta: notifyMeta('pre', 'promote', lists) });
    expect([promote.code, promote.reason]).toEqual([0, undefined]);
    for (const node of [node1, node3]) expect((await node.run('notify', { meta: notifyMeta('post', 'promote', lists) })).code).toBe(0);
    for (const node of [node1, node3]) {
      await vi.waitFor(async () => expect(linked(await node.info(), node2), `${node.name} follows node2`).toBe(true), SETTLE);
      expect(await node.command('DBSIZE')).toBe(200);
    }
    expect(await node2.command('GET', 'key:199')).toBe('value:199');
    // the old primary continued from where it was: a partial resync, not a full copy
    const stats = await node2.command('INFO', 'stats');
    expect(stats).toMatch(/sync_partial_ok:[12]\r\n/);
    expect(c.fake.property(`${RESOURCE}_REPL_INFO`)).toBe('node2');
  });
});

describe('start of a replica while a primary runs', () => {
  it('follows the primary Pacemaker names in the start notify variables, from its first instant', async () => {
    const c = await makeCluster(2);
    const [node1, node2] = c.nodes as [TestNode, TestNode];
    expect((await node1.run('start')).code).toBe(0);
    expect((await node1.run('promote')).code).toBe(0);
    await node1.command('SET', 'before', 'start');
    const result = await node2.run('start', { meta: notifyMeta('pre', 'start', { start: ['node2'], promoted: ['node1'], active: ['node1'] }) });
    expect([result.code, result.reason]).toEqual([0, undefined]);
    const info = await node2.info();
    expect([info.masterHost, info.masterPort]).toEqual(['127.0.0.1', node1.port]);
    await vi.waitFor(async () => expect(await node2.command('GET', 'before'), 'the data').toBe('start'), SETTLE);
    // it has synced: promotable from now on
    await vi.waitFor(async () => expect([(await node2.run('monitor', { meta: recurring })).code, c.fake.score('node2', RESOURCE)], 'a monitor that succeeds and sets score 1000').toEqual([0, 1000]), SETTLE);
  });
});

describe('failures of a promoted instance', () => {
  it('a primary that does not answer: 9 with the reason; demote where nothing runs: 7', async () => {
    const c = await makeCluster(1, { configExtra: 'enable-debug-command local' });
    const [node1] = c.nodes as [TestNode];
    expect((await node1.run('start')).code).toBe(0);
    expect((await node1.run('promote')).code).toBe(0);
    const sleeping = node1.command('DEBUG', 'SLEEP', '4');
    const result = await node1.run('monitor', { meta: { interval: 9000, role: 'Promoted' }, timeoutMs: 2500 });
    expect(result.code).toBe(9);
    expect(result.reason).toMatch(new RegExp(`^redis at ${node1.socket.replace(/[.]/g, '\\.')} did not answer (AUTH|INFO) within 1\\.\\ds$`));
    await sleeping;
    node1.crash();
    const demote = await node1.run('demote');
    expect(demote.code).toBe(7);
    expect(demote.reason).toBe(`demote: redis is not running (cannot connect to redis at ${node1.socket}: connection refused)`);
  });
});

describe('notify', () => {
  it('never fails, even where redis is not running', async () => {
    const c = await makeCluster(1);
    const result = await c.nodes[0]!.run('notify', { meta: notifyMeta('post', 'promote', { promote: ['node9'] }) });
    expect([result.code, result.reason]).toEqual([0, undefined]);
  });

  it('cannot resolve a node: succeeds (notify must), and says why in the log', async () => {
    const c = await makeCluster(1);
    const [node1] = c.nodes as [TestNode];
    expect((await node1.run('start')).code).toBe(0);
    const result = await node1.run('notify', {
      params: { node_address_map: '' },
      meta: notifyMeta('post', 'promote', { promote: ['no-such-node.invalid'] }),
    });
    expect(result.code).toBe(0);
    const why = 'cannot resolve node no-such-node.invalid to an address (ENOTFOUND): add it to node_address_map';
    expect(result.stderr).toContain(`notify failed, reported as success: ${why}`);
    // and the replica is not taken for one waiting for a primary: degraded, then failed
    const monitor = await node1.run('monitor', { meta: recurring });
    expect([monitor.code, monitor.reason]).toEqual([190, `replica cannot follow the primary no-such-node.invalid: ${why}`]);
    const later = await vi.waitFor(async () => {
      const r = await node1.run('monitor', { meta: recurring });
      expect([r.code, r.reason], 'a failed monitor after the grace').toEqual([1, expect.any(String)]);
      return r;
    }, SETTLE);
    expect(later.reason).toBe(`replica cannot follow the primary no-such-node.invalid: ${why}`);
  });
});

describe('bootstrap scores', () => {
  it('wait_last_known_master: only the last primary is promotable while no primary runs', async () => {
    const c = await makeCluster(2);
    const [node1, node2] = c.nodes as [TestNode, TestNode];
    c.fake.setProperty(`${RESOURCE}_REPL_INFO`, 'node2');
    for (const node of c.nodes) expect((await node.run('start', { params: { wait_last_known_master: 'true' } })).code).toBe(0);
    expect(c.fake.score('node1', RESOURCE)).toBeUndefined();
    expect(c.fake.score('node2', RESOURCE)).toBe(1);
  });

  // a bootstrap, then three stops and three starts with persistence: ~20 s on an idle 2-core machine
  it('a node with data outranks an empty one, the last primary with data outranks both', async () => {
    const c = await makeCluster(3, { persistence: true });
    const [node1, node2, node3] = c.nodes as [TestNode, TestNode, TestNode];
    await bootstrap(c, node1);
    await node1.command('SET', 'k', 'v');
    await vi.waitFor(async () => expect(await node2.command('GET', 'k'), 'the write replicated').toBe('v'), SETTLE);
    // a replica's full sync runs a background save on the primary: SAVE refuses until it ends
    for (const node of c.nodes) await vi.waitFor(async () => expect(await node.command('SAVE').then(() => 'accepted', (e: Error) => e.message), `SAVE on ${node.name}`).toBe('accepted'), SETTLE);
    for (const node of c.nodes) expect((await node.run('stop')).code).toBe(0);
    // node3 loses its data
    (await import('node:fs')).rmSync(`${node3.base}/data/dump.rdb`, { force: true });
    for (const node of c.nodes) expect((await node.run('start')).code).toBe(0);
    expect([c.fake.score('node1', RESOURCE), c.fake.score('node2', RESOURCE), c.fake.score('node3', RESOURCE)]).toEqual([900, 100, 1]);
  }, 120_000);
});
