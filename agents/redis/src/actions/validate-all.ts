import { allowedTo, checkPidfilePath, lookupUser, OcfError, requireExecutable } from '@ocfkit/runtime';
import { commandAs } from '../config/redis-config.ts';
import { loadInstance, type RedisContext } from '../instance.ts';

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
  const user = await lookupUser(p.user);
  if (!user) throw OcfError.installed(`user ${p.user} does not exist on this node`);
  // there, but not for the user redis-server runs as: permissions (4), found before anything starts
  const me = process.geteuid?.();
  if (me !== 0 && me !== user.uid) throw OcfError.perm(`cannot run ${p.bin} as user ${p.user}: the agent is not running as root`);
  for (const file of instance.config.files) {
    // the agent read it as root; redis-server reads it again as the user
    if (!(await allowedTo(user, file, 'read'))) throw OcfError.perm(`config ${file} is not readable by user ${p.user}`);
  }
  await checkPidfilePath(instance.paths.pidfile);
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
