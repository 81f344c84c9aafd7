import type { Instance, RedisContext } from '../instance.ts';
import { connectLocal, readInfo } from './connect.ts';
import { findByPidfile, verifiedInfoPid } from './find.ts';

/**
 * The pid of our running server: by pidfile, else by asking the server on our socket (its
 * pidfile may have been removed by hand; the server is still ours to manage).
 */
export async function locateServer(ctx: RedisContext, instance: Instance | undefined, pidfile: string): Promise<number | undefined> {
  const pid = await findByPidfile(ctx, pidfile);
  if (pid !== undefined || !instance) return pid;
  try {
    const client = await connectLocal(ctx, instance, 2000);
    try {
      return await verifiedInfoPid(ctx, await readInfo(client, instance));
    } finally {
      client.close();
    }
  } catch {
    return undefined;
  }
}
