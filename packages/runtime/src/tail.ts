import { open } from 'node:fs/promises';

/**
 * The last lines of a log file, for exit reasons ("the service died during start: <its last
 * words>"). Reads at most `maxBytes` from the end; never throws (a missing log is just no clue).
 */
export async function tailFile(path: string, lines = 3, maxBytes = 8192): Promise<string[]> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
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
