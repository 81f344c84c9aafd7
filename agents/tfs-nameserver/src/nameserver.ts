import { findOurProcess, type Expected, type FoundProcess } from '@ocfkit/runtime';

/** <basedir>/bin/nameserver: always started by this full path (a bare name aborts with -d). */
export function binaryPath(basedir: string): string {
  return `${basedir}/bin/nameserver`;
}

/**
 * What our NameServer looks like in /proc: the program <basedir>/bin/nameserver. Not the user:
 * a NameServer of this basedir started by hand as another user is still the one that holds the
 * port and blocks a start, so it is ours to report and to stop.
 */
export function expectedNs(basedir: string): Expected {
  return { exe: binaryPath(basedir) };
}

export type NsProcess = { pid: number; pgid: number };

/** The pidfile's view: our running NameServer, nothing, or a stale pidfile (dead pid, another program, garbage). */
export type NsState = { running: NsProcess } | { stale: Extract<FoundProcess, { stale: true }> } | { absent: true };

export async function nsState(basedir: string, pidfile: string): Promise<NsState> {
  const found = await findOurProcess(pidfile, expectedNs(basedir));
  if (!found) return { absent: true };
  if ('stale' in found) return { stale: found };
  return { running: { pid: found.pid, pgid: found.info.pgid } };
}

/** Our running NameServer, or undefined. */
export async function findNs(basedir: string, pidfile: string): Promise<NsProcess | undefined> {
  const state = await nsState(basedir, pidfile);
  return 'running' in state ? state.running : undefined;
}
