import { OCF, lookupUser, type Context, type MonitorResult } from '@ocfkit/runtime';
import { checkHealth } from '../health.ts';
import { findService } from '../service.ts';
import type { Params } from '../params.ts';

/**
 * 7 only when our process is provably not running (no pidfile, dead pid, a stranger behind the
 * pid); running but unhealthy is 1 with the health check's words. Read-only: a probe changes nothing.
 */
export async function monitor(ctx: Context<Params>): Promise<MonitorResult> {
  const user = await lookupUser(ctx.params.user);
  const service = await findService(ctx.params, user?.uid);
  if (!service) return OCF.NOT_RUNNING;
  await checkHealth(ctx, { deep: ctx.checkLevel >= 10 });
  return OCF.SUCCESS;
}
