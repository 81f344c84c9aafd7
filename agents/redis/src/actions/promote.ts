import { OCF, OcfError, localNodeName, queryPrivateAttribute, deletePromotionScore, setPromotionScore } from '@ocfkit/runtime';
import { writeLastPrimary } from '../cluster/last-primary.ts';
import { describeRecord, readPromotionRecord, recordPromotion, type PromotionRecord } from '../cluster/promotion-record.ts';
import type { RedisInfo } from '../info.ts';
import { loadInstance, type Instance, type RedisContext } from '../instance.ts';
import { requireCommand } from '../replication/follow.ts';
import { furthestAhead, parsePosition, POSITION_MAX_AGE_MS, positionAttribute, positionOf } from '../replication/position.ts';
import { historyOf, holdsHistory } from '../replication/history.ts';
import { applyIsolationGuard } from '../replication/isolation-guard.ts';
import { primaryScore, SCORE } from '../replication/score.ts';
import type { RedisClient } from '../resp/client.ts';
import { isNotListening } from '../resp/errors.ts';
import { connectLocal, readInfo } from '../server/local-client.ts';
import { readState, writeState } from '../state.ts';

export function requirePromotable(ctx: RedisContext, action: string): void {
  if (!ctx.meta.promotable) {
    throw OcfError.unimplemented(`${action}: this resource is not a promotable clone (create it with "promotable", promoted-max > 0)`);
  }
}

export async function connectRunning(ctx: RedisContext, instance: Instance, action: string): Promise<RedisClient> {
  try {
    return await connectLocal(ctx, instance);
  } catch (error) {
    if (isNotListening(error)) throw new OcfError(OCF.NOT_RUNNING, `${action}: redis is not running (${(error as Error).message})`);
    throw OcfError.generic(`${action}: ${(error as Error).message}`);
  }
}

/** True when this replica holds nothing it got from a primary. */
function neverSynced(info: RedisInfo): boolean {
  return info.masterLinkStatus !== 'up' && (info.masterLinkDownSinceSeconds ?? -1) < 0 && info.keys === 0;
}

/**
 * PAF's last check, just before REPLICAOF NO ONE: scores can be stale, so compare this node's
 * replication position with what the other replicas recorded in the pre-promote notification.
 * If one holds more of the same history, make it the preferred candidate and refuse: Pacemaker
 * then promotes that one instead, and no acknowledged write is lost to a stale promotion.
 */
async function checkNotBehind(ctx: RedisContext, node: string, info: RedisInfo, recorded: ReadonlyMap<string, string>): Promise<void> {
  const now = Date.now();
  const own = positionOf(info, now);
  const peers = [...recorded.keys()].filter((n) => n !== node);
  if (peers.length === 0) {
    if (ctx.meta.notifyEnabled) ctx.log.info('no replication positions recorded by other nodes: nothing to compare');
    return;
  }
  if (own && !neverSynced(info)) {
    const ahead = furthestAhead(own, recorded, peers, now);
    if (!ahead) return;
    await setPromotionScore(ctx, ahead.node, SCORE.REPLICA);
    await deletePromotionScore(ctx, node);
    throw OcfError.generic(
      `not promoting ${node}: ${ahead.node} holds more data (replication offset ${ahead.position.offset} > ${own.offset}); raised ${ahead.node}'s promotion score`,
    );
  }
  // an empty replica that never synced is never promoted over one with replicated data
  const withData = peers.find((n) => {
    const position = parsePosition(recorded.get(n)!);
    return position !== undefined && now - position.at <= POSITION_MAX_AGE_MS && position.keys > 0;
  });
  if (withData) {
    await setPromotionScore(ctx, withData, SCORE.REPLICA);
    await deletePromotionScore(ctx, node);
    throw OcfError.generic(`not promoting ${node}: it never completed a sync and holds no data, while ${withData} does; raised ${withData}'s promotion score`);
  }
}

/**
 * Before the offsets (which compare only within one history): does this server hold the history
 * of the newest recorded promotion? One that does not (it resynchronised from a stale primary, or
 * restarted empty) never saw the writes made since; if a live peer holds that history, it is the
 * one to promote.
 */
async function checkHoldsNewest(ctx: RedisContext, node: string, info: RedisInfo, record: PromotionRecord | undefined, recorded: ReadonlyMap<string, string>): Promise<void> {
  if (!record || record.node === node || record.replid === '-' || holdsHistory(historyOf(info), record.replid)) return;
  const now = Date.now();
  const fresh = (n: string) => {
    const position = recorded.has(n) ? parsePosition(recorded.get(n)!) : undefined;
    return position !== undefined && now - position.at <= POSITION_MAX_AGE_MS && position.replid === record.replid ? n : undefined;
  };
  const holder = fresh(record.node) ?? [...recorded.keys()].find((n) => n !== node && fresh(n));
  if (!holder) {
    ctx.log.warn(`promoting ${node}, which does not hold the history of ${describeRecord(record)}: no live replica holds it`);
    return;
  }
  await setPromotionScore(ctx, holder, SCORE.REPLICA);
  await deletePromotionScore(ctx, node);
  throw OcfError.generic(
    `not promoting ${node}: it does not hold the history of the newest primary (${describeRecord(record)}), which ${holder} does; raised ${holder}'s promotion score`,
  );
}

/** Promote: REPLICAOF NO ONE only after checking this instance is not behind another live one. */
export async function promote(ctx: RedisContext): Promise<void> {
  requirePromotable(ctx, 'promote');
  const instance = await loadInstance(ctx);
  const node = await localNodeName(ctx);
  const client = await connectRunning(ctx, instance, 'promote');
  const state = await readState(instance.paths.state);
  const previous = await readPromotionRecord(ctx);
  let record: PromotionRecord | undefined;
  try {
    let info = await readInfo(client, instance);
    if (info.loading) throw OcfError.generic('promote: redis is still loading its dataset');
    const samePromotion = info.role === 'master' && previous?.node === node && state?.generation === previous.generation;
    if (info.role !== 'master') {
      const recorded = await queryPrivateAttribute(ctx, positionAttribute(ctx));
      await checkHoldsNewest(ctx, node, info, previous, recorded);
      await checkNotBehind(ctx, node, info, recorded);
      await client.command([requireCommand(instance.config, 'REPLICAOF'), 'NO', 'ONE'], { label: 'REPLICAOF NO ONE' });
      info = await readInfo(client, instance);
      if (info.role !== 'master') throw OcfError.generic(`promote: REPLICAOF NO ONE answered, but redis is still a ${info.role ?? 'server of unknown role'}`);
      ctx.log.info(`promoted: primary at replication offset ${info.masterReplOffset ?? '?'}`);
    } else {
      ctx.log.info('already a primary');
    }
    await applyIsolationGuard(ctx, client, instance);
    // recorded before promote returns: the post-promote notifications, and after a partition
    // heals the stale primary, read it (see cluster/promotion-record.ts)
    try {
      // A primary without a backlog (it never replicated: a new cluster) takes yet another id when
      // its first replica attaches: its history is not known yet, so none is recorded ('-')
      const replid = info.fields.get('repl_backlog_active') === '1' ? (info.masterReplid ?? '-') : '-';
      record = samePromotion ? previous : await recordPromotion(ctx, node, replid, previous);
    } catch (error) {
      throw OcfError.generic(
        `promote: ${node} is a primary now, but ${(error as OcfError).reason ?? String(error)}: without it a healed partition could keep a stale primary`,
      );
    }
  } finally {
    client.close();
  }
  // the newest data is here from now on: the node a cluster bootstrap should prefer
  await writeLastPrimary(ctx, node).catch((error: unknown) => ctx.log.warn(`could not record ${node} as the last primary: ${(error as Error).message}`));
  const score = primaryScore(record?.generation);
  await setPromotionScore(ctx, node, score);
  ctx.log.info(`recorded as ${record ? describeRecord(record) : 'a primary'}; promotion score ${score}`);
  await writeState(instance.paths.state, {
    ...state,
    target: null,
    targetSince: Date.now(),
    promoted: true,
    score,
    lastPrimary: node,
    unreachablePrimary: undefined,
    refusedPrimary: undefined,
    generation: record?.generation,
  });
}
