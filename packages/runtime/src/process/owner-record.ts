import { mkdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OcfError } from '../ocf-error.ts';
import { requireAbsolute } from './absolute-path.ts';
import { errnoOf, errnoText } from './errno.ts';
import { readOwnFile } from './own-file.ts';
import type { ProcessIdentity } from './process-identity.ts';
import { replaceFile } from './replace-file.ts';

/**
 * What the agent launched, as the kernel identified it at the time: the only processes it ever
 * reports as its service or signals. Written atomically by the agent in its own run directory
 * (see `ownerRecordPath`), never in a directory the service or its user owns.
 */
export interface OwnerRecord {
  /** The boot the identities belong to: after a reboot they name nothing of ours. */
  readonly bootId: string;
  /** The process the agent spawned; it leads its own session (setsid). Its start time is "when the launch began". */
  readonly launcher: ProcessIdentity;
  /** The service's main process once known: the launcher itself, or the daemon it forked. */
  readonly main?: ProcessIdentity;
  /** Leaders of sessions whose every member is ours: the launcher's, and a daemon's own (setsid). */
  readonly sessions: readonly ProcessIdentity[];
}

/** A record is a few hundred bytes; never read more of whatever is at the path. */
const READ_LIMIT = 4096;

/**
 * The agents' own run directory: /run/ocfkit as root (tmpfs: records end with the boot, like the
 * processes they name), OCFKIT_RUN_DIR to move it. Not next to the pidfile: that directory may be
 * the service user's (who could then plant a record naming any process for root to signal), or
 * may not exist yet and must be created by the service itself, with its own owner.
 */
function runDir(): string {
  const set = process.env.OCFKIT_RUN_DIR;
  if (set) return set;
  if (process.geteuid?.() === 0) return '/run/ocfkit';
  return join(process.env.XDG_RUNTIME_DIR || process.env.TMPDIR || '/tmp', `ocfkit-${process.geteuid?.() ?? 'user'}`);
}

/**
 * Where the record of the service whose pidfile is `pidfile` lives: `<run dir>/owned/<pidfile
 * path, '/' written %2F>` (the pidfile is unique per resource on a node).
 */
export function ownerRecordPath(pidfile: string): string {
  requireAbsolute(pidfile, 'pidfile');
  return join(runDir(), 'owned', pidfile.replaceAll('%', '%25').replaceAll('/', '%2F'));
}

const isIdentity = (value: unknown): value is ProcessIdentity =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as ProcessIdentity).pid) &&
  (value as ProcessIdentity).pid > 1 &&
  Number.isSafeInteger((value as ProcessIdentity).starttime);

/**
 * The record, or undefined when there is none or it cannot be trusted. The directory may be the
 * service user's (redis's rundir): a file we did not write ourselves (another owner, a symlink,
 * not a regular file, not our format) names nothing we may signal, so it is ignored.
 * Synchronous: a monitor reads this on every call.
 */
export function readOwnerRecord(path: string): OwnerRecord | undefined {
  const text = readOwnFile(path, { maxBytes: READ_LIMIT });
  if (text === undefined) return undefined;
  try {
    const data = JSON.parse(text) as Partial<OwnerRecord>;
    if (typeof data.bootId !== 'string' || !isIdentity(data.launcher)) return undefined;
    if (data.main !== undefined && !isIdentity(data.main)) return undefined;
    if (!Array.isArray(data.sessions) || !data.sessions.every(isIdentity)) return undefined;
    return { bootId: data.bootId, launcher: data.launcher, main: data.main, sessions: data.sessions };
  } catch {
    // garbage: no record, so nothing is ours
    return undefined;
  }
}

function failure(path: string, doing: string, error: unknown): OcfError {
  const code = errnoOf(error);
  const reason = `cannot ${doing} ${path}: ${errnoText(error)}`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return OcfError.perm(reason, { cause: error });
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return OcfError.installed(reason, { cause: error });
  return OcfError.generic(reason, { cause: error });
}

/** Write atomically (O_EXCL temp file in the same directory, fsync, rename), 0600, creating the directory (0700). */
export async function writeOwnerRecord(path: string, record: OwnerRecord): Promise<void> {
  const dir = dirname(path);
  try {
    // the run directory is shared (http-service's default pidfiles are there); the records are root's alone
    await mkdir(dirname(dir), { recursive: true, mode: 0o755 });
    await mkdir(dir, { mode: 0o700 }).catch((error: unknown) => {
      if (errnoOf(error) !== 'EEXIST') throw error;
    });
    await replaceFile(path, `${JSON.stringify(record)}\n`);
  } catch (error) {
    throw failure(path, 'record the service in', error);
  }
}

/** Forget the record (nothing of ours runs any more); one already gone is fine. */
export async function removeOwnerRecord(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw failure(path, 'remove', error);
  }
}
