import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** A TCP port (any local address, IPv4 or IPv6) or a unix socket path a service listens on. */
export type Listener = { port: number } | { path: string };

/** TCP_LISTEN in /proc/net/tcp's `st` column. */
const TCP_LISTEN = '0A';
/** __SO_ACCEPTCON in /proc/net/unix's Flags column: a listening socket. */
const SO_ACCEPTCON = 0x10000;

function lines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(1);
  } catch {
    return []; // no IPv6, or no /proc/net here
  }
}

/** Inodes of the listening sockets that match, from the kernel's socket tables of our network namespace. */
export function listeningInodes(listener: Listener): Set<string> {
  const inodes = new Set<string>();
  if ('port' in listener) {
    const port = listener.port.toString(16).toUpperCase().padStart(4, '0');
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of lines(table)) {
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        const fields = line.trim().split(/\s+/);
        if (fields[3] === TCP_LISTEN && fields[1]?.endsWith(`:${port}`) && fields[9] !== undefined) inodes.add(fields[9]);
      }
    }
  } else {
    for (const line of lines('/proc/net/unix')) {
      // Num RefCount Protocol Flags Type St Inode Path
      const fields = line.trim().split(/\s+/);
      if (fields[7] === listener.path && (Number.parseInt(fields[3] ?? '0', 16) & SO_ACCEPTCON) !== 0 && fields[6] !== undefined) inodes.add(fields[6]);
    }
  }
  return inodes;
}

/**
 * Does `pid` hold one of these sockets open? A fact from the kernel (/proc/<pid>/fd), whatever
 * the process looks like: used to recognise a service the agent did not launch itself.
 */
export function holdsSocket(pid: number, inodes: Set<string>): boolean {
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (link.startsWith('socket:[') && inodes.has(link.slice(8, -1))) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

/** Every live process holding one of these sockets (a scan of /proc: for start and stop, not a monitor's hot path). */
export function socketHolders(inodes: Set<string>): number[] {
  if (inodes.size === 0) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => holdsSocket(pid, inodes));
}
