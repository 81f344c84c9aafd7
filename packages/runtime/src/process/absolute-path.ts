import { isAbsolute } from 'node:path';
import { OcfError } from '../ocf-error.ts';

/**
 * Pacemaker runs agents in /var/lib/pacemaker/cores, so a relative path in a parameter names a
 * file nobody meant: refuse it with a reason instead of resolving it against that directory.
 */
export function requireAbsolute(path: string, what: string): void {
  if (path === '') throw OcfError.configured(`${what}: empty path`);
  if (!isAbsolute(path)) throw OcfError.configured(`${what} ${path}: not an absolute path`);
}
