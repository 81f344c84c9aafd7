import { OCF, type MonitorStatus } from '@ocfkit/runtime';
import type { RedisInfo } from '../info.ts';
import type { InstanceState, ReplicaTarget } from '../state.ts';
import { follows } from './follow.ts';
import { describeTarget, isNoPrimary } from './target.ts';

// What monitor answers for a server that responds, from its INFO and what the agent told it to
// do. The OCF rule: "monitor MUST differentiate running, failed and cleanly stopped"; and ours:
// a replica without its primary is never silently healthy.

export type Verdict =
  | { readonly ok: true; readonly code: MonitorStatus; readonly reason?: string }
  | { readonly ok: false; readonly reason: string };

export interface HealthOptions {
  promotable: boolean;
  /** A replica may be without its link this long (degraded), then it has failed. */
  linkGraceMs: number;
  /** Silence from the primary beyond this is lag (degraded). */
  maxLagMs: number;
  now: number;
}

function where(info: RedisInfo): string {
  const host = info.masterHost ?? '?';
  return `${host.includes(':') ? `[${host}]` : host}:${info.masterPort ?? '?'}`;
}

/** Seconds the link has been down: Redis's own count, else since we pointed it, or since it started. */
export function linkDownSeconds(info: RedisInfo, state: InstanceState | undefined, now: number): number {
  if (info.masterLinkDownSinceSeconds !== undefined && info.masterLinkDownSinceSeconds >= 0) return info.masterLinkDownSinceSeconds;
  const startedAt = info.uptimeSeconds === undefined ? undefined : now - info.uptimeSeconds * 1000;
  const since = Math.max(state?.targetSince ?? 0, startedAt ?? 0);
  return since > 0 ? Math.max(0, Math.round((now - since) / 1000)) : 0;
}

function replicaVerdict(info: RedisInfo, state: InstanceState | undefined, o: HealthOptions): Verdict {
  const refused = state?.refusedPrimary;
  if (refused) {
    // a healed split brain: the stale primary fails its own monitor within one interval and is
    // demoted; 0 meanwhile (not 190, see below: this replica may be the one to promote next)
    const reason = `replica ${refused.problem}`;
    return o.now - refused.since <= o.linkGraceMs ? { ok: true, code: OCF.SUCCESS, reason } : { ok: false, reason };
  }
  const target: ReplicaTarget | null | undefined = state?.target;
  const unreachable = state?.unreachablePrimary;
  if (target === null && unreachable) {
    // Pacemaker has a primary, this replica could not follow it: never "waiting", never silently fine
    const downMs = Math.max(0, o.now - state!.targetSince);
    const reason = `replica cannot follow the primary ${unreachable.node}: ${unreachable.problem}`;
    return downMs <= o.linkGraceMs ? { ok: true, code: OCF.DEGRADED, reason } : { ok: false, reason };
  }
  if (target === null || (target === undefined && isNoPrimary(info.masterHost, info.masterPort))) {
    // no primary runs anywhere: nothing to replicate from, and nothing wrong with this instance
    if (target === null && !follows(info, null)) {
      return { ok: false, reason: `replica follows ${where(info)}, but no primary is running` };
    }
    return { ok: true, code: OCF.SUCCESS };
  }
  if (target !== undefined && !follows(info, target)) {
    return { ok: false, reason: `replica follows ${where(info)}, not the primary ${describeTarget(target)}` };
  }
  const primary = target ? describeTarget(target) : where(info);
  if (info.masterLinkStatus === 'up') {
    const silentMs = (info.masterLastIoSecondsAgo ?? 0) * 1000;
    if (silentMs > o.maxLagMs) {
      return { ok: true, code: OCF.DEGRADED, reason: `replica lags: nothing from the primary ${primary} for ${silentMs / 1000} s` };
    }
    return { ok: true, code: OCF.SUCCESS };
  }
  const down = linkDownSeconds(info, state, o.now);
  const downMs = down * 1000;
  const what = info.masterSyncInProgress
    ? `replica sync from ${primary} still in progress after ${down} s`
    : `replica link down for ${down} s (primary ${primary})`;
  // Within the grace: 0 (the reason goes to the log), not OCF_DEGRADED. Pacemaker 2.1.5 records a
  // 190 as a failed operation, and a new DC cannot confirm the cancel of a failed monitor that the
  // old DC started: when the primary's node was the DC, promoting this replica (which cancels its
  // Unpromoted monitor) then waits for that monitor's timeout plus cluster-delay, 80 s instead of
  // seconds (seen on the 3-node lab: tests/cluster/failover.test.ts).
  return downMs <= o.linkGraceMs ? { ok: true, code: OCF.SUCCESS, reason: what } : { ok: false, reason: what };
}

/** The verdict on a server that answered INFO. */
export function assess(info: RedisInfo, state: InstanceState | undefined, o: HealthOptions): Verdict {
  const promoted = info.role === 'master' && o.promotable;
  if (info.loading) {
    const done = info.loadingLoadedPerc === undefined ? '' : `: ${info.loadingLoadedPerc}% done`;
    const eta = info.loadingEtaSeconds === undefined ? '' : `, about ${info.loadingEtaSeconds} s left`;
    return { ok: true, code: promoted ? OCF.DEGRADED_PROMOTED : OCF.DEGRADED, reason: `loading the dataset${done}${eta}` };
  }
  if (info.role === 'master') {
    if (info.rdbLastSaveFailed) {
      const reason = 'the last RDB snapshot failed (rdb_last_bgsave_status:err): writes may be refused';
      return { ok: true, code: promoted ? OCF.DEGRADED_PROMOTED : OCF.DEGRADED, reason };
    }
    return { ok: true, code: promoted ? OCF.RUNNING_PROMOTED : OCF.SUCCESS };
  }
  if (info.role === 'slave') {
    // a plain primitive's replication is the administrator's business (a static replicaof)
    return o.promotable ? replicaVerdict(info, state, o) : { ok: true, code: OCF.SUCCESS };
  }
  return { ok: false, reason: `INFO does not say whether redis is a primary or a replica (role: ${info.fields.get('role') ?? 'missing'})` };
}
