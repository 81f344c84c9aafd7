import { OcfError, localNodeName, setPrivateAttribute } from '@ocfkit/runtime';
import { readPromotionRecord } from '../cluster/promotion-record.ts';
import { refusalReason, staleTarget } from '../cluster/split-brain.ts';
import { primaryNow, readTransition, type Transition } from '../cluster/transition.ts';
import type { RedisInfo } from '../info.ts';
import { loadInstance, type Instance, type RedisContext } from '../instance.ts';
import type { RedisClient } from '../resp/client.ts';
import { follow } from '../replication/follow.ts';
import { formatPosition, positionAttribute, positionOf } from '../replication/position.ts';
import { describeTarget, resolveTarget } from '../replication/target.ts';
import { isNotListening } from '../resp/errors.ts';
import { connectLocal, readInfo } from '../server/local-client.ts';
import { readState, writeState, type InstanceState, type ReplicaTarget } from '../state.ts';

/**
 * pre-promote: a promotion comes, so the primary this replica may still be linked to is on its way
 * out (failed, cut off, being demoted). Detach now (REPLICAOF the placeholder; the data stays):
 * a primary that is cut off from the cluster but not from clients (its node's corosync frozen)
 * would otherwise go on sending writes that this replica acknowledges (WAIT) and that the new
 * primary never gets, and this replica's recorded position would be out of date at once. The
 * post-promote notification points it at the new primary (a partial resync: same history).
 */
async function detachForPromotion(ctx: RedisContext, client: RedisClient, instance: Instance, info: RedisInfo): Promise<RedisInfo> {
  if (!(await follow(client, instance, info, null))) return info;
  ctx.log.info(`detached from ${info.masterHost ?? '?'}:${info.masterPort ?? '?'} for the promotion to come (replication offset ${info.slaveReplOffset ?? '?'})`);
  const state = await readState(instance.paths.state);
  await writeState(instance.paths.state, { ...(state ?? { promoted: false }), target: null, targetSince: Date.now(), promoted: false, unreachablePrimary: undefined });
  return readInfo(client, instance);
}

/**
 * A healed split brain: Pacemaker may keep the stale primary and point every replica at it. A
 * replica never follows a primary older than the newest recorded promotion while that one's node
 * still runs an instance: it stays as it is (its data intact) and says so in its state; the stale
 * primary fails its next monitor and Pacemaker demotes it. True when it refused.
 */
async function refuseStale(
  ctx: RedisContext,
  statePath: string,
  state: InstanceState | undefined,
  primary: string,
  transition: Transition | undefined,
): Promise<boolean> {
  const newer = staleTarget(await readPromotionRecord(ctx), primary, transition);
  if (!newer) return false;
  const problem = refusalReason(newer, primary);
  ctx.log.warn(problem);
  const since = state?.refusedPrimary?.node === primary ? state.refusedPrimary.since : Date.now();
  await writeState(statePath, {
    ...(state ?? { target: null, targetSince: Date.now() }),
    promoted: false,
    lastPrimary: newer.node,
    unreachablePrimary: undefined,
    refusedPrimary: { node: primary, problem, since },
  });
  return true;
}

/**
 * pre-promote: detach (see detachForPromotion), then record this node's replication position
 * (private attribute), for the promoting node's last check. post-*: point this replica at the primary Pacemaker has now, at once:
 * REPLICAOF and return, no waiting for the sync (the monitor follows it, degraded until linked).
 * Notify never fails (Pacemaker ignores it anyway); problems are logged.
 */
export async function notify(ctx: RedisContext): Promise<void> {
  const n = ctx.meta.notification;
  if (!n || !ctx.meta.promotable) return;
  const wanted = (n.type === 'pre' && n.operation === 'promote') || n.type === 'post';
  if (!wanted) return;

  const instance = await loadInstance(ctx);
  const node = await localNodeName(ctx);
  let client;
  try {
    client = await connectLocal(ctx, instance);
  } catch (error) {
    if (isNotListening(error)) return; // not running here: nothing to record, nothing to re-point
    throw error;
  }
  try {
    const info = await readInfo(client, instance);
    if (n.type === 'pre') {
      if (info.role !== 'slave') return;
      const final = await detachForPromotion(ctx, client, instance, info);
      const position = positionOf(final, Date.now());
      if (position) await setPrivateAttribute(ctx, node, positionAttribute(ctx), formatPosition(position));
      return;
    }

    const transition = readTransition(ctx.env);
    const primary = transition ? primaryNow(transition, n.operation === 'promote') : undefined;
    const state = await readState(instance.paths.state);
    const lastPrimary = n.operation === 'promote' && primary !== undefined ? primary : state?.lastPrimary;
    if (primary === node || info.role !== 'slave') {
      if (state && lastPrimary !== state.lastPrimary) await writeState(instance.paths.state, { ...state, lastPrimary });
      return;
    }
    if (primary !== undefined && (await refuseStale(ctx, instance.paths.state, state, primary, transition))) return;
    let target: ReplicaTarget | null = null;
    if (primary !== undefined) {
      try {
        target = await resolveTarget(ctx, instance.config, primary);
      } catch (error) {
        // remembered, so that the monitor reports it (degraded, then failed) instead of a waiting replica
        const problem = error instanceof OcfError ? error.reason : String(error);
        await writeState(instance.paths.state, {
          ...(state ?? { promoted: false }),
          target: null,
          targetSince: Date.now(),
          promoted: false,
          lastPrimary,
          unreachablePrimary: { node: primary, problem },
        });
        throw error;
      }
    }
    const changed = await follow(client, instance, info, target);
    if (changed) ctx.log.info(target ? `following the new primary ${describeTarget(target)}` : 'no primary now: waiting for a promotion');
    const sameTarget = state !== undefined && JSON.stringify(state.target) === JSON.stringify(target);
    const next: InstanceState = {
      ...(state ?? { promoted: false }),
      target,
      targetSince: sameTarget && !changed ? state!.targetSince : Date.now(),
      promoted: false,
      lastPrimary,
      unreachablePrimary: undefined,
      refusedPrimary: undefined,
    };
    await writeState(instance.paths.state, next);
  } catch (error) {
    throw error instanceof OcfError ? error : OcfError.generic(`notify ${n.type}-${n.operation}: ${(error as Error).message}`);
  } finally {
    client.close();
  }
}
