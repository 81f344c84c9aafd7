import { OcfError, localNodeName, setPrivateAttribute } from '@ocfkit/runtime';
import { primaryNow, readTransition } from '../cluster/transition.ts';
import { loadInstance, type RedisContext } from '../instance.ts';
import { follow } from '../replication/follow.ts';
import { formatPosition, positionAttribute, positionOf } from '../replication/position.ts';
import { describeTarget, resolveTarget } from '../replication/target.ts';
import { isNotListening } from '../resp/errors.ts';
import { connectLocal, readInfo } from '../server/connect.ts';
import { readState, writeState, type InstanceState, type ReplicaTarget } from '../state.ts';

/**
 * pre-promote: record this node's replication position (private attribute), for the promoting
 * node's last check. post-*: point this replica at the primary Pacemaker has now, at once:
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
      const position = positionOf(info, Date.now());
      if (position && info.role === 'slave') await setPrivateAttribute(ctx, node, positionAttribute(ctx), formatPosition(position));
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
    };
    await writeState(instance.paths.state, next);
  } catch (error) {
    throw error instanceof OcfError ? error : OcfError.generic(`notify ${n.type}-${n.operation}: ${(error as Error).message}`);
  } finally {
    client.close();
  }
}
