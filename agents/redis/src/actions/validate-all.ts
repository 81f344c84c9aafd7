import { checkPidfilePath, lookupUser, OcfError, requireExecutable } from '@ocfkit/runtime';
import { commandAs } from '../config.ts';
import { loadInstance, pathsOf, type RedisContext } from '../instance.ts';

/**
 * The syntax of every parameter was checked when they were parsed (6, naming the parameter);
 * here the node: the program (5: another node may have it), the configuration file as
 * redis-server will read it (5 missing, 4 unreadable, 6 wrong), the user, and what a promotable
 * clone needs.
 */
export async function validateAll(ctx: RedisContext): Promise<void> {
  const p = ctx.params;
  requireExecutable(p.bin, 'bin', ctx.env);
  const instance = await loadInstance(ctx);
  if (!(await lookupUser(p.user))) throw OcfError.installed(`user ${p.user} does not exist on this node`);
  await checkPidfilePath(pathsOf(ctx).pidfile);
  if (p.username !== undefined && p.password_file === undefined) {
    throw OcfError.configured('username needs password_file: requirepass is the default user\'s password');
  }
  if (ctx.meta.promotable) {
    if (!ctx.meta.notifyEnabled) {
      throw OcfError.configured('a promotable redis clone needs notify=true: replicas learn their new primary from notifications');
    }
    for (const name of ['REPLICAOF', 'CONFIG', 'INFO']) {
      if (commandAs(instance.config, name) === undefined) throw OcfError.configured(`redis.conf disables ${name} (rename-command), which a promotable clone needs`);
    }
  }
}
