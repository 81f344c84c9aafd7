import { chown, lstat, mkdir, open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, lookupUser, OcfError, readPidfile, removePidfile, spawnService, tailFile } from '@ocfkit/runtime';
import { commandLineOptions, type Instance, type RedisContext } from '../instance.ts';
import type { ReplicaTarget } from '../state.ts';
import { NO_PRIMARY } from '../replication/target.ts';

/** rundir as heartbeat/redis leaves it: present, and the redis user's (it writes pidfile and socket there). */
async function prepareRundir(ctx: RedisContext): Promise<void> {
  const { rundir, user } = ctx.params;
  await mkdir(rundir, { recursive: true, mode: 0o755 });
  const owner = await lookupUser(user);
  if (!owner) throw OcfError.installed(`user ${user} does not exist on this node`);
  await chown(rundir, owner.uid, owner.gid);
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

/** Files a dead server left: a pidfile naming nobody, a socket nobody listens on. */
async function removeLeftovers(instance: Instance): Promise<void> {
  await removePidfile(instance.paths.pidfile);
  const socket = await lstat(instance.paths.socket).catch(() => undefined);
  if (socket?.isSocket()) await unlink(instance.paths.socket).catch(() => undefined);
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
  /** The process we spawned (it exits once redis-server has daemonized). */
  launcher: number;
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
  const logOffset = instance.config.logfile ? ((await stat(instance.config.logfile).catch(() => undefined))?.size ?? 0) : 0;
  const { pid } = await spawnService({
    command: ctx.params.bin,
    args,
    cwd: ctx.params.rundir,
    user: ctx.params.user,
    env: { LANG: 'C.UTF-8' },
    logFile: instance.paths.startLog,
  });
  return { launcher: pid, logOffset };
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

/** The last words of a server that died during start: its early output, then its own log file. */
export async function whyItDied(instance: Instance, logOffset: number): Promise<string> {
  const early = await tailFile(instance.paths.startLog, 6);
  const logged = instance.config.logfile ? await tailSince(instance.config.logfile, logOffset) : [];
  const words = [...early, ...logged].map(shortLine).filter((line) => line !== '' && !NOISE.test(line));
  return words.length > 0 ? words.slice(-3).join(' | ') : 'no output (see its logfile)';
}

/** The lines a file gained after `offset` (at most the last 8 KB of them). */
async function tailSince(path: string, offset: number): Promise<string[]> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const from = Math.max(offset > size ? 0 : offset, size - 8192);
      const buffer = Buffer.alloc(size - from);
      await handle.read(buffer, 0, buffer.length, from);
      return buffer.toString('utf8').split('\n').map((line) => line.trimEnd()).slice(-6);
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
}

/** The pid redis-server wrote to our pidfile, if it names a live process. */
export async function daemonPid(instance: Instance): Promise<number | undefined> {
  const pid = await readPidfile(instance.paths.pidfile).catch(() => undefined);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}
