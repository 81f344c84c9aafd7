import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { freePort } from '@ocfkit/testkit';
import type { TlsFiles } from './tls-files.ts';

// Real redis-server processes for tests: each on 127.0.0.1 with a port of its own, a unix socket
// and data dir in its own temp dir, no persistence unless asked, in the foreground so its pid is
// ours. Every server started here is killed by pid after the test file (afterAll, registered on
// import), or when the test process exits, whatever happened in between.

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface StartOptions {
  /** More redis-server options, after ours (so they win): `['--requirepass', 'pw']`. */
  args?: readonly string[];
  /** Text of a config file, written to `<dir>/redis.conf` and given first on the command line. */
  configText?: string;
  /** An existing config file to give first on the command line (instead of configText). */
  configFile?: string;
  /** Run on this data dir (a restart on an existing dataset) instead of a fresh one. */
  dir?: string;
  /** Start redis-server in this directory (default: the data dir). */
  cwd?: string;
  /**
   * Add only what the helper needs to reach and own the server (port, unix socket, foreground,
   * log to stdout), leaving dir, save, bind... to the config file. `minimalArgs()` lists them.
   */
  minimal?: boolean;
  /** Same port as before (restarts). */
  port?: number;
  /** Also listen with TLS on a port of its own, with these files. */
  tls?: TlsFiles;
  /** With tls: require client certificates (tls-auth-clients yes). Default no. */
  tlsAuthClients?: boolean;
  /**
   * 'ready' (default): wait for "ready to accept connections", logged once the dataset is loaded.
   * 'listening': return as soon as the unix socket accepts, for servers still loading.
   */
  readyWhen?: 'ready' | 'listening';
}

export interface RedisServer {
  readonly pid: number;
  readonly port: number;
  readonly tlsPort?: number;
  readonly dir: string;
  readonly socket: string;
  /** Endpoints in the shape the RESP client takes. */
  readonly unix: { path: string };
  readonly tcp: { host: string; port: number };
  /** What the server logged so far (stdout and stderr). */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now, as a crash would; resolves once the process is gone. */
  kill(): Promise<void>;
}

const servers = new Set<RedisServer>();
const dirs = new Set<string>();

/** A temp dir removed after the test file. Kept short: unix socket paths are limited to 107 bytes. */
export function tempDir(prefix = 'ocfkit-redis-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

function waitListening(path: string, child: ChildProcess, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (signal.aborted || child.exitCode !== null || child.signalCode !== null) return;
      const socket = connect({ path });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        setTimeout(attempt, 20);
      });
    };
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    attempt();
  });
}

/** The options every server gets, as `[name, value]` (what `minimal` servers get and nothing else). */
export function minimalArgs(port: number, socket: string): Array<[string, string]> {
  return [
    ['port', String(port)],
    ['unixsocket', socket],
    ['daemonize', 'no'],
    ['logfile', ''],
  ];
}

async function launch(options: StartOptions, port: number, tlsPort: number | undefined): Promise<RedisServer> {
  const dir = options.dir ?? tempDir();
  const socket = join(dir, 'redis.sock');
  const args: string[] = [];
  if (options.configText !== undefined) {
    const file = join(dir, 'redis.conf');
    writeFileSync(file, options.configText);
    args.push(file);
  } else if (options.configFile !== undefined) {
    args.push(options.configFile);
  }
  for (const [name, value] of minimalArgs(port, socket)) args.push(`--${name}`, value);
  if (!options.minimal) {
    args.push('--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'no');
    // a diskless full sync waits 5 s by default for more replicas to join: tests have no time for that
    args.push('--repl-diskless-sync-delay', '0');
  }
  if (options.tls) {
    const t = options.tls;
    args.push('--tls-port', String(tlsPort), '--tls-cert-file', t.certFile, '--tls-key-file', t.keyFile, '--tls-ca-cert-file', t.caCertFile);
    args.push('--tls-auth-clients', options.tlsAuthClients ? 'yes' : 'no');
  }
  args.push(...(options.args ?? []));

  const child = spawn(REDIS_SERVER, args, { cwd: options.cwd ?? dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const onOutput = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  if (child.pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`cannot run ${REDIS_SERVER}`);
  }
  const pid = child.pid;
  const gone = () => child.exitCode !== null || child.signalCode !== null;

  const server: RedisServer = {
    pid,
    port,
    tlsPort,
    dir,
    socket,
    unix: { path: socket },
    tcp: { host: '127.0.0.1', port },
    output: () => output,
    exited,
    isRunning: () => !gone(),
    async stop(graceMs = 5000) {
      if (gone()) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => !gone() && process.kill(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!gone()) process.kill(pid, 'SIGKILL');
      await exited;
    },
  };
  servers.add(server);
  void exited.then(() => servers.delete(server));

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('redis-server did not get ready within 20s')), 20_000);
  try {
    const ready =
      options.readyWhen === 'listening'
        ? waitListening(socket, child, controller.signal)
        : new Promise<void>((resolve, reject) => {
            const check = () => {
              if (/ready to accept connections/i.test(output)) resolve();
            };
            child.stdout!.on('data', check);
            controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
            check();
          });
    const died = exited.then(({ code, signal }) => {
      throw new Error(`redis-server exited during start (${signal ?? `code ${code}`}): ${output.trim().split('\n').slice(-3).join(' | ')}`);
    });
    await Promise.race([ready, died]);
  } catch (error) {
    await server.kill();
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return server;
}

/** Start a real redis-server and wait until it serves. Retries on a port taken in between. */
export async function startRedisServer(options: StartOptions = {}): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const tlsPort = options.tls ? await freePort() : undefined;
    try {
      return await launch(options, port, tlsPort);
    } catch (error) {
      const inUse = error instanceof Error && /Address already in use/.test(error.message);
      if (!inUse || options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

/** Stop every server still running (SIGTERM, then SIGKILL). For afterEach in files that want it. */
export async function stopAllRedisServers(): Promise<void> {
  await Promise.all([...servers].map((s) => s.stop(2000)));
}

afterAll(async () => {
  await stopAllRedisServers();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
});

// Last resort if the test process ends without afterAll (a crash, a timeout): no server outlives us.
process.once('exit', () => {
  for (const server of servers) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
