import { describe, expect, it } from 'vitest';
import type { ProbeEvent, RedisView } from '../probe/protocol.ts';
import type { RunRecord } from './record.ts';
import { timelineSvg } from './svg.ts';

const master: RedisView = { reachable: true, role: 'master', replicas: 1 };
const replicaOf = (host: string): RedisView => ({ reachable: true, role: 'slave', masterHost: host, masterPort: 6379, link: 'up' });
const redis = (t: number, node: string, view: RedisView): ProbeEvent => ({ t, kind: 'redis', node, view });

// a split brain as the watcher records it: node1 goes on answering as a primary after node2 is promoted
const record: RunRecord = {
  agent: 'heartbeat',
  fault: 'split',
  run: 1,
  events: [
    redis(0, 'node1', master),
    redis(0, 'node2', replicaOf('198.18.0.1')),
    { t: 0, kind: 'crm', roles: { node1: 'Promoted', node2: 'Unpromoted' } },
    redis(5000, 'node2', master),
    { t: 5200, kind: 'crm', roles: { node2: 'Promoted' } },
    redis(12_000, 'node1', replicaOf('198.18.0.2')),
    { t: 12_300, kind: 'crm', roles: { node1: 'Unpromoted (failed)', node2: 'Promoted' } },
  ],
  acks: [100, 200, 300, 5100, 5200, 12_500],
  result: {
    agent: 'heartbeat',
    fault: 'split',
    oldPrimary: 'node1',
    faultAt: 1000,
    endedAt: 10_000,
    stats: {},
    timeline: { promotions: 1, problems: [], end: {}, endRoles: {} },
    writer: { attempted: 6, acknowledged: 6, failed: 0 },
  },
};

describe('timelineSvg', () => {
  const svg = timelineSvg([{ record, title: 'heartbeat/redis <run 1>' }]);

  it('is one standalone SVG document, text escaped', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('heartbeat/redis &lt;run 1&gt;');
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it('draws each state, the manager view, the fault, its end and the two-masters period', () => {
    expect(svg).toContain('<title>primary, 1 replica(s) connected</title>');
    expect(svg).toContain('<title>replica of node1, link up</title>');
    expect(svg).toContain('<title>replica of node2, link up</title>');
    expect(svg).toContain('<title>crm_mon: Unpromoted (failed)</title>');
    expect(svg).toContain('>fault</text>');
    expect(svg).toContain('>fault ends</text>');
    expect(svg).toContain('<title>two servers answer role:master: 7.0 s</title>');
  });
});
