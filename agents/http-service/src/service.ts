import { findOurProcess, type Expected } from '@ocfkit/runtime';
import type { Context } from '@ocfkit/runtime';
import type { Params } from './params.ts';

type P = Context<Params>['params'];

/**
 * What our service looks like in /proc, so a recycled pid never passes for it. A foreground
 * service is the program we exec'd (or its interpreter running it). A self-daemonizing one may
 * re-exec anything, so there we rely on the owner and on the process being older than its pidfile.
 */
export function expected(p: P, uid: number | undefined): Expected {
  return p.daemonize ? { uid, startedBeforePidfile: true } : { exe: p.service_path, uid };
}

/** Our running service, or undefined (no pidfile, dead pid, or a stranger behind the pid). */
export async function findService(p: P, uid: number | undefined): Promise<{ pid: number; pgid: number } | undefined> {
  const found = await findOurProcess(p.pidfile, expected(p, uid));
  if (!found || 'stale' in found) return undefined;
  return { pid: found.pid, pgid: found.info.pgid };
}
