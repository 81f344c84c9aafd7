import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, promotableMeta, runExecutable, type ExecutableResult } from '@ocfkit/testkit';
import { afterAll } from 'vitest';
import { lookupUser } from '@ocfkit/runtime';
import { parseInfo, type RedisInfo } from '../../src/info.ts';
import { withClient } from '../../src/resp/client.ts';
import { makeFakeCluster, type FakeCluster } from './fake-cluster.ts';
import { tempDir } from './redis-server.ts';
import type { TlsFiles } from './tls-files.ts';

// "Nodes" for agent tests on one machine: each its own redis.conf, port, data dir and rundir,
// all sharing one fake cluster (attributes, scores) and one resource id, as the instances of a
// promotable clone would. The built agent runs as Pacemaker runs it: a fresh process, a clean
// environment, parameters as OCF_RESKEY_*. Whatever a test started is stopped after the file.

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '../../../..');
export const AGENT = join(ROOT, 'dist/resource.d/ocfkit/redis');
export const RESOURCE = 'rds';

export function requireBuilt(): void {
  if (!existsSync(AGENT)) throw new Error(`${AGENT} is missing: run "npm run build" first`);
}

export interface NodeOptions {
  /** requirepass in redis.conf (written quoted, as an operator might). */
  password?: string;
  /** More redis.conf lines. */
  configExtra?: string;
  /** TLS on its own port, replication over TLS, no plain TCP port. */
  tls?: TlsFiles;
  /** RDB snapshots on (save 60 1), off by default. */
  persistence?: boolean;
}

export interface RunOptions {
  params?: Record<string, string | undefined>;
  meta?: Record<string, string | number | boolean>;
  timeoutMs?: number;
  promotable?: boolean;
  uid?: number;
  gid?: number;
  env?: Record<string, string | undefined>;
}

export interface TestNode {
  readonly name: string;
  readonly port: number;
  readonly tlsPort?: number;
  readonly base: string;
  readonly rundir: string;
  readonly socket: string;
  readonly config: string;
  readonly password?: string;
  params(): Record<string, string>;
  run(action: string, options?: RunOptions): Promise<ExecutableResult>;
  info(): Promise<RedisInfo>;
  command(...args: string[]): Promise<unknown>;
  pid(): number | undefined;
  /** SIGKILL the server, as a crash would. */
  crash(): void;
}

export interface Cluster {
  readonly nodes: TestNode[];
  readonly fake: FakeCluster;
  /** node1:127.0.0.1:port;... for node_address_map. */
  readonly addressMap: string;
}

const running: TestNode[] = [];

function quoteConf(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

export async function makeCluster(count: number, options: NodeOptions = {}): Promise<Cluster> {
  const redis = await lookupUser('redis');
  if (!redis) throw new Error('the redis user is missing (Debian package redis-server)');
  const fakeDir = tempDir('ocfkit-fake-cluster-');
  const fake = makeFakeCluster(fakeDir, 'node1');
  const layout = [];
  for (let i = 1; i <= count; i++) {
    const base = tempDir('ocfkit-rds-');
    chmodSync(base, 0o755);
    const port = await freePort();
    const tlsPort = options.tls ? await freePort() : undefined;
    layout.push({ name: `node${i}`, base, port, tlsPort });
  }
  const addressMap = layout.map((l) => `${l.name}:127.0.0.1:${l.tlsPort ?? l.port}`).join(';');
  const nodes = layout.map(({ name, base, port, tlsPort }) => {
    const data = join(base, 'data');
    mkdirSync(data);
    chownSync(data, redis.uid, redis.gid);
    const logfile = join(base, 'redis.log');
    writeFileSync(logfile, '');
    chownSync(logfile, redis.uid, redis.gid);
    const lines = [
      `# test node ${name}`,
      options.tls ? 'port 0' : `port ${port}`,
      'bind 127.0.0.1',
      `dir ${data}`,
      options.persistence ? 'save 60 1' : 'save ""',
      `logfile ${logfile}`,
      'repl-diskless-sync-delay 0',
      'repl-ping-replica-period 1',
    ];
    if (options.password !== undefined) lines.push(`requirepass ${quoteConf(options.password)}`);
    if (options.tls) {
      const t = options.tls;
      lines.push(`tls-port ${tlsPort}`, `tls-cert-file ${t.certFile}`, `tls-key-file ${t.keyFile}`, `tls-ca-cert-file ${t.caCertFile}`, 'tls-replication yes', 'tls-auth-clients no');
    }
    if (options.configExtra) lines.push(options.configExtra);
    const config = join(base, 'redis.conf');
    writeFileSync(config, `${lines.join('\n')}\n`);
    chmodSync(config, 0o644);
    const rundir = join(base, 'run');
    const socket = join(rundir, 'redis.sock');
    const params = () => ({
      config,
      rundir,
      node_address_map: addressMap,
      replica_link_grace: '3s',
    });
    const node: TestNode = {
      name,
      port,
      tlsPort,
      base,
      rundir,
      socket,
      config,
      password: options.password,
      params,
      run: (action, o = {}) =>
        runExecutable(AGENT, action, {
          instance: RESOURCE,
          agentName: 'redis',
          params: { ...params(), ...o.params },
          meta: { ...(o.promotable === false ? {} : promotableMeta()), on_node: name, ...o.meta },
          env: { PATH: fake.path, ...o.env },
          timeoutMs: o.timeoutMs,
          uid: o.uid,
          gid: o.gid,
        }),
      info: () => withClient({ endpoint: { path: socket }, password: options.password }, async (c) => parseInfo((await c.command(['INFO'])) as string)),
      command: (...args) => withClient({ endpoint: { path: socket }, password: options.password }, (c) => c.command(args)),
      pid: () => {
        try {
          const pid = Number(readFileSync(join(rundir, 'redis-server.pid'), 'utf8').trim());
          return pid > 0 ? pid : undefined;
        } catch {
          return undefined;
        }
      },
      crash: () => {
        const pid = node.pid();
        if (pid !== undefined) process.kill(pid, 'SIGKILL');
      },
    };
    running.push(node);
    return node;
  });
  return { nodes, fake, addressMap };
}

/** The environment of a notification, as Pacemaker 2.1.5 sends it: every list present, empty as " ". */
export function notifyMeta(type: 'pre' | 'post', operation: string, lists: Partial<Record<string, string[]>>): Record<string, string> {
  const meta: Record<string, string> = { notify_type: type, notify_operation: operation };
  for (const name of ['start', 'stop', 'promote', 'demote', 'active', 'inactive', 'promoted', 'unpromoted', 'master', 'slave']) {
    const legacy = name === 'master' ? 'promoted' : name === 'slave' ? 'unpromoted' : name;
    const unames = lists[name] ?? lists[legacy] ?? [];
    meta[`notify_${name}_uname`] = unames.length > 0 ? unames.join(' ') : ' ';
    meta[`notify_${name}_resource`] = unames.length > 0 ? unames.map((_, i) => `${RESOURCE}:${i}`).join(' ') : ' ';
  }
  return meta;
}

/**
 * vi.waitFor's options for a state the nodes reach on their own (replication linked, a write
 * replicated, a monitor's verdict after a grace): generous, since two cores may be busy.
 */
export const SETTLE = { timeout: 15_000, interval: 50 };

/** Is this pid alive (and not a zombie)? */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}

afterAll(async () => {
  // stop through the agent, then make sure: SIGKILL by the pid its pidfile named
  for (const node of running.splice(0)) {
    const pid = node.pid();
    await node.run('stop').catch(() => undefined);
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // stopped
      }
    }
  }
});
