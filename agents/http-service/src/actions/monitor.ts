import { OCF, type Context, type MonitorResult } from '@ocfkit/runtime';
import { checkHealth } from '../health.ts';
import { findService } from '../service.ts';
import type { Params } from '../params.ts';

/**
 * 7 only when nothing this agent launched runs (the recorded process is gone, or nothing was
 * recorded); running but unhealthy is 1 with the health check's words. A probe changes nothing
 * of the service.
 */
export async function monitor(ctx: Context<Params>): Promise<MonitorResult> {
  const service = await findService(ctx.params);
  if (!service) return OCF.NOT_RUNNING;
  await checkHealth(ctx, { deep: ctx.checkLevel >= 10 });
  return OCF.SUCCESS;
}
