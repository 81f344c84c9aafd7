import { formatDuration, isAliveAs, sleep, stopOwned, type ProcessIdentity } from '@ocfkit/runtime';
import type { Instance, Paths, RedisContext } from '../instance.ts';
import { requireCommand } from '../replication/follow.ts';
import { connectLocal } from './local-client.ts';
import { recordOf } from './locate.ts';

/** Part of what is left of the stop budget that SHUTDOWN may use (a save of a large dataset). */
const SHUTDOWN_SHARE = 0.6;

async function gone(server: ProcessIdentity, untilMs: number, signal: AbortSignal): Promise<boolean> {
  while (Date.now() < untilMs) {
    if (!isAliveAs(server)) return true;
    await sleep(Math.min(100, Math.max(1, untilMs - Date.now())), signal).catch(() => undefined);
    if (signal.aborted) break;
  }
  return !isAliveAs(server);
}

/**
 * Stop must not fail (a failed stop gets the node fenced), and heartbeat/redis's unbounded wait
 * after SIGTERM ended in exactly that. So: SHUTDOWN, which saves as the configured save policy
 * says (and, on a primary, lets lagging replicas catch up first), within a share of the budget;
 * then SIGTERM, then SIGKILL, within the rest, to every process the record proves ours (the
 * server, and whatever else its session holds: a wrapper that exec'd it, a fork saving the data).
 */
export async function shutdown(ctx: RedisContext, instance: Instance | undefined, paths: Paths, server: ProcessIdentity): Promise<'shutdown' | 'term' | 'kill' | 'gone'> {
  const pid = server.pid;
  const shareMs = Math.floor(ctx.deadline.remaining() * SHUTDOWN_SHARE);
  if (instance) {
    const endsAt = Date.now() + shareMs;
    try {
      const client = await connectLocal(ctx, instance, shareMs);
      try {
        await client.commandUntilClose([requireCommand(instance.config, 'SHUTDOWN')], { timeoutMs: shareMs, label: 'SHUTDOWN' });
      } finally {
        client.close();
      }
      if (await gone(server, endsAt, ctx.signal)) {
        // the server is gone; anything else of its session (a wrapper's leftovers) goes too
        await stopOwned(recordOf(paths), { graceMs: 1000, signal: ctx.signal });
        return 'shutdown';
      }
      ctx.log.warn(`redis-server (pid ${pid}) still runs after SHUTDOWN; sending SIGTERM`);
    } catch (error) {
      ctx.log.warn(`SHUTDOWN failed, sending SIGTERM to pid ${pid}: ${(error as Error).message}`);
    }
  }
  // half of what is left for SIGTERM's own save, the rest for SIGKILL and its wait
  const graceMs = Math.floor(ctx.deadline.remaining() / 2);
  const { how } = await stopOwned(recordOf(paths), { graceMs, signal: ctx.signal });
  if (how === 'kill') ctx.log.warn(`redis-server (pid ${pid}) needed SIGKILL after ${formatDuration(graceMs)}`);
  return how;
}
