import { statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { readOwnFile, replaceFile } from '@ocfkit/runtime';
import { loadDirectives, type Directive, type LoadedDirectives } from './directives.ts';

// The directives of a redis.conf as last read, kept in rundir so that a monitor does not read and
// split the whole file again while it is unchanged. Debian's redis.conf is 100 KB of mostly
// comments: reading it cost a monitor about 7 ms of CPU (measured), a quarter of what the agent
// adds to Node's own start, and enough allocation for a garbage collection.
//
// A copy is used only when every file it was read from is provably the same: same device, inode,
// size, mtime and ctime, in nanoseconds. ctime cannot be set by anyone (touch sets mtime, never
// ctime), and a file replaced by rename (editors, configuration management) has another inode.
// File timestamps are coarse (a clock tick), so two writes in one tick can share them: as git does
// with "racily clean" files, nothing is kept unless every file was last changed RACY_MS before the
// read began. A file changed since then has a ctime after that, so it cannot match.
//
// The copy holds what the files hold, passwords included: root's, mode 0600, and a copy that is
// not (another user's file planted in rundir, which the redis user may write) is never read.
// Include patterns (`include /etc/redis/conf.d/*.conf`) are never kept: a new file matching
// changes the configuration without changing any file read.

/** How long a file must have been unchanged before its reading is kept. */
const RACY_MS = 2000;
const VERSION = 1;

/** What the directives depend on besides the files' contents. */
export interface DirectiveSource {
  readonly file: string;
  readonly cwd: string;
  readonly overrides: ReadonlyArray<readonly string[]>;
}

export interface CacheOptions {
  /** The cache file (in rundir). */
  readonly path: string;
  /** Epoch ms; tests move it. */
  readonly now?: () => number;
}

/** [name, args, file, line, lossy, readingConfigFile]: the directive as read, its line counted. */
type StoredDirective = [string, string[], string, number, boolean, boolean];

interface Stored {
  readonly version: number;
  readonly source: DirectiveSource;
  /** One identity per file of `files`, in order. */
  readonly identities: string[];
  readonly loaded: Omit<LoadedDirectives, 'directives' | 'globbed'> & { readonly directives: StoredDirective[] };
}

/** The cache file's name in rundir, for a resource instance. */
export function directiveCacheName(instance: string): string {
  return `.ocfkit-${instance}.redis-conf.json`;
}

/** What says a file is unchanged, and when it last changed (ctime, ns). */
function identity(file: string): { id: string; changedNs: bigint } | undefined {
  try {
    const s = statSync(file, { bigint: true });
    return { id: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, changedNs: s.ctimeNs };
  } catch {
    return undefined;
  }
}

function sameSource(a: DirectiveSource, b: DirectiveSource): boolean {
  return a.file === b.file && a.cwd === b.cwd && JSON.stringify(a.overrides) === JSON.stringify(b.overrides);
}

/** The kept reading, if it is root's own (or this user's), private, of this source and still true. */
function recall(path: string, source: DirectiveSource): LoadedDirectives | undefined {
  const text = readOwnFile(path, { forbidden: 0o077 });
  if (text === undefined) return undefined;
  try {
    const stored = JSON.parse(text) as Stored;
    if (stored.version !== VERSION || !sameSource(stored.source, source)) return undefined;
    const { files } = stored.loaded;
    if (stored.identities.length !== files.length) return undefined;
    for (let i = 0; i < files.length; i++) if (identity(files[i]!)?.id !== stored.identities[i]) return undefined;
    const directives: Directive[] = stored.loaded.directives.map(([name, args, file, line, lossy, readingConfigFile]) => ({ name, args, file, line, lossy, readingConfigFile }));
    return { ...stored.loaded, directives, globbed: false };
  } catch {
    // not our format: read the files
    return undefined;
  }
}

/** Keep a reading whose files had been unchanged for RACY_MS when it began; silently skipped otherwise. */
async function keep(path: string, source: DirectiveSource, loaded: LoadedDirectives, readStartMs: number): Promise<void> {
  if (loaded.globbed) return;
  const settledNs = BigInt(readStartMs - RACY_MS) * 1_000_000n;
  const identities: string[] = [];
  for (const file of loaded.files) {
    const now = identity(file);
    if (now === undefined || now.changedNs >= settledNs) return;
    identities.push(now.id);
  }
  const stored: Stored = {
    version: VERSION,
    source,
    identities,
    loaded: {
      file: loaded.file,
      files: loaded.files,
      cwd: loaded.cwd,
      secrets: loaded.secrets,
      directives: loaded.directives.map((d) => [d.name, [...d.args], d.file, d.line, d.lossy, d.readingConfigFile]),
    },
  };
  // a copy that cannot be written (rundir not there yet, a read-only mount) only costs the next read
  await replaceFile(path, JSON.stringify(stored), { mode: 0o600 }).catch(() => undefined);
}

/** loadDirectives, through the copy kept in `cache` when the files are unchanged. */
export async function loadDirectivesCached(source: DirectiveSource, cache: CacheOptions): Promise<LoadedDirectives> {
  const recalled = recall(cache.path, source);
  if (recalled) return recalled;
  const readStartMs = (cache.now ?? Date.now)();
  const loaded = await loadDirectives(source.file, source.cwd, source.overrides);
  await keep(cache.path, source, loaded, readStartMs);
  return loaded;
}

/** Remove the kept copy (it holds what the files hold, passwords included). */
export async function forgetDirectives(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
