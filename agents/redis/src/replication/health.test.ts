import { describe, expect, it } from 'vitest';
import { parseInfo } from '../info.ts';
import type { InstanceState } from '../state.ts';
import { assess, linkDownSeconds, type HealthOptions } from './health.ts';

const o: HealthOptions = { promotable: true, linkGraceMs: 60_000, maxLagMs: 30_000, now: 1_000_000 };
const info = (lines: string[]) => parseInfo(lines.join('\r\n'));
const target = { node: 'node2', host: '10.0.0.2', port: 6379 };
const following = (since = o.now - 5000): InstanceState => ({ target, targetSince: since, promoted: false });
const replica = (extra: string[]) => info(['role:slave', 'master_host:10.0.0.2', 'master_port:6379', 'uptime_in_seconds:600', ...extra]);

describe('assess', () => {
  it('a primary: 8 when promotable, 0 as a primitive, 191 when its last snapshot failed', () => {
    expect(assess(info(['role:master']), undefined, o)).toEqual({ ok: true, code: 8 });
    expect(assess(info(['role:master']), undefined, { ...o, promotable: false })).toEqual({ ok: true, code: 0 });
    expect(assess(info(['role:master', 'rdb_last_bgsave_status:err']), undefined, o)).toEqual({
      ok: true,
      code: 191,
      reason: 'the last RDB snapshot failed (rdb_last_bgsave_status:err): writes may be refused',
    });
  });

  it('a replica that refused a stale primary: 0 with the reason for the log within the grace, failed after', () => {
    const refusedPrimary = { node: 'node1', problem: 'not following node1: node2 was promoted after it', since: o.now - 5000 };
    expect(assess(replica(['master_link_status:up']), { ...following(), refusedPrimary }, o)).toEqual({
      ok: true,
      code: 0,
      reason: 'replica not following node1: node2 was promoted after it',
    });
    expect(assess(replica(['master_link_status:up']), { ...following(), refusedPrimary: { ...refusedPrimary, since: o.now - 61_000 } }, o)).toEqual({
      ok: false,
      reason: 'replica not following node1: node2 was promoted after it',
    });
  });

  it('loading: degraded with the progress', () => {
    expect(assess(info(['role:slave', 'loading:1', 'loading_loaded_perc:41.5', 'loading_eta_seconds:17']), undefined, o)).toEqual({
      ok: true,
      code: 190,
      reason: 'loading the dataset: 41.5% done, about 17 s left',
    });
  });

  it('a linked replica of its primary: 0; silent for too long: 190', () => {
    expect(assess(replica(['master_link_status:up', 'master_last_io_seconds_ago:1']), following(), o)).toEqual({ ok: true, code: 0 });
    expect(assess(replica(['master_link_status:up', 'master_last_io_seconds_ago:45']), following(), o)).toEqual({
      ok: true,
      code: 190,
      reason: 'replica lags: nothing from the primary node2 at 10.0.0.2:6379 for 45 s',
    });
  });

  it('a replica whose link is down: 0 with the reason within the grace (not 190: see health.ts), failed after', () => {
    const down = (s: number) => replica(['master_link_status:down', `master_link_down_since_seconds:${s}`]);
    expect(assess(down(12), following(), o)).toEqual({ ok: true, code: 0, reason: 'replica link down for 12 s (primary node2 at 10.0.0.2:6379)' });
    expect(assess(down(61), following(), o)).toEqual({ ok: false, reason: 'replica link down for 61 s (primary node2 at 10.0.0.2:6379)' });
  });

  it('a first sync: counted from when the agent pointed it there', () => {
    const syncing = replica(['master_link_status:down', 'master_sync_in_progress:1', 'master_link_down_since_seconds:-1']);
    expect(assess(syncing, following(o.now - 70_000), o)).toEqual({ ok: false, reason: 'replica sync from node2 at 10.0.0.2:6379 still in progress after 70 s' });
  });

  it('a replica following someone else than the primary: failed, naming both', () => {
    const elsewhere = info(['role:slave', 'master_host:10.0.0.9', 'master_port:6379', 'master_link_status:up']);
    expect(assess(elsewhere, following(), o)).toEqual({ ok: false, reason: 'replica follows 10.0.0.9:6379, not the primary node2 at 10.0.0.2:6379' });
    expect(assess(elsewhere, { target: null, targetSince: 0, promoted: false }, o)).toEqual({ ok: false, reason: 'replica follows 10.0.0.9:6379, but no primary is running' });
  });

  it('waiting for a primary (the placeholder): 0', () => {
    const waiting = info(['role:slave', 'master_host:127.0.0.1', 'master_port:0', 'master_link_status:down']);
    expect(assess(waiting, { target: null, targetSince: 0, promoted: false }, o)).toEqual({ ok: true, code: 0 });
    expect(assess(waiting, undefined, o)).toEqual({ ok: true, code: 0 });
  });

  it('a plain primitive\'s replication is not the agent\'s business', () => {
    expect(assess(replica(['master_link_status:down']), undefined, { ...o, promotable: false })).toEqual({ ok: true, code: 0 });
  });

  it('no role: failed', () => {
    expect(assess(info(['loading:0']), undefined, o)).toEqual({ ok: false, reason: 'INFO does not say whether redis is a primary or a replica (role: missing)' });
  });
});

describe('linkDownSeconds', () => {
  it('prefers Redis\'s count, else the later of the target change and the server start', () => {
    expect(linkDownSeconds(replica(['master_link_down_since_seconds:7']), undefined, o.now)).toBe(7);
    expect(linkDownSeconds(replica(['master_link_down_since_seconds:-1']), following(o.now - 20_000), o.now)).toBe(20);
    expect(linkDownSeconds(replica(['master_link_down_since_seconds:-1']), following(o.now - 2_000_000), o.now)).toBe(600);
  });
});

describe('a primary the replica could not be pointed at', () => {
  it('is reported, degraded within the grace and failed after, never taken for "waiting"', () => {
    const waiting = parseInfo('role:slave\nmaster_host:127.0.0.1\nmaster_port:0\nmaster_link_status:down\n');
    const state = (since: number): InstanceState => ({
      target: null,
      targetSince: since,
      promoted: false,
      unreachablePrimary: { node: 'node2', problem: 'cannot resolve node node2 to an address (ENOTFOUND): add it to node_address_map' },
    });
    const reason = 'replica cannot follow the primary node2: cannot resolve node node2 to an address (ENOTFOUND): add it to node_address_map';
    expect(assess(waiting, state(o.now - 1000), o)).toEqual({ ok: true, code: 190, reason });
    expect(assess(waiting, state(o.now - 61_000), o)).toEqual({ ok: false, reason });
  });
});
