import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
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
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw OcfError.configured(reason, { cause: error });
    throw OcfError.generic(reason, { cause: error });
  }
}
