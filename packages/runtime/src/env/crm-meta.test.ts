import { describe, expect, it } from 'vitest';
import { parseCrmMeta, splitList } from './crm-meta.ts';
import { checkLevel, instanceName, wantsOcf11 } from './instance.ts';

const M = 'OCF_RESKEY_CRM_meta_';

describe('parseCrmMeta', () => {
  it('sees a probe: no interval, no name (as pacemaker-execd sends it)', () => {
    const meta = parseCrmMeta({ [`${M}timeout`]: '20000', [`${M}on_node`]: 'node1' });
    expect(meta).toMatchObject({ timeoutMs: 20000, intervalMs: 0, isProbe: true, onNode: 'node1', promotable: false });
  });
  it('sees a recurring, role-specific monitor', () => {
    const meta = parseCrmMeta({ [`${M}interval`]: '7000', [`${M}role`]: 'Master' });
    expect(meta).toMatchObject({ intervalMs: 7000, isProbe: false, role: 'Promoted' });
  });
  it('detects promotable from promoted_max or legacy master_max (2.1.5 exports no promotable flag)', () => {
    expect(parseCrmMeta({ [`${M}promoted_max`]: '1' }).promotable).toBe(true);
    expect(parseCrmMeta({ [`${M}master_max`]: '1' }).promotable).toBe(true);
    expect(parseCrmMeta({ [`${M}clone_max`]: '3' }).promotable).toBe(false);
  });
  it('parses a notification with " " empty lists and legacy fallbacks', () => {
    const meta = parseCrmMeta({
      [`${M}notify`]: 'true',
      [`${M}notify_type`]: 'pre',
      [`${M}notify_operation`]: 'promote',
      [`${M}notify_promote_resource`]: 'h:0',
      [`${M}notify_promote_uname`]: 'node1',
      [`${M}notify_stop_resource`]: ' ',
      [`${M}notify_stop_uname`]: ' ',
      [`${M}notify_slave_resource`]: 'h:0 h:1 h:2',
      [`${M}notify_slave_uname`]: 'node1 node3 node2',
      [`${M}notify_all_uname`]: 'node1 node2 node3',
    });
    expect(meta.notifyEnabled).toBe(true);
    expect(meta.notification).toMatchObject({
      type: 'pre',
      operation: 'promote',
      promote: { resources: ['h:0'], unames: ['node1'] },
      stop: { resources: [], unames: [] },
      unpromoted: { resources: ['h:0', 'h:1', 'h:2'], unames: ['node1', 'node3', 'node2'] },
      promoted: { resources: [], unames: [] },
      all: ['node1', 'node2', 'node3'],
    });
  });
  it('splits lists, empty for a single space', () => {
    expect(splitList(' ')).toEqual([]);
    expect(splitList('a  b')).toEqual(['a', 'b']);
  });
});

describe('instance, check level, version', () => {
  it('strips a clone suffix from the instance', () => {
    expect(instanceName({ OCF_RESOURCE_INSTANCE: 'redis:2' }, 'redis')).toBe('redis');
    expect(instanceName({}, 'redis')).toBe('redis');
  });
  it('reads OCF_CHECK_LEVEL', () => {
    expect(checkLevel({ OCF_CHECK_LEVEL: '10' })).toBe(10);
    expect(checkLevel({})).toBe(0);
  });
  it('knows when OCF 1.1 metadata is wanted', () => {
    expect(wantsOcf11({ OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1' })).toBe(true);
    expect(wantsOcf11({ OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '0' })).toBe(false);
    expect(wantsOcf11({})).toBe(false);
  });
});
