import { describe, expect, it } from 'vitest';
import { refusalReason, replacedBy, replacedReason, staleTarget } from './split-brain.ts';
import type { Transition } from './transition.ts';

const record = { generation: 8, node: 'node2', replid: '5bfb0048e0f3f337373f3b1eb12c2f728057bbd5', at: 0 };
// the heal as Pacemaker 2.1.5 may see it: two promoted, the newer one (node2) being demoted
const heal: Transition = { promoted: ['node1', 'node2'], promote: [], demote: ['node2'], stop: [], start: [], active: ['node1', 'node2', 'node3'], unpromoted: ['node3'] };

describe('split brain rules', () => {
  it('a primary is replaced when the newest promotion names another node', () => {
    expect(replacedBy(record, 'node1')).toBe(record);
    expect(replacedBy(record, 'node2')).toBeUndefined();
    expect(replacedBy(undefined, 'node1')).toBeUndefined();
    expect(replacedReason(record, 'node1')).toBe(
      'this primary on node1 is stale: the cluster promoted node2 after it (promotion 8 of node2 (replication id 5bfb0048e0f3...)), while node1 was cut off; its writes since then are not replicated and will be discarded when it resynchronises from node2',
    );
  });

  it('a replica refuses a primary older than the newest promotion while that one still runs', () => {
    expect(staleTarget(record, 'node1', heal)).toBe(record);
    expect(staleTarget(record, 'node2', heal)).toBeUndefined();
    expect(refusalReason(record, 'node1')).toMatch(/^not following node1: node2 was promoted after it \(promotion 8 of node2 .*\); following node1 would discard the writes made on node2\. Waiting for Pacemaker to demote node1$/);
  });

  it('follows whoever Pacemaker promoted once the newest one is gone (nothing left to keep)', () => {
    const gone: Transition = { ...heal, promoted: ['node1'], demote: [], active: ['node1', 'node3'] };
    expect(staleTarget(record, 'node1', gone)).toBeUndefined();
    expect(staleTarget(record, 'node1', undefined)).toBeUndefined();
    expect(staleTarget(undefined, 'node1', heal)).toBeUndefined();
  });
});
