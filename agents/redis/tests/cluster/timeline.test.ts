import { describe, expect, it } from 'vitest';
import type { ProbeEvent, RedisView } from './probe/protocol.ts';
import { analyse, settledAt, twoMasters } from './timeline.ts';

const nodes = [1, 2, 3].map((n) => ({ name: `node${n}`, host: `198.18.0.${n}` }));
const master: RedisView = { reachable: true, role: 'master', replicas: 2 };
const down: RedisView = { reachable: false };
const replicaOf = (host: string, link: 'up' | 'down' = 'up'): RedisView => ({ reachable: true, role: 'slave', masterHost: host, masterPort: 6379, link });
const redis = (t: number, node: string, view: RedisView): ProbeEvent => ({ t, kind: 'redis', node, view });
const crm = (t: number, roles: Record<string, string>): ProbeEvent => ({ t, kind: 'crm', roles });

const steady = [
  redis(0, 'node1', master),
  redis(0, 'node2', replicaOf('198.18.0.1')),
  redis(0, 'node3', replicaOf('198.18.0.1')),
  crm(0, { node1: 'Promoted', node2: 'Unpromoted', node3: 'Unpromoted' }),
];

describe('analyse', () => {
  it('measures a clean failover from the fault', () => {
    const events = [
      ...steady,
      redis(1050, 'node1', down),
      redis(1100, 'node2', replicaOf('198.18.0.1', 'down')),
      redis(1100, 'node3', replicaOf('198.18.0.1', 'down')),
      crm(3000, { node1: 'Promoted (failed)', node2: 'Unpromoted', node3: 'Unpromoted' }),
      redis(4000, 'node2', master),
      crm(4200, { node2: 'Promoted', node3: 'Unpromoted' }),
      redis(4300, 'node3', replicaOf('198.18.0.2')),
    ];
    const timeline = analyse(events, { t0: 1000, nodes, port: 6379, survivors: ['node2', 'node3'], oldPrimary: 'node1' });
    expect(timeline).toMatchObject({
      primary: 'node2',
      detectedAfterMs: 2000,
      primaryAfterMs: 3000,
      crmPromotedAfterMs: 3200,
      linkedAfterMs: 3300,
      crmSettledAfterMs: 3200,
      promotions: 1,
      problems: [],
    });
    expect(settledAt(timeline, 1000)).toBe(4300);
  });

  it('counts a flapping primary from the promotion that stuck, a node name as master_host too', () => {
    const events = [
      ...steady,
      redis(1010, 'node1', down),
      redis(1020, 'node2', replicaOf('198.18.0.1', 'down')),
      redis(1020, 'node3', replicaOf('198.18.0.1', 'down')),
      redis(2000, 'node1', master),
      redis(2500, 'node1', replicaOf('no-such-master', 'down')),
      redis(3000, 'node1', master),
      redis(3500, 'node2', replicaOf('node1')),
      redis(3600, 'node3', replicaOf('node1')),
      crm(3700, { node1: 'Promoted', node2: 'Unpromoted', node3: 'Unpromoted' }),
    ];
    const timeline = analyse(events, { t0: 1000, nodes, port: 6379, survivors: ['node1', 'node2', 'node3'] });
    // crm_mon never showed the break: promoted since the fault, as far as it could tell
    expect(timeline).toMatchObject({ primary: 'node1', primaryAfterMs: 2000, linkedAfterMs: 2600, crmPromotedAfterMs: 0, promotions: 2, problems: [] });
  });

  it('says what is left broken', () => {
    const events = [
      ...steady,
      redis(1010, 'node1', down),
      redis(2000, 'node2', master),
      redis(2100, 'node3', replicaOf('no-such-master', 'down')),
      crm(2200, { node2: 'Promoted', node3: 'Unpromoted' }),
    ];
    const timeline = analyse(events, { t0: 1000, nodes, port: 6379, survivors: ['node2', 'node3'] });
    expect(timeline.linkedAfterMs).toBeUndefined();
    expect(timeline.problems).toEqual(['node3 replicates from no-such-master:6379 (link down)']);
    expect(settledAt(timeline, 1000)).toBeUndefined();
    expect(analyse(steady.slice(1), { t0: 1000, nodes, port: 6379, survivors: ['node2', 'node3'] }).problems).toEqual(['no primary among the survivors']);
  });
});

describe('analyse under Sentinel', () => {
  const sentinels = (t: number, address: string | null, down?: string): ProbeEvent => ({
    t,
    kind: 'sentinel',
    masters: Object.fromEntries(nodes.map((n) => [n.name, n.name === down ? null : address])),
  });

  it("takes the Sentinels' view as the manager's: agreed once every answering Sentinel names the new primary", () => {
    const events = [
      ...steady.slice(0, 3),
      sentinels(0, '198.18.0.1:6379'),
      redis(1050, 'node1', down),
      sentinels(1100, '198.18.0.1:6379', 'node1'),
      redis(6000, 'node2', master),
      { t: 6100, kind: 'sentinel', masters: { node2: '198.18.0.2:6379', node3: '198.18.0.1:6379', node1: null } } as ProbeEvent,
      sentinels(6300, '198.18.0.2:6379', 'node1'),
      redis(6400, 'node3', replicaOf('198.18.0.2')),
    ];
    const timeline = analyse(events, { t0: 1000, nodes, port: 6379, survivors: ['node2', 'node3'], oldPrimary: 'node1', manager: 'sentinel' });
    expect(timeline).toMatchObject({ primary: 'node2', primaryAfterMs: 5000, crmPromotedAfterMs: 5300, linkedAfterMs: 5400, crmSettledAfterMs: 5300, problems: [] });
    expect(timeline.detectedAfterMs).toBeUndefined();
  });
});

describe('twoMasters', () => {
  it('measures the periods in which two servers answer role:master, cut to the window', () => {
    const events = [
      ...steady,
      redis(1000, 'node2', master), // promoted while node1 still answers as a primary
      redis(3000, 'node1', replicaOf('198.18.0.2')),
      redis(5000, 'node3', master),
      redis(5500, 'node3', replicaOf('198.18.0.2')),
      redis(9000, 'node1', master),
    ];
    expect(twoMasters(events, 500, 10_000)).toEqual({ totalMs: 3500, longestMs: 2000, periods: [[1000, 3000], [5000, 5500], [9000, 10_000]] });
    expect(twoMasters(events, 2000, 4000).periods).toEqual([[2000, 3000]]);
    expect(twoMasters(steady, 0, 10_000)).toEqual({ totalMs: 0, longestMs: 0, periods: [] });
  });
});
