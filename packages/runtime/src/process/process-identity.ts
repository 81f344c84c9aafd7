import { readFileSync } from 'node:fs';
import { errnoOf } from './errno.ts';
import { parseStat } from './proc-info.ts';

/**
 * Who a process is, from the kernel: its pid and its start time (field 22 of /proc/<pid>/stat,
 * clock ticks after boot). exec, setuid and a rewritten title change how a process looks, never
 * these two; a recycled pid comes with a later start time. Together with the boot id (kept by
 * whoever records an identity) they name one process for the machine's whole uptime.
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly starttime: number;
}

/** What /proc/<pid>/stat says of a live (non-zombie) process, or undefined. Synchronous: a monitor reads this on every call. */
export function liveStat(pid: number): { starttime: number; session: number; pgid: number; ppid: number; comm: string } | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw error;
  }
  const stat = parseStat(text);
  // a zombie has exited: it is not running, whatever still holds its pid
  if (!stat || stat.state === 'Z' || stat.state === 'X') return undefined;
  return stat;
}

/** The identity of the live process `pid`, or undefined when there is none (or only a zombie). */
export function identify(pid: number): ProcessIdentity | undefined {
  const stat = liveStat(pid);
  return stat && { pid, starttime: stat.starttime };
}

/** Is exactly this process still running? (same pid and same start time: a recycled pid is not) */
export function isAliveAs(identity: ProcessIdentity): boolean {
  return liveStat(identity.pid)?.starttime === identity.starttime;
}
