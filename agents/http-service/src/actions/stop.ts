import { OcfError, removePidfile, stopOwned, type Context } from '@ocfkit/runtime';
import { findService, recordOf } from '../service.ts';
import { STOP_GRACE, type Params } from '../params.ts';

/**
 * Stop must succeed when nothing of ours runs, and fails only when a kill fails: a failed stop
 * gets the node fenced. So every process the record proves ours (the service, its whole
 * session, a daemon and its session) gets TERM, the grace period, KILL; nothing else is signalled.
 */
export async function stop(ctx: Context<Params>): Promise<void> {
  const p = ctx.params;
  // an unrecorded service of ours (started before an upgrade) is adopted here, so it is stopped too
  const service = await findService(p).catch((error: unknown) => {
    // remnants of a dead service: stopOwned clears them below
    if (!(error instanceof OcfError)) throw error;
    return undefined;
  });
  const graceMs = p.stop_timeout ?? STOP_GRACE.of(ctx.deadline);
  const { how, signalled } = await stopOwned(recordOf(p), { graceMs, signal: ctx.signal });
  if (how !== 'gone') ctx.log.info('service stopped', { pid: service?.pid ?? signalled.map((id) => id.pid).join(' '), how });
  // a daemon's own pidfile may name anyone when we never launched it: leave that file alone
  if (!p.daemonize || how !== 'gone') {
    await removePidfile(p.pidfile).catch((error: unknown) => {
      ctx.log.warn(`stopped, but cannot remove the pidfile: ${error instanceof OcfError ? error.reason : String(error)}`);
    });
  }
}
