import { findOurProcess, lookupUser, processInfo, matchesExpected, type Expected } from '@ocfkit/runtime';
import type { RedisInfo } from '../info.ts';
import type { RedisContext } from '../instance.ts';

/** What our redis-server looks like in /proc: the configured program, run as the configured user. */
export async function expectedProcess(ctx: RedisContext): Promise<Expected> {
  const user = await lookupUser(ctx.params.user);
  return { exe: ctx.params.bin, uid: user?.uid };
}

/** The pid in our pidfile, when it is our redis-server; undefined otherwise (none, stale, a stranger). */
export async function findByPidfile(ctx: RedisContext, pidfile: string): Promise<number | undefined> {
  const found = await findOurProcess(pidfile, await expectedProcess(ctx));
  return found && !('stale' in found) ? found.pid : undefined;
}

/**
 * The pid INFO names, when it is our redis-server: the server answering on our socket is ours
 * even when its pidfile was removed, and stop must still find it.
 */
export async function verifiedInfoPid(ctx: RedisContext, info: RedisInfo): Promise<number | undefined> {
  const pid = Number(info.fields.get('process_id'));
  if (!Number.isSafeInteger(pid) || pid <= 1) return undefined;
  const proc = await processInfo(pid);
  return proc && matchesExpected(proc, await expectedProcess(ctx)) ? pid : undefined;
}
