import { OcfError, removePidfile, clearPrivateAttribute, localNodeName, deletePromotionScore } from '@ocfkit/runtime';
import { loadInstance, pathsOf, type Instance, type RedisContext } from '../instance.ts';
import { positionAttribute } from '../replication/position.ts';
import { shutdown } from '../server/shutdown.ts';
import { locateServer } from '../server/locate.ts';
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
    instance = await loadInstance(ctx);
  } catch (error) {
    ctx.log.warn(`no SHUTDOWN (${error instanceof OcfError ? error.reason : String(error)}): signals only`);
  }
  const pid = await locateServer(ctx, instance, paths.pidfile);
  if (pid !== undefined) {
    const how = await shutdown(ctx, instance, pid);
    ctx.log.info(`redis-server (pid ${pid}) stopped (${how === 'shutdown' ? 'SHUTDOWN' : how === 'term' ? 'SIGTERM' : how === 'kill' ? 'SIGKILL' : 'already gone'})`);
  }
  await removePidfile(paths.pidfile);
  if (ctx.meta.promotable) await forgetInCluster(ctx);
  await removeState(paths.state);
}
