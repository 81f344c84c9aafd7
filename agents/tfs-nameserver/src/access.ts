import { stat } from 'node:fs/promises';
import { supplementaryGroups, type UserInfo } from '@ocfkit/runtime';

/**
 * May `user` read, write or execute `path`, by the file's mode bits (owner, group, other)? The
 * agent runs as root, for which access(2) says yes to nearly everything: the service will not.
 * Directories on the way are not checked; ACLs are not read.
 */
export async function allowedTo(user: UserInfo, path: string, what: 'read' | 'write' | 'execute'): Promise<boolean> {
  const stats = await stat(path);
  const bit = what === 'read' ? 4 : what === 'write' ? 2 : 1;
  if (user.uid === 0) return what !== 'execute' || (stats.mode & 0o111) !== 0;
  if (stats.uid === user.uid) return ((stats.mode >> 6) & bit) !== 0;
  if ((await supplementaryGroups(user)).includes(stats.gid)) return ((stats.mode >> 3) & bit) !== 0;
  return (stats.mode & bit) !== 0;
}
