import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodesRunning, parseCrmMon } from './crm-mon.ts';

// Captured from a 3-node lab (Pacemaker 2.1.5) seconds after node3 was crashed: a primitive, a
// promotable clone and a plain clone.
const xml = readFileSync(new URL('../tests/fixtures/crm-mon-node3-crashed.xml', import.meta.url), 'utf8');

describe('parseCrmMon', () => {
  it('reads the DC, quorum and each node state', () => {
    const view = parseCrmMon(xml);
    expect(view.dc).toBe('node2');
    expect(view.quorum).toBe(true);
    expect(view.nodes.map((n) => [n.name, n.online, n.isDc])).toEqual([
      ['node1', true, false],
      ['node2', true, true],
      ['node3', false, false],
    ]);
  });

  it('lists every resource instance with its role, clone parent and nodes', () => {
    const view = parseCrmMon(xml);
    expect(view.resources[0]).toEqual({
      id: 'd', agent: 'ocf:heartbeat:Dummy', role: 'Started', active: true, failed: false, nodes: ['node1'],
    });
    const stateful = view.resources.filter((r) => r.id === 's');
    expect(stateful.map((r) => [r.parent, r.role, r.nodes])).toEqual([
      ['s-clone', 'Promoted', ['node1']],
      ['s-clone', 'Unpromoted', ['node2']],
      ['s-clone', 'Stopped', []],
    ]);
    expect(nodesRunning(view, 'c')).toEqual(['node1', 'node2']);
  });

  it('reports no DC while none is elected', () => {
    const view = parseCrmMon('<pacemaker-result><summary><current_dc present="false"/></summary><nodes/></pacemaker-result>');
    expect(view.dc).toBeNull();
    expect(view.quorum).toBe(false);
  });

  it('rejects text that is not crm_mon XML', () => {
    expect(() => parseCrmMon('crm_mon: Connection to cluster failed')).toThrow('not crm_mon XML output (no <pacemaker-result>)');
  });
});
