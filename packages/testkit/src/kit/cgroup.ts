import { existsSync, mkdirSync, readFileSync, rmdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';

// Which processes did this run start? A daemon leaves its parent's session, process group and
// often its environment, but not its cgroup: every call of the agent joins a cgroup made for the
// run, so whatever it left behind is listed in that cgroup's cgroup.procs, whatever it looks like.

const CGROUP2_MAGIC = 0x63677270;

/** A writable hierarchy: the unified one (cgroup v2), else v1's `pids` controller. */
function hierarchy(): string | undefined {
  const candidates = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified', '/sys/fs/cgroup/pids'];
  for (const dir of candidates) {
    try {
      if (!existsSync(join(dir, 'cgroup.procs'))) continue;
      if (dir === '/sys/fs/cgroup' && statfsSync(dir).type !== CGROUP2_MAGIC) continue;
      return dir;
    } catch {
      continue;
    }
  }
  return undefined;
}

export interface RunCgroup {
  /** Write "0" here to join. */
  procs: string;
  /** Pids in the cgroup now. */
  pids(): number[];
  /** SIGKILL what is left (all of it started by this run) and remove the cgroup. */
  dispose(): void;
}

/** A cgroup for one run, or the reason there is none (not root, no writable cgroup). */
export function createRunCgroup(label: string): RunCgroup | string {
  if (process.getuid?.() !== 0) return 'needs root to track processes in a cgroup';
  const base = hierarchy();
  if (!base) return 'no writable cgroup hierarchy under /sys/fs/cgroup';
  const dir = join(base, `ocfkit-${label}-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(dir);
  } catch (error) {
    return `cannot create a cgroup: ${(error as Error).message}`;
  }
  const procs = join(dir, 'cgroup.procs');
  const pids = () =>
    readFileSync(procs, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number);
  return {
    procs,
    pids,
    dispose() {
      for (let attempt = 0; attempt < 50; attempt++) {
        const left = existsSync(procs) ? pids() : [];
        for (const pid of left) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        try {
          rmdirSync(dir);
          return;
        } catch {
          // members still exiting
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        }
      }
    },
  };
}

/** `pid 4242 (sleep 3600)`: a leftover in words. */
export function describePid(pid: number): string {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return `pid ${pid} (${cmdline.slice(0, 120)})`;
  } catch {
    return `pid ${pid}`;
  }
}
