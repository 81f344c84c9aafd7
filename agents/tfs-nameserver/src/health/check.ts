import { runCommand, type Context } from '@ocfkit/runtime';
import { checkNameServer } from '../heartbeat/client.ts';
import { TfsError } from '../heartbeat/errors.ts';
import { describeStatus } from '../heartbeat/status.ts';
import { tbsysMessage } from '../last-words.ts';
import type { Params } from '../params.ts';

export type Health = { ok: true; detail: string } | { ok: false; problem: string };

export interface HealthOptions {
  /** Ask the NameServer to re-check its role at once (ha_monitor -s 1). */
  switchFlag?: 0 | 1;
  /** Fewer tries while polling during start (default ha_monitor's 3). */
  tries?: number;
}

/** Every program the agent runs gets this environment, not the cluster's. */
const TOOL_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };

/** ha_monitor's verdict: status 1-4 is a working NameServer. */
function healthyStatus(status: number): boolean {
  return status >= 1 && status <= 4;
}

async function native(ctx: Context<Params>, options: HealthOptions): Promise<Health> {
  const { nsip, nsport } = ctx.params;
  try {
    // no signal: the tries' own timeouts end the check (a monitor then never makes the deadline's
    // AbortController, about 1 ms of CPU), and the runtime answers for an action past its deadline
    const { status } = await checkNameServer({ host: nsip, port: nsport, switchFlag: options.switchFlag ?? 0, tries: options.tries });
    const answer = `nameserver ${nsip}:${nsport} answered status ${describeStatus(status)}`;
    return healthyStatus(status) ? { ok: true, detail: answer } : { ok: false, problem: answer };
  } catch (error) {
    if (!(error instanceof TfsError)) throw error;
    return { ok: false, problem: error.message };
  }
}

/** The operator's own ha_monitor-compatible tool: exit 0 is healthy, anything else says why on stderr. */
async function external(ctx: Context<Params>, montool: string, options: HealthOptions): Promise<Health> {
  const { nsip, nsport } = ctx.params;
  const args = ['-i', nsip, '-p', String(nsport), '-n', ...(options.switchFlag ? ['-s', '1'] : [])];
  const result = await runCommand(montool, args, { signal: ctx.signal, env: TOOL_ENV });
  const shown = `${montool} ${args.join(' ')}`;
  if (result.code === 0) return { ok: true, detail: `${shown}: exit 0` };
  const said = result.stderr.split('\n').filter((l) => l.trim() !== '').at(-1);
  const how = result.code === null ? `killed by ${result.signal}` : `exit ${result.code}`;
  return { ok: false, problem: said ? `${shown}: ${how}: ${tbsysMessage(said).message}` : `${shown}: ${how}` };
}

/**
 * Is the NameServer answering as a working one? Through the native heartbeat unless the
 * operator set `montool`. Never throws for an unhealthy NameServer, only for the deadline or
 * a monitor tool that cannot be run.
 */
export function checkHealth(ctx: Context<Params>, options: HealthOptions = {}): Promise<Health> {
  return ctx.params.montool === undefined ? native(ctx, options) : external(ctx, ctx.params.montool, options);
}
