import { commandAs } from '../config/redis-config.ts';
import { parseInfo, type RedisInfo } from '../info.ts';
import type { Instance, RedisContext } from '../instance.ts';
import { RedisClient } from '../resp/client.ts';

/** One reply may take this long at most (a busy server answers INFO in microseconds). */
const REPLY_TIMEOUT_MS = 5000;

/**
 * A connection to our own server over its unix socket, authenticated, bound by the action's
 * deadline through its timeouts (no signal: a monitor then never makes the deadline's
 * AbortController, about 1 ms of CPU). The socket is ours (in rundir, given on the command line),
 * so no TLS is needed here: TLS settings in redis.conf serve clients and replication.
 */
export function connectLocal(ctx: RedisContext, instance: Instance, timeoutMs = REPLY_TIMEOUT_MS): Promise<RedisClient> {
  // our own timeout comes first, a little before the deadline: a precise reason ("did not answer
  // INFO within 4s") rather than the runtime's generic one
  const bounded = Math.max(100, Math.min(timeoutMs, Math.floor(ctx.deadline.remaining() * 0.8)));
  return RedisClient.connect({
    endpoint: { path: instance.paths.socket },
    username: instance.username,
    password: instance.password,
    connectTimeoutMs: Math.min(2000, bounded),
    timeoutMs: bounded,
  });
}

/** INFO (as rename-command may call it): every section, one round trip. */
export async function readInfo(client: RedisClient, instance: Instance): Promise<RedisInfo> {
  return parseInfo((await client.command([commandAs(instance.config, 'INFO') ?? 'INFO'], { label: 'INFO' })) as string);
}
