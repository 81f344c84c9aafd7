import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OcfError } from '../ocf-error.ts';
import { requireAbsolute } from './absolute-path.ts';
import { errnoOf, errnoText } from './errno.ts';

/**
 * The log file, opened for appending. Opened as root in a directory the service user may own,
 * so: never follow a symlink at the last component, and give the file to the user only when
 * this call created it (an existing file keeps the owner the administrator chose).
 */
export async function openServiceLog(path: string, owner: { uid?: number; gid?: number }): Promise<FileHandle> {
  requireAbsolute(path, 'log file');
  const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW;
  try {
    // default paths like /var/log/ocfkit/ do not exist on a fresh node: create them root-owned,
    // like a package would (the file inside is the user's, the directory stays the admin's)
    await mkdir(dirname(path), { recursive: true, mode: 0o755 }).catch((error: unknown) => {
      // EEXIST from a recursive mkdir: some component is a file, not a directory
      if (errnoOf(error) === 'EEXIST') throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      throw error;
    });
    try {
      const handle = await open(path, flags | constants.O_CREAT | constants.O_EXCL, 0o640);
      if (owner.uid !== undefined || owner.gid !== undefined) await handle.chown(owner.uid ?? -1, owner.gid ?? -1);
      return handle;
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
      return await open(path, flags);
    }
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ELOOP') throw OcfError.perm(`log file ${path} is a symbolic link: not followed (opened as root)`);
    const reason = `cannot open log file ${path}: ${errnoText(error)}`;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw OcfError.perm(reason, { cause: error });
    // the path does not work on this node (the error rule: 5, Pacemaker tries another node)
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw OcfError.installed(reason, { cause: error });
    throw OcfError.generic(reason, { cause: error });
  }
}
