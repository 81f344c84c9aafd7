import { readFileSync } from 'node:fs';
import { normalize } from 'node:path';
import { OcfError, type Context } from '@ocfkit/runtime';
import { directiveCacheName } from './config/directive-cache.ts';
import { readRedisConfig, type RedisConfig } from './config/redis-config.ts';
import type { Params } from './params.ts';
import { stateFileName } from './state.ts';

// What every action derives from the parameters and redis.conf: where this instance's files are,
// the options redis-server is started with, and how the agent authenticates.

export type RedisContext = Context<Params>;

export interface Paths {
  readonly pidfile: string;
  readonly socket: string;
  readonly state: string;
  /** redis.conf's directives as last read, reused while its files are unchanged (root's, 0600). */
  readonly configCache: string;
  /** redis-server's output until it daemonizes (config errors go there). */
  readonly startLog: string;
}

export interface Instance {
  readonly paths: Paths;
  readonly config: RedisConfig;
  readonly username?: string;
  readonly password?: string;
}

export function pathsOf(ctx: RedisContext): Paths {
  const p = ctx.params;
  // rundir normalized once, and the names (one component each: params.ts) appended as text, as
  // path.join would give them. Node's path functions walk every character in JavaScript, and
  // a monitor's few dozen calls were enough for Node 22 and later to compile that walk with their
  // optimizing JIT on every call (measured: some 3 ms of CPU).
  const dir = normalize(p.rundir);
  const inDir = (name: string) => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);
  return {
    pidfile: inDir(p.pidfile_name),
    socket: inDir(p.socket_name),
    state: inDir(stateFileName(ctx.instance)),
    configCache: inDir(directiveCacheName(ctx.instance)),
    startLog: inDir(`.${p.pidfile_name}.start.log`),
  };
}

/**
 * What the agent adds to redis-server's command line, as ocf:heartbeat:redis does: the server
 * daemonizes, writes our pidfile and listens on our socket whatever the file says.
 */
export function commandLineOptions(paths: Paths): Array<[string, string]> {
  return [
    ['daemonize', 'yes'],
    ['unixsocket', paths.socket],
    ['pidfile', paths.pidfile],
  ];
}

function readPasswordFile(path: string): string {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw OcfError.installed(`password_file ${path} does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw OcfError.perm(`cannot read password_file ${path}: permission denied`);
    throw OcfError.generic(`cannot read password_file ${path}: ${(error as Error).message}`);
  }
  const password = text.split('\n', 1)[0]!.replace(/\r$/, '');
  if (password === '') throw OcfError.configured(`password_file ${path}: the first line is empty`);
  return password;
}

/**
 * Read redis.conf (as the server will see it: started in rundir, with our options) and the
 * password. `paths`: pathsOf(ctx), when the caller has them already.
 */
export async function loadInstance(ctx: RedisContext, paths = pathsOf(ctx)): Promise<Instance> {
  const p = ctx.params;
  const config = await readRedisConfig(p.config, { cwd: p.rundir, overrides: commandLineOptions(paths), cache: { path: paths.configCache } });
  // from here on, no reason or log line shows them (redis-server quotes config lines it refuses)
  for (const secret of config.secrets) ctx.secret(secret);
  const password = ctx.secret(p.password_file !== undefined ? readPasswordFile(p.password_file) : config.requirepass);
  return { paths, config, username: p.username, password };
}
