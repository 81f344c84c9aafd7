import { readFileSync } from 'node:fs';
import { OcfError } from '../ocf-error.ts';
import { errnoOf } from './errno.ts';
import { isRunning, parseStat, processGroupMembers } from './proc-info.ts';

export interface TerminateOptions {
  /** How long the service may take to exit after SIGTERM before it gets SIGKILL. */
  graceMs: number;
  /** When it fires (the action's deadline is near), the rest of the grace is skipped: SIGKILL now. */
  signal?: AbortSignal;
  /** Signal the process group the pid leads (the service and everything it forked). */
  group?: boolean;
  /** Asked before every signal: is the pid still our service? (false: it exited and the pid was reused) */
  stillOurs?: () => Promise<boolean>;
}

export interface Terminated {
  /** gone: nothing to stop; term: exited after SIGTERM; kill: needed SIGKILL. */
  how: 'gone' | 'term' | 'kill';
}

const POLL_MS = 100;
/** After SIGKILL a process in D state (stuck on NFS, a dying disk) may take a while to go. */
const KILL_WAIT_MS = 5000;

/** kill(pid, 0): true while the pid exists (zombies included); EPERM means it exists but is not ours to signal. */
export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) === 'EPERM';
  }
}

function ownProcessGroup(): number | undefined {
  try {
    return parseStat(readFileSync('/proc/self/stat', 'utf8'))?.pgid;
  } catch {
    return undefined;
  }
}

/** Does a signal to -pgid reach anyone? (ESRCH: no such group) */
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) === 'EPERM';
  }
}

/** Gone = the pid is not running (a zombie has exited) and, for a group, no live member is left. */
async function isGone(pid: number, group: boolean): Promise<boolean> {
  if (await isRunning(pid)) return false;
  if (!group || !groupExists(pid)) return true;
  return (await processGroupMembers(pid)).length === 0;
}

/** Send `sig`; false when there was no one left to receive it. */
function send(pid: number, sig: NodeJS.Signals, group: boolean): boolean {
  for (const target of group ? [-pid, pid] : [pid]) {
    try {
      process.kill(target, sig);
      return true;
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'EPERM') throw OcfError.perm(`cannot send ${sig} to pid ${pid}: permission denied`, { cause: error });
      if (code !== 'ESRCH') throw OcfError.generic(`cannot send ${sig} to pid ${pid}: ${String(error)}`, { cause: error });
      // ESRCH for -pid: the pid leads no group (any more); try the pid itself
    }
  }
  return false;
}

/** Wait `ms`, or less when the signal fires (never rejects: the caller decides what abort means). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Stop a process the way a stop action must: SIGTERM, wait up to `graceMs`, SIGKILL, wait until
 * it is gone. A stop that fails gets the node fenced, so the grace ends early at the deadline
 * rather than the stop failing. Before each signal the pid is checked to still be ours: between
 * two polls the service may exit and its pid go to an unrelated process, which we must not kill.
 */
export async function terminate(pid: number, options: TerminateOptions): Promise<Terminated> {
  if (!Number.isSafeInteger(pid) || pid <= 1 || pid === process.pid) throw OcfError.generic(`refusing to signal pid ${pid}`);
  // never signal our own group (a service that was started without a group of its own)
  const group = (options.group ?? false) && ownProcessGroup() !== pid;

  const deliver = async (sig: NodeJS.Signals): Promise<boolean> => {
    // while live members remain, the kernel does not hand out their group's id: no reuse to fear
    const leaderRunning = await isRunning(pid);
    if (leaderRunning && options.stillOurs && !(await options.stillOurs())) return false;
    if (!leaderRunning && (!group || (await isGone(pid, group)))) return false;
    return send(pid, sig, group);
  };

  if (await isGone(pid, group)) return { how: 'gone' };
  if (!(await deliver('SIGTERM'))) return { how: 'gone' };

  const graceEnds = Date.now() + options.graceMs;
  for (;;) {
    if (await isGone(pid, group)) return { how: 'term' };
    const left = graceEnds - Date.now();
    if (left <= 0 || options.signal?.aborted) break;
    await pause(Math.min(POLL_MS, left), options.signal);
  }

  if (!(await deliver('SIGKILL'))) return { how: 'term' };
  const killEnds = Date.now() + KILL_WAIT_MS;
  for (;;) {
    await pause(Math.min(POLL_MS / 5, killEnds - Date.now()));
    if (await isGone(pid, group)) return { how: 'kill' };
    if (Date.now() >= killEnds) throw OcfError.generic(`pid ${pid} did not exit after SIGKILL`);
  }
}
