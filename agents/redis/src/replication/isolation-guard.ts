import { formatDuration } from '@ocfkit/runtime';
import type { Instance, RedisContext } from '../instance.ts';
import type { RedisClient } from '../resp/client.ts';
import { requireCommand } from './follow.ts';

/**
 * isolation_guard: a primary that no replica has acknowledged for min-replicas-max-lag seconds
 * refuses writes (NOREPLICAS), so a primary cut off from the others (or a stale one after a split
 * brain) accepts nothing that the next failover would discard. Set in memory on every promote;
 * replicas ignore these settings, so demote leaves them. Off: redis.conf's values stand.
 */
export async function applyIsolationGuard(ctx: RedisContext, client: RedisClient, instance: Instance): Promise<void> {
  if (!ctx.params.isolation_guard) return;
  const lagSeconds = Math.max(1, Math.round(ctx.params.isolation_guard_max_lag / 1000));
  const config = requireCommand(instance.config, 'CONFIG');
  await client.pipeline(
    [
      [config, 'SET', 'min-replicas-to-write', '1'],
      [config, 'SET', 'min-replicas-max-lag', String(lagSeconds)],
    ],
    { label: 'CONFIG SET min-replicas' },
  );
  ctx.log.info(`isolation guard: writes refused without a replica acknowledging within ${formatDuration(lagSeconds * 1000)}`);
}
