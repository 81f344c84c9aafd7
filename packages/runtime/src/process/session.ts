import { readdirSync } from 'node:fs';
import { liveStat, type ProcessIdentity } from './process-identity.ts';

/**
 * The live members of the sessions `leaders` started (setsid), found in one scan of /proc; a
 * session that cannot be ours any more contributes nobody.
 *
 * Why membership proves ownership: the kernel keeps a session id allocated while any member
 * lives, so a pid that is still some member's session id cannot have been handed to another
 * process. Conversely, if the leader's pid now runs a process with another start time, every
 * member of ours has exited (or that pid could not have been reused) and whoever has that session
 * id now is a stranger's. Members started before the leader cannot be ours either.
 */
export function sessionMembers(leaders: readonly ProcessIdentity[]): ProcessIdentity[] {
  const since = new Map<number, number>();
  for (const leader of leaders) {
    const now = liveStat(leader.pid);
    if (now === undefined || now.starttime === leader.starttime) since.set(leader.pid, leader.starttime);
  }
  const members: ProcessIdentity[] = [];
  if (since.size === 0) return members;
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) > 57 || entry.charCodeAt(0) < 48) continue;
    const pid = Number(entry);
    let stat;
    try {
      stat = liveStat(pid);
    } catch {
      continue; // gone between readdir and read, or closed to us
    }
    const from = stat && since.get(stat.session);
    if (stat && from !== undefined && stat.starttime >= from) members.push({ pid, starttime: stat.starttime });
  }
  return members;
}
