import { OcfError, removePidfile, stopOwned, type Context } from '@ocfkit/runtime';
import { findNs, recordOf } from '../nameserver.ts';
import { STOP_GRACE, type Params } from '../params.ts';

/**
 * SIGTERM, up to stop_timeout (the NameServer needs 2-3 s), SIGKILL, to every process the record
 * proves ours; then remove the pidfile, which the NameServer never does (a later start would
 * refuse while it names a live pid). Succeeds when nothing of ours runs; fails only when a kill does.
 */
export async function stop(ctx: Context<Params>): Promise<void> {
  const p = ctx.params;
  // an unrecorded NameServer of ours (started before an upgrade) is adopted here, so it is stopped too
  const ns = await findNs(p).catch((error: unknown) => {
    if (!(error instanceof OcfError)) throw error; // remnants: stopOwned clears them
    return undefined;
  });
  const graceMs = p.stop_timeout ?? STOP_GRACE.of(ctx.deadline);
  const { how, signalled } = await stopOwned(recordOf(p), { graceMs, signal: ctx.signal });
  if (how !== 'gone') ctx.log.info('NameServer stopped', { pid: ns?.pid ?? signalled.map((id) => id.pid).join(' '), how });
  await removePidfile(p.pidfile).catch((error: unknown) => {
    ctx.log.warn(`stopped, but cannot remove the pidfile: ${error instanceof OcfError ? error.reason : String(error)}`);
  });
}
