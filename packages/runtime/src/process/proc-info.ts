import { readFileSync, readlinkSync } from 'node:fs';
import { errnoOf } from './errno.ts';

/** What /proc says about a live (non-zombie) process. Pure file reads: cheap enough for every monitor. */
export interface ProcInfo {
  pid: number;
  /** One letter from /proc/<pid>/stat: R, S, D, T, t, I ... (never Z or X: those are not running). */
  state: string;
  /** The kernel's short name (at most 15 bytes, may contain spaces and parentheses). */
  comm: string;
  ppid: number;
  pgid: number;
  session: number;
  /** Clock ticks after boot at which the process started: with the pid, a unique identity. */
  starttime: number;
  /** The executable (realpath); undefined for kernel threads or when we may not look (EACCES). */
  exe: string | undefined;
  /** The executable was replaced or removed on disk since the process started (package upgrade). */
  exeDeleted: boolean;
  /** The command line; empty for kernel threads. A process may have rewritten it (setproctitle). */
  argv: string[];
  /** Real and effective uid (`ps -o user` shows the effective one). */
  uid: number;
  euid: number;
}

interface Stat {
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  session: number;
  starttime: number;
}

const DELETED = ' (deleted)';

/**
 * /proc/<pid>/stat is `pid (comm) state ppid pgrp session tty_nr ...` where comm is whatever the
 * process named itself, spaces and ')' included: so split at the LAST ')'.
 */
export function parseStat(text: string): Stat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // after ") ": state(3) ppid(4) pgrp(5) session(6) tty_nr(7) ... starttime(22)
  const fields = text.slice(close + 2).split(' ');
  const number = (index: number) => Number(fields[index]);
  const stat = {
    comm: text.slice(open + 1, close),
    state: fields[0] ?? '',
    ppid: number(1),
    pgid: number(2),
    session: number(3),
    starttime: number(19),
  };
  if (stat.state.length !== 1 || [stat.ppid, stat.pgid, stat.session, stat.starttime].some((n) => !Number.isSafeInteger(n))) return undefined;
  return stat;
}

/** `Uid:\treal\teffective\tsaved\tfs` from /proc/<pid>/status. */
export function parseUids(status: string): { uid: number; euid: number } | undefined {
  const match = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
  return match ? { uid: Number(match[1]), euid: Number(match[2]) } : undefined;
}

/** NUL-separated; a rewritten title may leave trailing NUL padding, which is not an argument. */
export function parseCmdline(raw: string): string[] {
  const argv = raw.split('\0');
  while (argv.length > 0 && argv.at(-1) === '') argv.pop();
  return argv;
}

/** The kernel marks an unlinked executable with " (deleted)"; it is still the program we started. */
export function parseExe(link: string): { exe: string; deleted: boolean } {
  return link.endsWith(DELETED) ? { exe: link.slice(0, -DELETED.length), deleted: true } : { exe: link, deleted: false };
}

/**
 * Read a /proc file; undefined when the process is gone (ENOENT, ESRCH). Synchronous: /proc reads
 * never block, and fs/promises costs ~10% of a node start on every monitor.
 */
async function procRead(pid: number, name: string): Promise<string | undefined> {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw error;
  }
}

async function procExe(pid: number): Promise<string | undefined> {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch (error) {
    // kernel threads have no exe (ENOENT), another user's process may be closed to us (EACCES)
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'ESRCH') return undefined;
    throw error;
  }
}

async function readOnce(pid: number): Promise<ProcInfo | undefined> {
  const [statText, status, cmdline, link] = await Promise.all([
    procRead(pid, 'stat'),
    procRead(pid, 'status'),
    procRead(pid, 'cmdline'),
    procExe(pid),
  ]);
  if (statText === undefined || status === undefined || cmdline === undefined) return undefined;
  const stat = parseStat(statText);
  const uids = parseUids(status);
  if (!stat || !uids) return undefined;
  // a zombie has exited: it is not running, whatever still holds its pid
  if (stat.state === 'Z' || stat.state === 'X') return undefined;
  const exe = link === undefined ? undefined : parseExe(link);
  return { pid, ...stat, exe: exe?.exe, exeDeleted: exe?.deleted ?? false, argv: parseCmdline(cmdline), ...uids };
}

/**
 * What /proc knows about `pid`, or undefined when there is no such process or it is a zombie.
 * The reads are not atomic: if the pid died and was reused between them, the start time read
 * again at the end differs, and we read again (so a mix of two processes is never returned).
 */
export async function processInfo(pid: number): Promise<ProcInfo | undefined> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const info = await readOnce(pid);
    if (!info) return undefined;
    const again = await procRead(pid, 'stat');
    const after = again === undefined ? undefined : parseStat(again);
    if (!after || after.state === 'Z' || after.state === 'X') return undefined;
    if (after.starttime === info.starttime) return info;
  }
  return undefined;
}

/** Running and not a zombie, from /proc/<pid>/stat alone (the cheap check a poll loop wants). */
export async function isRunning(pid: number): Promise<boolean> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  const text = await procRead(pid, 'stat');
  const stat = text === undefined ? undefined : parseStat(text);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}
