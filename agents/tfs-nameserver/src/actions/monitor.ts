import { OCF, OcfError, type Context, type MonitorResult } from '@ocfkit/runtime';
import { checkHealth } from '../health/check.ts';
import { findNs } from '../nameserver.ts';
import type { Params } from '../params.ts';

/**
 * 7 only when nothing this agent launched runs (the recorded NameServer is gone, or nothing was
 * recorded and no process of the pidfile holds nsport). Running but not answering the heartbeat as initialised is a
 * failure (1) with what the check saw. Read-only, so a probe changes nothing: the heartbeat is
 * sent without the switch flag.
 */
export async function monitor(ctx: Context<Params>): Promise<MonitorResult> {
  const ns = await findNs(ctx.params);
  if (!ns) return OCF.NOT_RUNNING;
  const health = await checkHealth(ctx);
  if (!health.ok) throw OcfError.generic(`NameServer (pid ${ns.pid}) is not healthy: ${health.problem}`);
  return OCF.SUCCESS;
}
