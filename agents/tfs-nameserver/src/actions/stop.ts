import { removePidfile, terminate, type Context } from '@ocfkit/runtime';
import { findNs } from '../nameserver.ts';
import type { Params } from '../params.ts';

/**
 * SIGTERM, up to stop_timeout (the NameServer needs 2-3 s), SIGKILL; then remove the pidfile,
 * which the NameServer never does (a later start would refuse while it names a live pid).
 * Succeeds when already stopped; never signals a process that is not our NameServer, even if
 * the pid was reused while we waited.
 */
export async function stop(ctx: Context<Params>): Promise<void> {
  const p = ctx.params;
  const ns = await findNs(p.basedir, p.pidfile);
  if (ns) {
    // the seed's default: two thirds of the stop timeout for SIGTERM, the rest for SIGKILL
    const graceMs = p.stop_timeout ?? Math.floor((ctx.deadline.remaining() * 2) / 3);
    const { how } = await terminate(ns.pid, {
      graceMs,
      signal: ctx.signal,
      group: ns.pgid === ns.pid,
      stillOurs: async () => (await findNs(p.basedir, p.pidfile))?.pid === ns.pid,
    });
    ctx.log.info('NameServer stopped', { pid: ns.pid, how });
  }
  await removePidfile(p.pidfile);
}
