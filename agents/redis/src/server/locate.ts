import { adoptProcess, ownedService, ownerRecordPath, type ProcessIdentity } from '@ocfkit/runtime';
import type { Instance, Paths, RedisContext } from '../instance.ts';
import { connectLocal, readInfo } from './local-client.ts';

/** Where the agent records the redis-server it launched: next to its pidfile, in rundir. */
export function recordOf(paths: Paths): string {
  return ownerRecordPath(paths.pidfile);
}

/** The recorded server when it runs (the record only: no socket, no fork; cheap enough for every monitor). */
export function recordedServer(paths: Paths): ProcessIdentity | undefined {
  const owned = ownedService(recordOf(paths));
  return owned.state === 'running' ? owned.main : undefined;
}

/**
 * The pid the server on our own unix socket gives as its own (INFO process_id). The socket is
 * this instance's (in rundir, given on redis-server's command line), so whoever answers there is
 * our server: one started before an upgrade, by ocf:heartbeat:redis before a migration, or by
 * hand with our options. undefined when nothing answers.
 */
async function serverOnSocket(ctx: RedisContext, instance: Instance): Promise<number | undefined> {
  try {
    const client = await connectLocal(ctx, instance, 2000);
    try {
      const pid = Number((await readInfo(client, instance)).fields.get('process_id'));
      return Number.isSafeInteger(pid) && pid > 1 ? pid : undefined;
    } finally {
      client.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Our running server: the recorded one, else the one our socket names (then recorded, so stop
 * and monitor know it from now on).
 */
export async function locateServer(ctx: RedisContext, instance: Instance | undefined, paths: Paths): Promise<ProcessIdentity | undefined> {
  const recorded = recordedServer(paths);
  if (recorded || !instance) return recorded;
  const pid = await serverOnSocket(ctx, instance);
  return pid === undefined ? undefined : adoptProcess(recordOf(paths), pid);
}
