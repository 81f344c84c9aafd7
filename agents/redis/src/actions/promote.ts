import { OCF, OcfError, localNodeName, queryPrivateAttribute, deletePromotionScore, setPromotionScore } from '@ocfkit/runtime';
import { writeLastPrimary } from '../cluster/last-primary.ts';
import type { RedisInfo } from '../info.ts';
import { loadInstance, type Instance, type RedisContext } from '../instance.ts';
import { requireCommand } from '../replication/follow.ts';
import { furthestAhead, parsePosition, POSITION_MAX_AGE_MS, positionAttribute, positionOf } from '../replication/position.ts';
import { SCORE } from '../replication/score.ts';
import type { RedisClient } from '../resp/client.ts';
import { isNotListening } from '../resp/errors.ts';
import { connectLocal, readInfo } from '../server/connect.ts';
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
async function checkNotBehind(ctx: RedisContext, node: string, info: RedisInfo): Promise<void> {
  const now = Date.now();
  const own = positionOf(info, now);
  const recorded = await queryPrivateAttribute(ctx, positionAttribute(ctx));
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

/** Promote: REPLICAOF NO ONE only after checking this instance is not behind another live one. */
export async function promote(ctx: RedisContext): Promise<void> {
  requirePromotable(ctx, 'promote');
  const instance = await loadInstance(ctx);
  const node = await localNodeName(ctx);
  const client = await connectRunning(ctx, instance, 'promote');
  try {
    let info = await readInfo(client, instance);
    if (info.loading) throw OcfError.generic('promote: redis is still loading its dataset');
    if (info.role !== 'master') {
      await checkNotBehind(ctx, node, info);
      await client.command([requireCommand(instance.config, 'REPLICAOF'), 'NO', 'ONE'], { label: 'REPLICAOF NO ONE' });
      info = await readInfo(client, instance);
      if (info.role !== 'master') throw OcfError.generic(`promote: REPLICAOF NO ONE answered, but redis is still a ${info.role ?? 'server of unknown role'}`);
      ctx.log.info(`promoted: primary at replication offset ${info.masterReplOffset ?? '?'}`);
    } else {
      ctx.log.info('already a primary');
    }
  } finally {
    client.close();
  }
  // the newest data is here from now on: the node a cluster bootstrap should prefer
  await writeLastPrimary(ctx, node).catch((error: unknown) => ctx.log.warn(`could not record ${node} as the last primary: ${(error as Error).message}`));
  await setPromotionScore(ctx, node, SCORE.PRIMARY);
  const state = await readState(instance.paths.state);
  await writeState(instance.paths.state, {
    ...state,
    target: null,
    targetSince: Date.now(),
    promoted: true,
    score: SCORE.PRIMARY,
    lastPrimary: node,
    unreachablePrimary: undefined,
  });
}
