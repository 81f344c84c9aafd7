import { describe, expect, it } from 'vitest';
import { parseInfo } from '../info.ts';
import type { InstanceState } from '../state.ts';
import { desiredScore, primaryScore, SCORE, type ScoreOptions } from './score.ts';

const o: ScoreOptions = { node: 'node1', maxLagMs: 30_000, waitLastKnownPrimary: false, replicaPriority: 100 };
const info = (lines: string[]) => parseInfo(lines.join('\n'));
const waiting = (last?: string): InstanceState => ({ target: null, targetSince: 0, promoted: false, lastPrimary: last });
const following: InstanceState = { target: { node: 'node2', host: '10.0.0.2', port: 6379 }, targetSince: 0, promoted: false };
const placeholder = ['role:slave', 'master_host:127.0.0.1', 'master_port:0', 'master_link_status:down'];
const replica = ['role:slave', 'master_host:10.0.0.2', 'master_port:6379'];

describe('desiredScore', () => {
  it('the primary keeps the top score', () => {
    expect(desiredScore(info(['role:master']), undefined, o)).toEqual({ set: SCORE.PRIMARY, why: 'primary' });
  });

  it('a primary scores 1000 + its promotion generation: after a heal, the one promoted last ranks first', () => {
    expect(primaryScore(undefined)).toBe(SCORE.PRIMARY);
    expect(primaryScore(1)).toBe(1001);
    expect(primaryScore(8)).toBe(1008);
    expect(primaryScore(5_000_000)).toBe(999_999);
    const promoted: InstanceState = { target: null, targetSince: 0, promoted: true, generation: 8 };
    expect(desiredScore(info(['role:master']), promoted, o)).toEqual({ set: 1008, why: 'primary' });
  });

  it('a replica that refused a stale primary keeps its score', () => {
    const refused: InstanceState = { ...following, refusedPrimary: { node: 'node1', problem: 'x', since: 0 } };
    expect(desiredScore(info([...replica, 'master_link_status:up']), refused, o)).toEqual({ keep: true });
  });

  it('an up-to-date replica: 1000; one that lags: none', () => {
    expect(desiredScore(info([...replica, 'master_link_status:up', 'master_last_io_seconds_ago:2']), following, o)).toEqual({ set: 1000, why: 'replica in sync' });
    expect(desiredScore(info([...replica, 'master_link_status:up', 'master_last_io_seconds_ago:31']), following, o)).toEqual({
      remove: true,
      why: 'lagging: nothing from the primary for 31 s',
    });
  });

  it('never synced: none; synced then cut off: unchanged (it may hold the newest data)', () => {
    expect(desiredScore(info([...replica, 'master_link_status:down', 'master_link_down_since_seconds:-1']), following, o)).toEqual({
      remove: true,
      why: 'never completed a sync since it started',
    });
    expect(desiredScore(info([...replica, 'master_link_status:down', 'master_link_down_since_seconds:5']), following, o)).toEqual({ keep: true });
  });

  it('no primary running: the last primary with data, then data, then empty', () => {
    expect(desiredScore(info([...placeholder, 'db0:keys=3,expires=0']), waiting('node1'), o)).toMatchObject({ set: SCORE.LAST_PRIMARY });
    expect(desiredScore(info([...placeholder, 'db0:keys=3,expires=0']), waiting('node2'), o)).toMatchObject({ set: SCORE.HAS_DATA });
    expect(desiredScore(info(placeholder), waiting('node1'), o)).toMatchObject({ set: SCORE.EMPTY });
    expect(desiredScore(info([...placeholder, 'db0:keys=3,expires=0']), waiting('node2'), { ...o, waitLastKnownPrimary: true })).toEqual({
      remove: true,
      why: 'waiting for the last primary node2 (wait_last_known_master)',
    });
  });

  it('replica-priority 0 means never promote, as in Redis', () => {
    expect(desiredScore(info([...replica, 'master_link_status:up']), following, { ...o, replicaPriority: 0 })).toEqual({ remove: true, why: 'replica-priority is 0' });
  });

  it('loading: no news', () => {
    expect(desiredScore(info([...replica, 'loading:1']), following, o)).toEqual({ keep: true });
  });
});
