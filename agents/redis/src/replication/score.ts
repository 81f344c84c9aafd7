import type { RedisInfo } from '../info.ts';
import type { InstanceState } from '../state.ts';
import { follows } from './follow.ts';

// Promotion scores, refreshed from replication state, so that Pacemaker starts from the best
// candidate: the primary keeps the top score, an up-to-date replica comes next, and a replica
// that never completed a sync, or lags, gets none (Pacemaker promotes nobody rather than it).
// Scores only change on state changes (no offsets in them), so they do not "cycle" with every
// write: PAF's maintainers warn about scores that change on every monitor.
// The final, exact check happens in promote (see position.ts), as PAF does.

export const SCORE = {
  /** The running primary of the first recorded promotion (see primaryScore). */
  PRIMARY: 1001,
  /** A replica with its link up and no lag. */
  REPLICA: 1000,
  /** No primary runs, and this node was the last one promoted and has data: the newest data. */
  LAST_PRIMARY: 900,
  /** No primary runs; this node has data. */
  HAS_DATA: 100,
  /** No primary runs and no node has data (a new cluster): someone must start. */
  EMPTY: 1,
} as const;

/** Below Pacemaker's INFINITY (1000000), which would tie every primary again. */
const MAX_PRIMARY = 999_999;

/**
 * A primary's score: 1000 + the generation of its promotion (cluster/promotion-record.ts). When a
 * partition heals without fencing, Pacemaker finds two promoted instances and keeps the higher
 * scored one: the primary promoted last. A stale primary cannot lower its own score in time (it
 * learns only at its next monitor, and its node's attrd re-asserts its own value on rejoin), so
 * the newer one must be higher from the start. Constant for the life of a promotion: no cycling.
 */
export function primaryScore(generation: number | undefined): number {
  return generation === undefined || generation < 1 ? SCORE.PRIMARY : Math.min(MAX_PRIMARY, 1000 + generation);
}

/** Set a score, remove it (not promotable), or leave whatever is there (no news about the data). */
export type ScoreDecision = { set: number; why: string } | { remove: true; why: string } | { keep: true };

export interface ScoreOptions {
  node: string;
  maxLagMs: number;
  waitLastKnownPrimary: boolean;
  /** replica-priority from redis.conf: 0 means "never promote this one" (Redis and Sentinel's meaning). */
  replicaPriority: number;
}

export function desiredScore(info: RedisInfo, state: InstanceState | undefined, o: ScoreOptions): ScoreDecision {
  if (info.role === 'master') return { set: primaryScore(state?.generation), why: 'primary' };
  // refused to follow a stale primary: its data is what it was, so is its worth
  if (state?.refusedPrimary && info.role === 'slave') return { keep: true };
  if (o.replicaPriority === 0 || info.slavePriority === 0) return { remove: true, why: 'replica-priority is 0' };
  if (info.loading || info.role !== 'slave') return { keep: true };

  // a primary runs, but this replica could not be pointed at it: nothing new to say about its data
  if (state?.unreachablePrimary) return { keep: true };
  // no primary anywhere: rank by what each node holds, the last primary first
  if (state?.target === null && follows(info, null)) {
    const last = state.lastPrimary;
    if (o.waitLastKnownPrimary && last !== undefined && last !== o.node) {
      return { remove: true, why: `waiting for the last primary ${last} (wait_last_known_master)` };
    }
    if (info.keys === 0) return { set: SCORE.EMPTY, why: 'no primary running; empty dataset' };
    if (last === o.node) return { set: SCORE.LAST_PRIMARY, why: 'no primary running; this node was the last primary' };
    return { set: SCORE.HAS_DATA, why: 'no primary running; dataset present' };
  }

  if (info.masterLinkStatus === 'up') {
    const silentMs = (info.masterLastIoSecondsAgo ?? 0) * 1000;
    if (silentMs > o.maxLagMs) return { remove: true, why: `lagging: nothing from the primary for ${Math.round(silentMs / 1000)} s` };
    return { set: SCORE.REPLICA, why: 'replica in sync' };
  }
  // Redis reports -1 until the first sync since the process started has completed
  if (info.masterLinkDownSinceSeconds === undefined || info.masterLinkDownSinceSeconds < 0) {
    return { remove: true, why: 'never completed a sync since it started' };
  }
  // link lost after a sync: the data is what it was, and so is its worth (the primary may be the one that died)
  return { keep: true };
}
