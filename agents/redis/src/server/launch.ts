import { chown, lstat, mkdir, stat, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { errnoOf, errnoText, fileSize, launchOwned, lookupUser, OcfError, removePidfile, tailFile, type OwnedLaunch } from '@ocfkit/runtime';
import { commandLineOptions, type Instance, type RedisContext } from '../instance.ts';
import type { ReplicaTarget } from '../state.ts';
import { NO_PRIMARY } from '../replication/target.ts';
import { recordOf } from './locate.ts';

/** rundir as heartbeat/redis leaves it: present, and the redis user's (it writes pidfile and socket there). */
async function prepareRundir(ctx: RedisContext): Promise<void> {
  const { rundir, user } = ctx.params;
  const owner = await lookupUser(user);
  if (!owner) throw OcfError.installed(`user ${user} does not exist on this node`);
  try {
    await mkdir(rundir, { recursive: true, mode: 0o755 });
    await chown(rundir, owner.uid, owner.gid);
  } catch (error) {
    // the error rule: not permitted here is 4, a path that cannot be a directory here is 5
    const code = errnoOf(error);
    const reason = `cannot prepare rundir ${rundir}: ${errnoText(error)}`;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw OcfError.perm(reason, { cause: error });
    if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOENT') throw OcfError.installed(reason, { cause: error });
    throw OcfError.generic(reason, { cause: error });
  }
}

/**
 * A zero-byte RDB file (a crash while it was created) makes redis-server refuse to start; like
 * heartbeat/redis, remove it: it holds nothing.
 */
async function removeEmptyDump(ctx: RedisContext, instance: Instance): Promise<void> {
  const dump = join(instance.config.dir, instance.config.dbfilename);
  const stats = await stat(dump).catch(() => undefined);
  if (stats?.isFile() && stats.size === 0) {
    ctx.log.warn(`removing the zero-byte ${dump}: redis-server refuses to start with it`);
    await unlink(dump);
  }
}

/** Does anything accept connections on this unix socket? (ECONNREFUSED: a file a dead server left) */
function listening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Files a dead server left: a pidfile naming nobody, a socket nobody listens on. A socket that
 * still answers belongs to a live server this start could not identify (it would not answer
 * INFO): unlinking it would orphan that server, and the new one would fail on its port.
 */
async function removeLeftovers(instance: Instance): Promise<void> {
  const socket = await lstat(instance.paths.socket).catch(() => undefined);
  if (socket?.isSocket()) {
    if (await listening(instance.paths.socket)) {
      throw OcfError.generic(`a server already listens on ${instance.paths.socket} but does not answer INFO as this instance's redis-server: stop it first`);
    }
    await unlink(instance.paths.socket).catch(() => undefined);
  }
  await removePidfile(instance.paths.pidfile);
  await unlink(instance.paths.startLog).catch(() => undefined);
}

/**
 * Start redis-server as heartbeat/redis does (config file, then --daemonize yes --unixsocket
 * --pidfile), as the configured user, in rundir. A promotable instance starts as a replica of
 * `target` (or of the no-primary placeholder) from its first instant: it never accepts a write
 * as a primary Pacemaker did not promote. No secret is on the command line: masterauth is set
 * over the socket once it answers.
 */
export interface Launched {
  /** The process we spawned (it exits once redis-server has daemonized), recorded as ours. */
  launch: OwnedLaunch;
  /** Where the server's own log file ended before this start: its last words are after it. */
  logOffset: number;
}

export async function launch(ctx: RedisContext, instance: Instance, replicaOf: ReplicaTarget | null | undefined): Promise<Launched> {
  await prepareRundir(ctx);
  await removeEmptyDump(ctx, instance);
  await removeLeftovers(instance);
  const args = [ctx.params.config];
  for (const [name, value] of commandLineOptions(instance.paths)) args.push(`--${name}`, value);
  if (replicaOf !== undefined) {
    const to = replicaOf ?? NO_PRIMARY;
    args.push('--replicaof', to.host, String(to.port));
  }
  ctx.log.info(`starting ${ctx.params.bin} ${args.join(' ')}`);
  const logOffset = instance.config.logfile ? await fileSize(instance.config.logfile) : 0;
  const launch = await launchOwned(recordOf(instance.paths), {
    daemonizes: true,
    command: ctx.params.bin,
    args,
    cwd: ctx.params.rundir,
    user: ctx.params.user,
    env: { LANG: 'C.UTF-8' },
    logFile: instance.paths.startLog,
  });
  return { launch, logOffset };
}

/**
 * A Redis log line without its "pid:role date time level" prefix; a config line quoted by a FATAL
 * CONFIG FILE ERROR keeps its directive but not a password it may hold.
 */
export function shortLine(line: string): string {
  const quoted = /^>>> '(requirepass|masterauth)\b/i.exec(line);
  if (quoted) return `>>> '${quoted[1]} (hidden)'`;
  return line.replace(/^\d+:[A-Z] \d{1,2} \w{3} \d{4} [\d:.]+ [*#.-] /, '');
}

/** Start-up chatter that says nothing about why the server died. */
const NOISE = /oO0OoO0OoO0Oo|Redis version=|Configuration loaded|monotonic clock|WARNING Memory overcommit|Redis is starting|just started/;

/** The last words of a server that died during start: its early output, then what it logged during this start. */
export async function whyItDied(instance: Instance, logOffset: number): Promise<string> {
  const early = await tailFile(instance.paths.startLog, 6);
  const logged = instance.config.logfile ? await tailFile(instance.config.logfile, 6, { since: logOffset }) : [];
  const words = [...early, ...logged].map(shortLine).filter((line) => line !== '' && !NOISE.test(line));
  return words.length > 0 ? words.slice(-3).join(' | ') : 'no output (see its logfile)';
}
