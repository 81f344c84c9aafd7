import { OcfError, localNodeName, stopOwned } from '@ocfkit/runtime';
import { readLastPrimary } from '../cluster/last-primary.ts';
import { readPromotionRecord } from '../cluster/promotion-record.ts';
import { refusalReason, staleTarget } from '../cluster/split-brain.ts';
import { primaryNow, readTransition } from '../cluster/transition.ts';
import { loadInstance, type Instance, type RedisContext } from '../instance.ts';
import { applyScore } from '../replication/apply-score.ts';
import { ensureReplicationAuth, follow } from '../replication/follow.ts';
import { desiredScore } from '../replication/score.ts';
import { describeTarget, resolveTarget } from '../replication/target.ts';
import { readInfo } from '../server/local-client.ts';
import { launch } from '../server/launch.ts';
import { locateServer, recordOf } from '../server/locate.ts';
import { waitReady, type Ready } from '../server/wait-ready.ts';
import { writeState, type ReplicaTarget } from '../state.ts';

/**
 * Whom a starting replica follows: the primary Pacemaker keeps running through this transition
 * (the notify variables it passes to start), else nobody yet: a promotion follows, and its
 * post-promote notification points every replica at the new primary.
 */
async function initialTarget(ctx: RedisContext, instance: Instance, node: string): Promise<ReplicaTarget | null> {
  const transition = readTransition(ctx.env);
  const primary = transition ? primaryNow(transition, false) : undefined;
  if (primary === undefined || primary === node) return null;
  // after a healed split brain the notify variables may still name the stale primary: a replica
  // that followed it would discard the newest primary's writes (see notify)
  const newer = staleTarget(await readPromotionRecord(ctx), primary, transition);
  if (newer) {
    ctx.log.warn(refusalReason(newer, primary));
    return null;
  }
  return resolveTarget(ctx, instance.config, primary);
}

/** A promotable instance leaves start as a replica, authenticated to its primary, with its score set. */
async function settleAsReplica(ctx: RedisContext, instance: Instance, ready: Ready, node: string, target: ReplicaTarget | null): Promise<void> {
  const { client } = ready;
  await ensureReplicationAuth(client, instance);
  if (ready.info.role === 'master') ctx.log.warn('redis was running as a primary: start leaves it a replica (Pacemaker promotes)');
  if (await follow(client, instance, ready.info, target)) {
    ctx.log.info(target ? `replica of ${describeTarget(target)}` : 'replica waiting for a primary to be promoted');
  }
  const lastPrimary = await readLastPrimary(ctx);
  const info = await readInfo(client, instance);
  const state = { target, targetSince: Date.now(), promoted: false, lastPrimary };
  const decision = desiredScore(info, state, {
    node,
    maxLagMs: ctx.params.max_replica_lag,
    waitLastKnownPrimary: ctx.params.wait_last_known_master,
    replicaPriority: instance.config.replicaPriority,
  });
  // a score left from before this start says nothing about this dataset: always set or clear it
  const score = await applyScore(ctx, node, 'keep' in decision ? { remove: true, why: 'just started' } : decision, undefined);
  await writeState(instance.paths.state, { ...state, score });
}

/** Time a failed start gives the server it launched to exit on SIGTERM (a save) before SIGKILL. */
const FAILED_START_GRACE_MS = 5000;

/** Launch redis-server and wait until it is ready; a start that fails leaves nothing it launched running. */
async function launchReady(ctx: RedisContext, instance: Instance, target: ReplicaTarget | null | undefined): Promise<Ready> {
  const launched = await launch(ctx, instance, target);
  try {
    return await waitReady(ctx, instance, { launched });
  } catch (error) {
    const { signalled } = await stopOwned(recordOf(instance.paths), { graceMs: FAILED_START_GRACE_MS, signal: ctx.signal });
    if (signalled.length > 0) ctx.log.warn(`start failed: stopped what it launched (pid ${signalled.map((id) => id.pid).join(', ')})`);
    throw error;
  }
}

/**
 * Start returns once Redis answers with its dataset loaded (start must not return before monitor
 * would succeed), bounded by the action's deadline, logging the loading's progress. Already
 * running is success.
 */
export async function start(ctx: RedisContext): Promise<void> {
  const instance = await loadInstance(ctx);
  const promotable = ctx.meta.promotable;
  const node = promotable ? await localNodeName(ctx) : undefined;
  const target = node === undefined ? undefined : await initialTarget(ctx, instance, node);

  const running = await locateServer(ctx, instance, instance.paths);
  if (running !== undefined) ctx.log.info(`redis-server already running (pid ${running.pid})`);
  const ready = running ? await waitReady(ctx, instance, { running }) : await launchReady(ctx, instance, target);
  try {
    if (node !== undefined) await settleAsReplica(ctx, instance, ready, node, target ?? null);
  } catch (error) {
    throw error instanceof OcfError ? error : OcfError.generic(`redis started, but ${(error as Error).message}`, { cause: error });
  } finally {
    ready.client.close();
  }
  ctx.log.info(`redis-server ready (pid ${ready.server.pid})`);
}
