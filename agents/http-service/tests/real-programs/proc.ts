import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// What the kernel says about processes, read straight from /proc: the tests decide which
// processes are the service, and what a stop left behind, from these facts and never from what
// the agent reports.

export interface Proc {
  pid: number;
  ppid: number;
  sid: number;
  /** Field 22 of /proc/PID/stat: with the pid, names one process for the whole boot. */
  starttime: number;
  state: string;
  comm: string;
  cmdline: string;
}

/** The process, or undefined when it is gone or a zombie (exited, waiting to be reaped). */
export function proc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const state = fields[0]!;
    if (state === 'Z' || state === 'X') return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return {
      pid,
      ppid: Number(fields[1]),
      sid: Number(fields[3]),
      starttime: Number(fields[19]),
      state,
      comm: stat.slice(stat.indexOf('(') + 1, close),
      cmdline,
    };
  } catch {
    return undefined;
  }
}

/** Every live process of the machine (all pid namespaces share this one here). */
export function processes(): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = proc(Number(entry));
    if (p) found.push(p);
  }
  return found;
}

/** PID and every process below it (by parent pid), parents first. */
export function family(pid: number, all: Proc[] = processes()): Proc[] {
  const root = all.find((p) => p.pid === pid);
  if (!root) return [];
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...all.filter((p) => p.ppid === out[i]!.pid));
  return out;
}

function netns(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

const LISTEN = '0A';

/** Inodes of the TCP sockets listening on PORT in PID's network namespace. */
function listeningInodes(pid: number, port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== LISTEN) continue;
      if (parseInt(cols[1]!.split(':')[1]!, 16) === port) inodes.add(cols[9]!);
    }
  }
  return inodes;
}

/**
 * The processes holding a socket that listens on PORT (in their own network namespace: the same
 * test runs on the host and inside a cluster-lab node). Kernel socket tables, then each process's fds.
 */
export function listeners(port: number, among: Proc[] = processes()): Proc[] {
  const byNs = new Map<string, Set<string>>();
  const out: Proc[] = [];
  for (const p of among) {
    const ns = netns(p.pid);
    if (ns === undefined) continue;
    if (!byNs.has(ns)) byNs.set(ns, listeningInodes(p.pid, port));
    const inodes = byNs.get(ns)!;
    if (inodes.size === 0) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${p.pid}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        const target = readlinkSync(`/proc/${p.pid}/fd/${fd}`);
        return target.startsWith('socket:[') && inodes.has(target.slice(8, -1));
      } catch {
        return false;
      }
    });
    if (holds) out.push(p);
  }
  return out;
}

export const describeProc = (p: Proc) => `pid ${p.pid} (${p.comm}: ${p.cmdline || '?'})`;
