import { findOwned, ownerRecordPath, type Context, type ProcessIdentity } from '@ocfkit/runtime';
import type { Params } from './params.ts';

type P = Context<Params>['params'];

/** <basedir>/bin/nameserver: always started by this full path (a bare name aborts with -d). */
export function binaryPath(basedir: string): string {
  return `${basedir}/bin/nameserver`;
}

/** Where the agent records the NameServer it launched (see the runtime's README, "Process ownership"). */
export function recordOf(p: P): string {
  return ownerRecordPath(p.pidfile);
}

/**
 * Our running NameServer: the recorded one, or an unrecorded one (started by an earlier release
 * or by hand) whose pidfile's process holds nsport; undefined when nothing of ours runs.
 */
export function findNs(p: P): Promise<ProcessIdentity | undefined> {
  return findOwned(recordOf(p), { pidfile: p.pidfile, listener: () => ({ port: p.nsport }), what: 'the NameServer' });
}
