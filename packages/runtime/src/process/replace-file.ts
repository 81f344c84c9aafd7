import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replace `path` with `text` atomically: a temp file in the same directory, fsync'd, renamed over
 * it, so a reader at the same moment never sees a half-written or empty file. The temp file is
 * created with O_EXCL (never follows a symlink planted in a directory another user can write),
 * and rename replaces a symlink at the target rather than writing through it. Errors are the
 * system's own (the caller words them); the temp file never outlives a failure.
 */
export async function replaceFile(path: string, text: string, options: { mode?: number; owner?: { uid: number; gid: number } } = {}): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      // fchmod: the agent's umask does not change the mode asked for
      if (options.mode !== undefined) await handle.chmod(options.mode);
      if (options.owner) await handle.chown(options.owner.uid, options.owner.gid);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
