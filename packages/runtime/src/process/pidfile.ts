import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { OcfError } from '../ocf-error.ts';
import { requireAbsolute } from './absolute-path.ts';
import { errnoOf, errnoText } from './errno.ts';
import { replaceFile } from './replace-file.ts';

export interface PidfileOptions {
  /** File mode (default 0644); applied with fchmod, so the agent's umask does not change it. */
  mode?: number;
  /** Give the file (and directories this call creates) to the service user, who may rewrite or remove it. */
  owner?: { uid: number; gid: number };
}

/** What a pidfile holds: nothing (missing), a usable pid, or anything else (stale garbage). */
export type PidfileContent = { kind: 'missing' } | { kind: 'invalid' } | { kind: 'pid'; pid: number; mtimeMs: number };

/** Linux's PID_MAX_LIMIT (2^22): no pid is ever larger. */
const PID_MAX_LIMIT = 4_194_304;
/** A pidfile is one short line; never read a whole file someone pointed `pidfile` at by mistake. */
const READ_LIMIT = 64;

function failure(path: string, doing: string, error: unknown): OcfError {
  const code = errnoOf(error);
  const reason = `cannot ${doing} pidfile ${path}: ${errnoText(error)}`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return OcfError.perm(reason, { cause: error });
  if (code === 'EISDIR') return OcfError.configured(reason, { cause: error });
  return OcfError.generic(reason, { cause: error });
}

/** Parse `PID\n` (leading blanks allowed: some daemons write `%10d`). Anything else is garbage. */
export function parsePid(text: string): number | undefined {
  const line = text.split('\n', 1)[0]!.trim();
  if (!/^[0-9]{1,7}$/.test(line)) return undefined;
  const pid = Number(line);
  return pid > 0 && pid <= PID_MAX_LIMIT ? pid : undefined;
}

/** Read a pidfile without deciding yet what "missing" and "garbage" mean to the caller. */
export async function loadPidfile(path: string): Promise<PidfileContent> {
  requireAbsolute(path, 'pidfile');
  // synchronous on purpose: this runs on every monitor, and loading fs/promises alone costs
  // ~10% of a node start; a pidfile read never blocks for long
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    // ENOTDIR: a parent is a file, so no pidfile can be there either
    if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return { kind: 'missing' };
    throw failure(path, 'read', error);
  }
  try {
    const buffer = Buffer.alloc(READ_LIMIT);
    const bytesRead = readSync(fd, buffer, 0, READ_LIMIT, 0);
    const pid = parsePid(buffer.toString('latin1', 0, bytesRead));
    return pid === undefined ? { kind: 'invalid' } : { kind: 'pid', pid, mtimeMs: fstatSync(fd).mtimeMs };
  } catch (error) {
    throw failure(path, 'read', error);
  } finally {
    closeSync(fd);
  }
}

/** mkdir -p that reports the directories it created (mkdir's own mode is cut by the umask). */
async function makeParents(dir: string, owner: PidfileOptions['owner']): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: 0o755 });
  if (first === undefined) return;
  const created = [first];
  for (const part of relative(first, dir).split(sep).filter(Boolean)) created.push(join(created.at(-1)!, part));
  for (const path of created) {
    await chmod(path, 0o755);
    if (owner) await chown(path, owner.uid, owner.gid);
  }
}

/**
 * Write `PID\n` atomically: a temp file in the same directory, renamed over the pidfile, so a
 * monitor running at the same time never reads a half-written or empty pidfile. The temp file is
 * created with O_EXCL (never follows a symlink planted in a directory the service user can write)
 * and rename replaces a symlink at the target rather than writing through it.
 */
export async function writePidfile(path: string, pid: number, options: PidfileOptions = {}): Promise<void> {
  requireAbsolute(path, 'pidfile');
  if (!Number.isInteger(pid) || pid <= 0 || pid > PID_MAX_LIMIT) throw OcfError.generic(`cannot write pidfile ${path}: invalid pid ${pid}`);
  try {
    await makeParents(dirname(path), options.owner);
    await replaceFile(path, `${pid}\n`, { mode: options.mode ?? 0o644, owner: options.owner });
  } catch (error) {
    throw error instanceof OcfError ? error : failure(path, 'write', error);
  }
}

/** Remove a pidfile; one that is already gone is fine (stop must succeed when already stopped). */
export async function removePidfile(path: string): Promise<void> {
  requireAbsolute(path, 'pidfile');
  try {
    await unlink(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return;
    throw failure(path, 'remove', error);
  }
}

/**
 * For validate-all: can a pidfile live at `path` on this node? A typo such as `pidfile=/run/myapp`
 * (an existing directory) passes every syntax check and then breaks start and stop; say so
 * before start, as a problem of this node (5): the file system, not the value's syntax.
 */
export async function checkPidfilePath(path: string, what = 'pidfile'): Promise<void> {
  requireAbsolute(path, what);
  const stats = await lstat(path).catch((error: unknown) => {
    const code = errnoOf(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw OcfError.installed(`${what} ${path}: a path component is not a directory`);
    if (code === 'EACCES' || code === 'EPERM') throw OcfError.perm(`${what} ${path}: permission denied`);
    throw OcfError.generic(`${what} ${path}: ${errnoText(error)}`, { cause: error });
  });
  if (stats?.isDirectory()) throw OcfError.installed(`${what} ${path} is a directory: name a file in it, such as ${join(path, 'service.pid')}`);
  if (stats && !stats.isFile() && !stats.isSymbolicLink()) throw OcfError.installed(`${what} ${path} is not a regular file`);
}
