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
  /** The running primary: stay where you are. */
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
  if (info.role === 'master') return { set: SCORE.PRIMARY, why: 'primary' };
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
