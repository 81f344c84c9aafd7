import { open, stat } from 'node:fs/promises';

/**
 * The last lines of a log file, for exit reasons ("the service died during start: <its last
 * words>"). Reads at most `maxBytes` from the end; never throws (a missing log is just no clue).
 * `since`: a size the file had before (see `fileSize`); only what was written after it counts,
 * so a reason never quotes a previous run's words. A file that shrank was rotated: all of it is new.
 */
export async function tailFile(path: string, lines = 3, options: { maxBytes?: number; since?: number } = {}): Promise<string[]> {
  const maxBytes = options.maxBytes ?? 8192;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const since = options.since !== undefined && options.since <= size ? options.since : 0;
      const from = Math.max(since, size - maxBytes);
      const buffer = Buffer.alloc(size - from);
      await handle.read(buffer, 0, buffer.length, from);
      return buffer
        .toString('utf8')
        .split(/\r?\n/)
        .map((line) => line.trimEnd())
        .filter((line) => line !== '')
        .slice(-lines);
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
}

/** The size of a file now (0 when it does not exist): where its new lines will start. */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}
