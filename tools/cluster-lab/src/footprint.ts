import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, statfsSync, statSync } from 'node:fs';

// An independent look (not the CLI's own) at what a lab occupies on the host, so a test can prove
// that `down` left nothing behind.

const NSFS_MAGIC = 0x6e736673;
const MAX_NODES = 5;
const MAX_REMOTES = 4;
const NODE_NAMES = [
  ...Array.from({ length: MAX_NODES }, (_, i) => `node${i + 1}`),
  ...Array.from({ length: MAX_REMOTES }, (_, i) => `remote${i + 1}`),
];

export interface LabProcess {
  pid: number;
  comm: string;
}

export interface Footprint {
  /** Lab netns names listed by `ip netns list`. */
  netns: string[];
  /** Host mount points of the lab (its state dir, its netns files). */
  mounts: string[];
  /** Inodes of the lab's namespaces (net, mnt, uts) that exist now. */
  inodes: number[];
  /** Processes living in one of those namespaces. */
  processes: LabProcess[];
}

export function labStateDir(name: string): string {
  return `${process.env.OCFKIT_LAB_ROOT ?? '/run/ocfkit-lab'}/${name}`;
}

export function labNetnsNames(name: string): string[] {
  return ['hub', ...NODE_NAMES].map((n) => `ocfkit-${name}-${n}`);
}

function nsInode(path: string): number | undefined {
  try {
    return statfsSync(path).type === NSFS_MAGIC ? statSync(path).ino : undefined;
  } catch {
    return undefined;
  }
}

function namespaceInodes(name: string): number[] {
  const state = labStateDir(name);
  const files = [
    ...labNetnsNames(name).map((n) => `/run/netns/${n}`),
    ...NODE_NAMES.flatMap((n) => [`${state}/ns/${n}.mnt`, `${state}/ns/${n}.uts`]),
  ];
  return files.map(nsInode).filter((ino): ino is number => ino !== undefined);
}

// "net:[4026532177]" -> 4026532177; undefined for a process that is gone or a zombie.
function processInodes(pid: number): number[] {
  const out: number[] = [];
  for (const kind of ['net', 'mnt', 'uts']) {
    try {
      const m = /\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${kind}`));
      if (m) out.push(Number(m[1]));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** Processes among PIDS whose net, mnt or uts namespace is one of INODES. */
export function processesIn(inodes: readonly number[], pids?: readonly number[]): LabProcess[] {
  if (inodes.length === 0) return [];
  const wanted = new Set(inodes);
  const candidates = pids ?? readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  return candidates
    .filter((pid) => pid !== process.pid && processInodes(pid).some((ino) => wanted.has(ino)))
    .map((pid) => ({ pid, comm: comm(pid) }));
}

export function labFootprint(name: string): Footprint {
  const names = new Set(labNetnsNames(name));
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  const netns = listed
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((n) => names.has(n));
  const state = labStateDir(name);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m === state || m.startsWith(`${state}/`) || (m.startsWith('/run/netns/') && names.has(m.slice(11))));
  const inodes = namespaceInodes(name);
  return { netns, mounts, inodes, processes: processesIn(inodes) };
}

/**
 * Processes of an earlier footprint still inside the namespaces they were in then. Checks only those
 * PIDs: once a namespace is freed the kernel hands its inode number to the next new namespace.
 */
export function survivors(before: Footprint): LabProcess[] {
  return processesIn(
    before.inodes,
    before.processes.map((p) => p.pid),
  );
}
