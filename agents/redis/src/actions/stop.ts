import { OcfError, removePidfile, clearPrivateAttribute, localNodeName, deletePromotionScore, stopOwned } from '@ocfkit/runtime';
import { forgetDirectives } from '../config/directive-cache.ts';
import { loadInstance, pathsOf, type Instance, type RedisContext } from '../instance.ts';
import { positionAttribute } from '../replication/position.ts';
import { shutdown } from '../server/shutdown.ts';
import { locateServer, recordOf } from '../server/locate.ts';
import { removeState } from '../state.ts';

/** Cluster bookkeeping must not make a stop fail: a failed stop gets the node fenced. */
async function forgetInCluster(ctx: RedisContext): Promise<void> {
  try {
    const node = await localNodeName(ctx);
    // a stopped instance has no data to offer: no score, no recorded position
    await deletePromotionScore(ctx, node);
    await clearPrivateAttribute(ctx, node, positionAttribute(ctx));
  } catch (error) {
    ctx.log.warn(`stopped, but could not clear the promotion score: ${error instanceof OcfError ? error.reason : String(error)}`);
  }
}

/** Stop succeeds when already stopped, and otherwise ends with the server gone: SHUTDOWN, TERM, KILL. */
export async function stop(ctx: RedisContext): Promise<void> {
  const paths = pathsOf(ctx);
  let instance: Instance | undefined;
  try {
    instance = await loadInstance(ctx, paths);
  } catch (error) {
    ctx.log.warn(`no SHUTDOWN (${error instanceof OcfError ? error.reason : String(error)}): signals only`);
  }
  const server = await locateServer(ctx, instance, paths);
  if (server !== undefined) {
    const how = await shutdown(ctx, instance, paths, server);
    ctx.log.info(`redis-server (pid ${server.pid}) stopped (${how === 'shutdown' ? 'SHUTDOWN' : how === 'term' ? 'SIGTERM' : how === 'kill' ? 'SIGKILL' : 'already gone'})`);
  } else {
    // the server is gone, but what else it launched may not be (a wrapper's children)
    await stopOwned(recordOf(paths), { graceMs: Math.floor(ctx.deadline.remaining() / 2), signal: ctx.signal });
  }
  // a pidfile path that cannot be cleaned (a directory by mistake) must not fail a stop that stopped everything
  await removePidfile(paths.pidfile).catch((error: unknown) => ctx.log.warn(`cannot remove ${paths.pidfile}: ${error instanceof OcfError ? error.reason : String(error)}`));
  if (ctx.meta.promotable) await forgetInCluster(ctx);
  await removeState(paths.state);
  // it holds the passwords redis.conf holds: no copy outlives the instance's run
  await forgetDirectives(paths.configCache);
}
