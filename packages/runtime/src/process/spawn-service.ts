import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { OcfError } from '../ocf-error.ts';
import { requireAbsolute } from './absolute-path.ts';
import { findExecutable } from './binary.ts';
import { errnoOf, errnoText } from './errno.ts';
import { openServiceLog } from './service-log.ts';
import { checkUserMayRun, findSetpriv, setprivIds, waitForExec } from './setpriv.ts';
import { parseStat } from './proc-info.ts';
import type { ProcessIdentity } from './process-identity.ts';
import { lookupGroup, lookupUser, type UserInfo } from './users.ts';

export interface ServiceOptions {
  /** Absolute path, or a bare name looked up in the service's PATH. */
  command: string;
  args: string[];
  /** Absolute; default: the agent's working directory. */
  cwd?: string;
  /** Run as this user (name or uid), with its supplementary groups; needs root. */
  user?: string;
  /** Run with this primary group; default: the user's. */
  group?: string;
  /**
   * The service's whole environment: nothing of the agent's own (parameters, secrets) leaks in.
   * PATH defaults to the system directories; HOME, USER, LOGNAME come from `user` unless given.
   */
  env?: Record<string, string>;
  /** stdout and stderr are appended here (created, owned by the user, if missing); default /dev/null. */
  logFile?: string;
  /** The service's umask (e.g. 0o027); default: the agent's. */
  umask?: number;
  /**
   * Called the moment the process exists, with its kernel identity, before anything is awaited
   * (exec through setpriv may take seconds): where an owner records what it launched.
   */
  onSpawn?: (identity: ProcessIdentity) => void;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface Identity {
  user?: UserInfo;
  uid?: number;
  gid?: number;
  label: string;
}

async function resolveIdentity(options: ServiceOptions): Promise<Identity> {
  const user = options.user === undefined ? undefined : await lookupUser(options.user);
  if (options.user !== undefined && !user) throw OcfError.installed(`user ${options.user} does not exist on this node`);
  const group = options.group === undefined ? undefined : await lookupGroup(options.group);
  if (options.group !== undefined && !group) throw OcfError.installed(`group ${options.group} does not exist on this node`);
  const uid = user?.uid;
  const gid = group?.gid ?? user?.gid;
  const label = user ? ` as user ${user.name}` : '';
  const myUid = process.getuid?.();
  const changes = (uid !== undefined && uid !== myUid) || (gid !== undefined && gid !== process.getgid?.());
  if (changes && myUid !== 0) {
    throw OcfError.perm(`cannot run ${options.command}${label || ` as group ${options.group}`}: the agent is not running as root`);
  }
  // nothing to switch: running as ourselves keeps our own groups
  return changes ? { user, uid, gid, label } : { user, label };
}

/** The command's full path, with a reason naming it when it cannot be run at all. */
async function resolveCommand(command: string, env: Record<string, string>): Promise<string> {
  if (!command.includes('/')) {
    const found = findExecutable(command, { PATH: env.PATH ?? DEFAULT_PATH });
    if (!found) throw OcfError.installed(`${command}: not found in PATH`);
    return found;
  }
  requireAbsolute(command, 'command');
  const stats = await stat(command).catch((error: unknown) => {
    if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') throw OcfError.installed(`${command}: not found`);
    throw OcfError.perm(`${command}: ${errnoText(error)}`, { cause: error });
  });
  if (stats.isDirectory()) throw OcfError.installed(`${command}: is a directory`);
  return command;
}

/** Why exec failed, in the operator's words; ENOENT for a file that exists means its #! interpreter is missing. */
async function execFailure(path: string, code: string | undefined, label: string, cause?: unknown): Promise<OcfError> {
  if (code === 'ENOENT') {
    const exists = await stat(path).then(() => true, () => false);
    return OcfError.installed(exists ? `${path}: interpreter (#! line) not found` : `${path}: not found`, { cause });
  }
  if (code === 'EACCES' || code === 'EPERM') return OcfError.perm(`${path}: permission denied${label}`, { cause });
  return OcfError.generic(`cannot start ${path}${label}: ${code ?? String(cause)}`, { cause });
}

/** Listen at once (before any await: a quick service exits before we look) for spawn, error and exit. */
function watch(child: ChildProcess) {
  const state: { exited?: { exitCode: number | null } } = {};
  child.once('exit', (exitCode) => (state.exited = { exitCode }));
  const spawned = new Promise<{ error?: NodeJS.ErrnoException }>((resolve) => {
    child.once('spawn', () => resolve({}));
    child.once('error', (error) => resolve({ error }));
  });
  return { spawned, exited: () => state.exited };
}

/**
 * Run `fn` with the process umask set to `mask`: Node has no per-child umask, but spawn forks
 * synchronously, so the child inherits it and the agent's own umask is back before anything else
 * of ours runs (an fs call already in flight on the thread pool could see it; an agent has none then).
 */
function withUmask<T>(mask: number | undefined, fn: () => T): T {
  if (mask === undefined) return fn();
  const previous = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(previous);
  }
}

/** A launched service: its identity, and how its first process ended once it has (a self-daemonizing launcher exits at once). */
export interface LaunchedService {
  pid: number;
  /** Kernel start time of the launched process (exec keeps it): the launch's own moment on the kernel's clock. */
  starttime: number;
  exited(): { exitCode: number | null } | undefined;
}

/**
 * The start time of a child we just forked. Read before the event loop turns: until then libuv has
 * not reaped it, so even a child that already exited is still in /proc (as a zombie).
 */
function childStarttime(pid: number): number {
  const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (!stat) throw OcfError.generic(`cannot read the start time of pid ${pid}`);
  return stat.starttime;
}

/**
 * Start a long-running service, detached (own session and process group, stdin /dev/null), as
 * `user`, without a shell; resolves once the service's program is executing. The service is not
 * tracked as a helper: it must outlive the action, and the agent may exit while it runs.
 *
 * Node's spawn `uid`/`gid` drops every supplementary group (libuv calls setgroups(0)), which breaks
 * services that rely on them (a redis user in group ssl-cert reading its key). So the switch goes
 * through util-linux `setpriv --init-groups` when it is installed, and only falls back to
 * spawn's uid/gid without it.
 */
export async function spawnService(options: ServiceOptions): Promise<LaunchedService> {
  const identity = await resolveIdentity(options);
  const { user } = identity;
  const env: Record<string, string> = {
    PATH: DEFAULT_PATH,
    ...(user ? { HOME: user.home, USER: user.name, LOGNAME: user.name } : {}),
    ...options.env,
  };
  const command = await resolveCommand(options.command, env);
  if (options.cwd !== undefined) {
    requireAbsolute(options.cwd, 'working directory');
    if (!(await stat(options.cwd).then((s) => s.isDirectory(), () => false))) {
      throw OcfError.installed(`working directory ${options.cwd} does not exist`);
    }
  }

  const setpriv = identity.uid !== undefined ? await findSetpriv() : undefined;
  let file = command;
  let args = options.args;
  if (setpriv !== undefined) {
    const ids = setprivIds(identity.uid!, identity.gid!);
    await checkUserMayRun(setpriv, ids, command, identity.label);
    [file, args] = [setpriv, [...ids, '--', command, ...options.args]];
  }

  const log = options.logFile === undefined ? undefined : await openServiceLog(options.logFile, identity);
  let child: ChildProcess;
  let watched: ReturnType<typeof watch>;
  let starttime = 0;
  try {
    child = withUmask(options.umask, () =>
      spawn(file, args, {
        detached: true,
        stdio: ['ignore', log?.fd ?? 'ignore', log?.fd ?? 'ignore'],
        env,
        cwd: options.cwd,
        // without setpriv, spawn's own switch (no supplementary groups) is the fallback
        ...(setpriv === undefined && identity.uid !== undefined ? { uid: identity.uid } : {}),
        ...(setpriv === undefined && identity.gid !== undefined ? { gid: identity.gid } : {}),
      }),
    );
    watched = watch(child);
    if (child.pid !== undefined) {
      starttime = childStarttime(child.pid);
      options.onSpawn?.({ pid: child.pid, starttime });
    }
  } finally {
    // the child has its own copy of the descriptor
    await log?.close();
  }

  const { error } = await watched.spawned;
  if (error) throw await execFailure(file, errnoOf(error), identity.label, error);
  if (setpriv !== undefined) {
    const failed = await waitForExec(child.pid!, setpriv, watched.exited).catch((failure: unknown) => {
      process.kill(-child.pid!, 'SIGKILL');
      throw failure;
    });
    if (failed) throw await execFailure(command, failed, identity.label);
  }
  child.unref();
  return { pid: child.pid!, starttime, exited: watched.exited };
}
