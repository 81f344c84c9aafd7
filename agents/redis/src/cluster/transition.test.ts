import { describe, expect, it } from 'vitest';
import { primaryNow, readTransition } from './transition.ts';

const env = (lists: Record<string, string>) =>
  Object.fromEntries(Object.entries(lists).map(([k, v]) => [`OCF_RESKEY_CRM_meta_notify_${k}_uname`, v]));

describe('transition', () => {
  it('is undefined without notify variables', () => {
    expect(readTransition({})).toBeUndefined();
  });

  it('reads Pacemaker\'s empty lists (a single space) as empty', () => {
    const t = readTransition(env({ promoted: ' ', promote: ' ', demote: ' ', stop: ' ', start: 'node1 node2', active: ' ', unpromoted: ' ' }))!;
    expect(t.start).toEqual(['node1', 'node2']);
    expect(primaryNow(t, false)).toBeUndefined();
  });

  it('falls back to the legacy master/slave lists', () => {
    const t = readTransition(env({ master: 'node3', slave: 'node1 node2' }))!;
    expect(t.promoted).toEqual(['node3']);
    expect(t.unpromoted).toEqual(['node1', 'node2']);
  });

  it('before the promotion: the primary that stays; after it: the promoted one', () => {
    const failover = readTransition(env({ promoted: 'node1', demote: 'node1', stop: 'node1', promote: 'node2' }))!;
    expect(primaryNow(failover, false)).toBeUndefined();
    expect(primaryNow(failover, true)).toBe('node2');
    const steady = readTransition(env({ promoted: 'node1', start: 'node3', promote: ' ', demote: ' ', stop: ' ' }))!;
    expect(primaryNow(steady, false)).toBe('node1');
  });
});
