import {
  OcfError,
  adoptProcess,
  loadPidfile,
  ownedService,
  ownerRecordPath,
  servesSocket,
  type Context,
  type ProcessIdentity,
} from '@ocfkit/runtime';
import type { Params } from './params.ts';

type P = Context<Params>['params'];

/** <basedir>/bin/nameserver: always started by this full path (a bare name aborts with -d). */
export function binaryPath(basedir: string): string {
  return `${basedir}/bin/nameserver`;
}

/** Where the agent records the NameServer it launched: next to its pidfile (see the runtime's README). */
export function recordOf(p: P): string {
  return ownerRecordPath(p.pidfile);
}

/**
 * A NameServer no record names: one started by the previous release or by hand, still running.
 * Its pidfile's pid is taken only when that process holds the listening socket of nsport: the
 * kernel's word, where a pidfile alone may name anyone.
 */
async function adoptRunning(p: P): Promise<ProcessIdentity | undefined> {
  const content = await loadPidfile(p.pidfile).catch(() => undefined);
  if (content?.kind !== 'pid' || !servesSocket({ port: p.nsport }, content.pid)) return undefined;
  return adoptProcess(recordOf(p), content.pid);
}

/**
 * Our running NameServer: the recorded one, or an unrecorded one proven by its socket; undefined
 * when nothing of ours runs. A dead NameServer whose children live on is a failure, never "not running".
 */
export async function findNs(p: P): Promise<ProcessIdentity | undefined> {
  const owned = ownedService(recordOf(p));
  if (owned.state === 'running') return owned.main;
  if (owned.state === 'remnants') {
    throw OcfError.generic(`the NameServer exited but processes it started still run (pid ${owned.pids.map((id) => id.pid).join(', ')})`);
  }
  return owned.state === 'unrecorded' ? adoptRunning(p) : undefined;
}
