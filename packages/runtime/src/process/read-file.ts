import { readFile } from 'node:fs/promises';
import { OcfError } from '../ocf-error.ts';
import { errnoOf, errnoText } from './errno.ts';

/**
 * Read a file a parameter names, failing by the error rule: missing or not a file on this node
 * is 5 (another node may have it), not permitted 4, anything else 1. `what` names the parameter.
 */
export async function readNodeFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = errnoOf(error);
    const reason = `${what} ${path}: ${code === 'ENOENT' ? 'does not exist' : errnoText(error)}`;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw OcfError.installed(reason, { cause: error });
    if (code === 'EACCES' || code === 'EPERM') throw OcfError.perm(reason, { cause: error });
    throw OcfError.generic(reason, { cause: error });
  }
}
