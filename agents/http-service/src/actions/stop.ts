import { lookupUser, removePidfile, terminate, type Context } from '@ocfkit/runtime';
import { findService } from '../service.ts';
import type { Params } from '../params.ts';

/**
 * Stop must succeed when already stopped, and must not fail while anything of ours still runs: a
 * failed stop gets the node fenced. So: TERM to the whole process group, the grace period, KILL.
 */
export async function stop(ctx: Context<Params>): Promise<void> {
  const p = ctx.params;
  const user = await lookupUser(p.user);
  const service = await findService(p, user?.uid);
  if (service) {
    // two thirds of what is left for the grace period, the rest for KILL and its wait
    const graceMs = p.stop_timeout ?? Math.floor((ctx.deadline.remaining() * 2) / 3);
    const { how } = await terminate(service.pid, {
      graceMs,
      signal: ctx.signal,
      // a daemon that kept our process group: take its helpers along
      group: service.pgid === service.pid,
      stillOurs: async () => (await findService(p, user?.uid))?.pid === service.pid,
    });
    ctx.log.info('service stopped', { pid: service.pid, how });
  }
  await removePidfile(p.pidfile);
}
