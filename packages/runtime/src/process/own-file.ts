import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export interface OwnFileOptions {
  /**
   * Mode bits that make the file untrustworthy. Default 0o022: someone else could have written
   * it. 0o077 for a file holding secrets: someone else could also have read them.
   */
  readonly forbidden?: number;
  /** Read at most this many bytes (a record of known size); default: the whole file. */
  readonly maxBytes?: number;
}

/**
 * The text of a file this user wrote itself (with replaceFile), or undefined when it is missing or
 * cannot be trusted: a symlink, not a regular file, another user's, or with a `forbidden` mode
 * bit. Such files may live in a directory the service's user owns (redis's rundir), who could
 * plant anything there. Synchronous: monitors read them on every call, and loading fs/promises
 * alone costs ~2 ms.
 */
export function readOwnFile(path: string, options: OwnFileOptions = {}): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.uid !== process.geteuid?.() || (stats.mode & (options.forbidden ?? 0o022)) !== 0) return undefined;
    const buffer = Buffer.alloc(options.maxBytes ?? stats.size);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, length);
  } catch {
    // missing, unreadable, a directory, a symlink (ELOOP)
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
