import { readdirSync } from 'node:fs';
import { liveStat, type ProcessIdentity } from './process-identity.ts';

/**
 * The live members of the session `leader` started (setsid), found in /proc; empty when that
 * session cannot be ours any more.
 *
 * Why membership proves ownership: the kernel keeps a session id allocated while any member
 * lives, so a pid that is still some member's session id cannot have been handed to another
 * process. Conversely, if the leader's pid now runs a process with another start time, every
 * member of ours has exited (or that pid could not have been reused) and whoever has that session
 * id now is a stranger's. Members started before the leader cannot be ours either.
 */
export function sessionMembers(leader: ProcessIdentity): ProcessIdentity[] {
  const now = liveStat(leader.pid);
  if (now !== undefined && now.starttime !== leader.starttime) return [];
  const members: ProcessIdentity[] = [];
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) > 57 || entry.charCodeAt(0) < 48) continue;
    const pid = Number(entry);
    let stat;
    try {
      stat = liveStat(pid);
    } catch {
      continue; // gone between readdir and read, or closed to us
    }
    if (stat && stat.session === leader.pid && stat.starttime >= leader.starttime) members.push({ pid, starttime: stat.starttime });
  }
  return members;
}
