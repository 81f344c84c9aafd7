import { closeSync, openSync, readSync } from 'node:fs';

/** Does the file start with `#!`? Then the kernel runs its interpreter, which /proc shows as exe. */
export function isScript(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
