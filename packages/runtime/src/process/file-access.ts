import { stat } from 'node:fs/promises';
import { supplementaryGroups, type UserInfo } from './users.ts';

export type Access = 'read' | 'write' | 'execute';

const BIT: Record<Access, number> = { read: 4, write: 2, execute: 1 };

/**
 * The kernel's rule for mode bits: the owner's bits for the owner, else the group's for a
 * member, else the others'. Root may read and write anything, and execute what anyone may.
 */
export function modeAllows(file: { mode: number; uid: number; gid: number }, uid: number, gids: readonly number[], what: Access): boolean {
  const bit = BIT[what];
  if (uid === 0) return what !== 'execute' || (file.mode & 0o111) !== 0;
  if (file.uid === uid) return ((file.mode >> 6) & bit) !== 0;
  if (gids.includes(file.gid)) return ((file.mode >> 3) & bit) !== 0;
  return (file.mode & bit) !== 0;
}

/**
 * May `user` read, write or execute `path`, by its mode bits? The agent runs as root, for which
 * access(2) says yes to nearly everything: the service, run as `user`, will not. `gid`: the
 * primary group the service runs with when it is not the user's own. Directories on the way are
 * not checked; ACLs are not read. Throws what stat throws (a missing file is the caller's case).
 */
export async function allowedTo(user: UserInfo, path: string, what: Access, options: { gid?: number } = {}): Promise<boolean> {
  const file = await stat(path);
  if (user.uid === 0) return modeAllows(file, 0, [], what);
  const gids = await supplementaryGroups(user);
  return modeAllows(file, user.uid, options.gid === undefined ? gids : [...gids, options.gid], what);
}
