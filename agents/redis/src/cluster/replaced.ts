import { deletePromotionScore, localNodeName } from '@ocfkit/runtime';
import type { RedisContext, Instance } from '../instance.ts';
import { writeState, type InstanceState } from '../state.ts';
import type { RedisInfo } from '../info.ts';
import { readPromotionRecord } from './promotion-record.ts';
import { replacedBy, replacedReason } from './split-brain.ts';

/**
 * The monitor of a running primary: was another node promoted after this one (a partition that
 * healed)? Then this primary is stale: it gives up its promotion score, so that Pacemaker keeps
 * the newer one, and returns the reason its monitor fails with (OCF_FAILED_PROMOTED); undefined
 * while it is the newest. One crm_attribute query per promoted monitor: a heal is visible nowhere
 * else, and a partitioned node reads its own copy of the CIB, so this cannot err towards "stale"
 * while cut off. Skipped (no fork) while every other instance replicates from this primary.
 */
export async function staleness(ctx: RedisContext, instance: Instance, info: RedisInfo, state: InstanceState | undefined): Promise<string | undefined> {
  // Every other instance replicating from this primary: nobody was promoted elsewhere, since a
  // promotion detaches the replicas first (pre-promote). The healthy case costs no fork.
  const online = info.replicas.filter((r) => r.state === 'online').length;
  if (ctx.meta.cloneMax !== undefined && online >= ctx.meta.cloneMax - 1) return undefined;
  const node = await localNodeName(ctx);
  const newer = replacedBy(await readPromotionRecord(ctx), node);
  if (!newer) return undefined;
  if (state?.score !== null) {
    await deletePromotionScore(ctx, node);
    ctx.log.warn(`promotion score ${state?.score ?? 'unknown'} -> none: replaced by ${newer.node}`);
  }
  if (state?.score !== null || state.lastPrimary !== newer.node) {
    const base: InstanceState = state ?? { target: null, targetSince: Date.now(), promoted: true };
    await writeState(instance.paths.state, { ...base, score: null, lastPrimary: newer.node });
  }
  return replacedReason(newer, node);
}
