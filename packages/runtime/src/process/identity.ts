import { readFileSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { loadPidfile } from './pidfile.ts';
import { processInfo, type ProcInfo } from './proc-info.ts';
import { isScript } from './shebang.ts';

/**
 * What our service looks like in /proc. Every field given must match; an empty object matches any
 * live process (only right for a service whose own pidfile check is just as loose).
 *
 * - `exe`: the program's absolute path. Compared with /proc/<pid>/exe after realpath of the
 *   expected path (/usr/bin/node -> /usr/bin/nodejs; the kernel always reports the real path, and
 *   "<path> (deleted)" after a package upgrade counts as the same path). When that differs and the
 *   expected file is a script (starts with `#!`), the process is its interpreter (node, bash,
 *   python): then it matches when argv[0]'s basename is the script's basename, or some argv
 *   element is the script's path (as given or its realpath). The same argv rule applies when
 *   /proc/<pid>/exe cannot be read (another user's process and we are not root).
 * - `argv0`: with a '/', argv[0] must be exactly that path; without, its basename must be that
 *   name. A process that rewrote its title (redis-server shows "redis-server 127.0.0.1:6379" as one
 *   string) matches on the title's first word too.
 * - `args`: each string is a whole argv element, in this order, not necessarily adjacent.
 * - `uid`: the effective uid (what `ps -o user` shows, and what a daemon that dropped root has).
 * - `startedBeforePidfile` (findOurProcess only): the process started before the pidfile was last
 *   written. A recycled pid goes to a process started after ours died, so after its pidfile was
 *   written: this catches reuse even for a self-daemonizing service that may exec anything.
 *   Both times are wall clock: a clock stepped forward between the write and the check (a VM
 *   fixing its clock at boot) makes our process look younger; SLACK_MS only covers slewing.
 */
export interface Expected {
  exe?: string;
  argv0?: string;
  args?: string[];
  uid?: number;
  startedBeforePidfile?: boolean;
}

/** Clock granularity: /proc start times are in 10 ms ticks, /proc/uptime in 10 ms, mtimes vary by file system. */
const SLACK_MS = 2000;
/** USER_HZ: the unit of /proc/<pid>/stat starttime, 100 on every architecture Debian ships. */
const TICKS_PER_SECOND = 100;

export type FoundProcess = { pid: number; info: ProcInfo } | { stale: true; pid?: number; info?: ProcInfo };

function realpathOr(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path; // removed or replaced on disk: compare the path as given
  }
}

/** argv[0] and, for a rewritten title, its first word. */
function argv0Candidates(argv: string[]): string[] {
  const first = argv[0];
  if (first === undefined || first === '') return [];
  const word = first.split(' ', 1)[0]!;
  return word !== first && word !== '' ? [first, word] : [first];
}

function exeMatches(info: ProcInfo, expectedExe: string): boolean {
  const real = realpathOr(expectedExe);
  if (info.exe !== undefined && (info.exe === real || info.exe === expectedExe)) return true;
  if (info.exe !== undefined && !isScript(real)) return false;
  const name = basename(expectedExe);
  if (argv0Candidates(info.argv).some((candidate) => basename(candidate) === name)) return true;
  return info.argv.some((arg) => arg === expectedExe || arg === real);
}

function argv0Matches(info: ProcInfo, argv0: string): boolean {
  const candidates = argv0Candidates(info.argv);
  if (argv0.includes('/')) return candidates.includes(argv0);
  return candidates.some((candidate) => basename(candidate) === argv0);
}

function argsInOrder(argv: string[], args: string[]): boolean {
  let at = 0;
  for (const arg of args) {
    const found = argv.indexOf(arg, at);
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}

/** Is this process the program we expect? (pid reuse must never make a stranger look like ours) */
export function matchesExpected(info: ProcInfo, expected: Expected): boolean {
  if (expected.uid !== undefined && info.euid !== expected.uid) return false;
  if (expected.exe !== undefined && !exeMatches(info, expected.exe)) return false;
  if (expected.argv0 !== undefined && !argv0Matches(info, expected.argv0)) return false;
  if (expected.args !== undefined && !argsInOrder(info.argv, expected.args)) return false;
  return true;
}

/** When the process started, on the wall clock: boot time (now - uptime) plus its start tick. */
async function startedAtMs(info: ProcInfo): Promise<number | undefined> {
  try {
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ', 1)[0]);
    if (!Number.isFinite(uptime)) return undefined;
    return Date.now() - uptime * 1000 + (info.starttime * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Our service, per its pidfile: undefined when there is no pidfile; `stale` when the pidfile is
 * garbage, names a dead pid (or a zombie), an unrelated process (pid reuse), or this very agent.
 */
export async function findOurProcess(pidfile: string, expected: Expected): Promise<FoundProcess | undefined> {
  const content = await loadPidfile(pidfile);
  if (content.kind === 'missing') return undefined;
  if (content.kind === 'invalid') return { stale: true };
  const { pid } = content;
  // after a reboot the agent itself can get the pid the service had
  if (pid === process.pid) return { stale: true, pid };
  const info = await processInfo(pid);
  if (!info) return { stale: true, pid };
  if (!matchesExpected(info, expected)) return { stale: true, pid, info };
  if (expected.startedBeforePidfile) {
    const started = await startedAtMs(info);
    if (started !== undefined && started > content.mtimeMs + SLACK_MS) return { stale: true, pid, info };
  }
  return { pid, info };
}
