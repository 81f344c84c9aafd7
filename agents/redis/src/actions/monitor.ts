import { OCF, OcfError, type MonitorResult, deletePromotionScore, localNodeName } from '@ocfkit/runtime';
import type { RedisInfo } from '../info.ts';
import { loadInstance, pathsOf, type Instance, type Paths, type RedisContext } from '../instance.ts';
import { staleness } from '../cluster/replaced.ts';
import { joinRunningPrimary } from '../cluster/waiting-replica.ts';
import { applyScore } from '../replication/apply-score.ts';
import { assess } from '../replication/health.ts';
import { desiredScore } from '../replication/score.ts';
import { RedisClient } from '../resp/client.ts';
import { isNotListening, RedisError } from '../resp/errors.ts';
import { connectLocal, readInfo } from '../server/local-client.ts';
import { recordedServer } from '../server/locate.ts';
import { readState, writeState, type InstanceState } from '../state.ts';

/**
 * Refresh this node's promotion score from the server's state. Forks crm_attribute only when
 * the score changes; records it so the next monitor knows.
 */
async function refreshScore(ctx: RedisContext, instance: Instance, info: RedisInfo, state: InstanceState | undefined): Promise<void> {
  const node = await localNodeName(ctx);
  const decision = desiredScore(info, state, {
    node,
    maxLagMs: ctx.params.max_replica_lag,
    waitLastKnownPrimary: ctx.params.wait_last_known_master,
    replicaPriority: instance.config.replicaPriority,
  });
  const known = state?.score;
  const now = await applyScore(ctx, node, decision, known);
  if (now !== known) {
    const base: InstanceState = state ?? { target: null, targetSince: Date.now(), promoted: info.role === 'master' };
    await writeState(instance.paths.state, { ...base, score: now });
  }
}

/** A primary the cluster replaced while it was cut off (a healed split brain) has failed: 9, with the reason. */
async function failIfReplaced(ctx: RedisContext, instance: Instance, info: RedisInfo, state: InstanceState | undefined): Promise<void> {
  const stale = await staleness(ctx, instance, info, state);
  if (stale !== undefined) throw OcfError.failedPromoted(stale);
}

/**
 * A primary whose server died (kill -9, the OOM killer) holds nothing its replicas lack: its memory
 * is gone and a snapshot is older than what they acknowledged. Its promotion score goes before the
 * monitor answers 7, so the transition that recovers it promotes the best replica, instead of
 * planning to promote this node again once restarted (its start then finds it empty and lowers
 * the score, and only the transition after that promotes a replica: seconds more without a primary).
 */
async function withdrawDeadPrimary(ctx: RedisContext, paths: Paths, state: InstanceState | undefined): Promise<void> {
  if (state?.score === null) return;
  try {
    await deletePromotionScore(ctx, await localNodeName(ctx));
    await writeState(paths.state, { ...(state ?? { target: null, targetSince: Date.now(), promoted: true }), score: null });
  } catch (error) {
    ctx.log.warn(`the primary's redis-server is gone, and its promotion score could not be withdrawn: ${(error as Error).message}`);
  }
}

/** INFO over our socket; without a usable configuration, a bare connection still proves a server. */
async function ask(ctx: RedisContext, instance: Instance | undefined, socket: string): Promise<RedisInfo | 'no-config'> {
  if (!instance) {
    const client = await RedisClient.connect({ endpoint: { path: socket }, connectTimeoutMs: 2000, signal: ctx.signal });
    client.close();
    return 'no-config';
  }
  const client = await connectLocal(ctx, instance);
  try {
    return await readInfo(client, instance);
  } finally {
    client.close();
  }
}

/**
 * OCF: 7 only when provably stopped (nothing on our socket and no live server of ours in our
 * pidfile), 0 a healthy replica or primitive, 8 a healthy primary, 190/191 degraded with the
 * reason, 9 a promoted instance that fails, 1 with the reason otherwise. The healthy path is one
 * conversation over the socket: the pidfile and /proc are read only when the socket is silent.
 */
export async function monitor(ctx: RedisContext): Promise<MonitorResult> {
  const paths = pathsOf(ctx);
  // only promotable instances keep state (and a missing file still costs an exception)
  const state = ctx.meta.promotable ? await readState(paths.state) : undefined;
  const promotedBefore = state?.promoted === true || ctx.meta.role === 'Promoted';
  const failed = (reason: string) => (promotedBefore && ctx.meta.promotable ? OcfError.failedPromoted(reason) : OcfError.generic(reason));

  // a probe on a node without the config file must still answer, so a bad config is not fatal yet
  let instance: Instance | undefined;
  let configProblem: string | undefined;
  try {
    instance = await loadInstance(ctx, paths);
  } catch (error) {
    configProblem = error instanceof OcfError ? error.reason : String(error);
  }

  let answer: RedisInfo | 'no-config';
  try {
    answer = await ask(ctx, instance, paths.socket);
  } catch (error) {
    if (!(error instanceof RedisError)) throw error;
    const pid = recordedServer(paths)?.pid;
    if (isNotListening(error) && pid === undefined) {
      if (promotedBefore && ctx.meta.promotable) await withdrawDeadPrimary(ctx, paths, state);
      return OCF.NOT_RUNNING;
    }
    if (isNotListening(error)) throw failed(`redis-server (pid ${pid}) runs but does not accept connections on ${paths.socket}: ${error.message}`);
    // our server, alive, and Redis itself said it is full: restarting it would drop every client
    // it serves, so report the role it last had and say why it went unchecked
    if (error.code === 'REDIS_MAXCLIENTS' && pid !== undefined) {
      const promoted = ctx.meta.promotable && state?.promoted === true;
      ctx.log.warn(`redis-server (pid ${pid}) is at maxclients, so monitor cannot check it; it last ran ${promoted ? 'promoted' : 'unpromoted'}: ${error.message}`);
      return promoted ? OCF.RUNNING_PROMOTED : OCF.SUCCESS;
    }
    throw failed(error.message);
  }
  if (answer === 'no-config') throw failed(configProblem ?? 'cannot read the configuration');
  const info = answer;

  const verdict = assess(info, state, {
    promotable: ctx.meta.promotable,
    linkGraceMs: ctx.params.replica_link_grace,
    maxLagMs: ctx.params.max_replica_lag,
    now: Date.now(),
  });
  if (ctx.meta.promotable && info.role === 'master' && promotedBefore) await failIfReplaced(ctx, instance!, info, state);
  if (ctx.meta.promotable) await refreshScore(ctx, instance!, info, state);
  if (ctx.meta.promotable && info.role === 'slave') await joinRunningPrimary(ctx, instance!, info, state);
  if (!verdict.ok) throw failed(verdict.reason);
  if (verdict.reason === undefined) return verdict.code;
  // a success with something to say (a replica within its link grace) says it in the log only:
  // an exit reason is for failures
  if (verdict.code === OCF.SUCCESS) {
    ctx.log.warn(verdict.reason);
    return OCF.SUCCESS;
  }
  return { code: verdict.code, reason: verdict.reason };
}
