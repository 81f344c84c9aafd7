import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCrmMon, type Lab } from '../../../../tools/cluster-lab/src/lab.ts';
import {
  ACKS_FILE,
  EVENTS_FILE,
  STOP_FILE,
  type KeyCheck,
  type ProbeConfig,
  type ProbeEvent,
  type ProbeNode,
  type RedisView,
  type SentinelMasters,
  type WatchStats,
  type WriterSummary,
} from './probe/protocol.ts';
import { deploySentinel, SENTINEL_MASTER, SENTINEL_PORT } from './sentinel.ts';

// Redis on a lab, for one manager: a promotable clone of ocf:ocfkit:redis or ocf:heartbeat:redis
// (the same redis.conf, the same pcs command and the same monitor intervals, so that their numbers
// compare), or plain servers under Redis Sentinel (sentinel.ts). Everything Redis-side is observed
// by the probe, run inside a node.

/** ocfkit and heartbeat: Pacemaker agents (ocf:<agent>:redis); sentinel: Redis Sentinel, no Pacemaker resource. */
export type AgentName = 'ocfkit' | 'heartbeat' | 'sentinel';
export type Manager = 'pacemaker' | 'sentinel';
export const managerOf = (agent: AgentName): Manager => (agent === 'sentinel' ? 'sentinel' : 'pacemaker');

export const RESOURCE = 'redis';
/**
 * The writer: Debian's python3-redis, a client independent of the agent's own protocol code (a
 * bug shared by the agent and the test could otherwise hide a loss). Run by the system python,
 * inside a node.
 */
export const WRITER = join(dirname(fileURLToPath(import.meta.url)), 'writer/writer.py');
const PYTHON = '/usr/bin/python3';
export const PORT = 6379;
const PASSWORD = 'lab-secret';

/**
 * A minimal redis.conf for the lab: reachable on the node's address, a password (so protected
 * mode stays on), no snapshots (a killed server restarts empty, as after a crash without
 * persistence), and no delay before a full sync (Debian's default waits 5 s for more replicas).
 * heartbeat/redis and Sentinel leave masterauth to the administrator; ocfkit sets it from requirepass.
 */
export function redisConf(agent: AgentName): string {
  return [
    'bind 0.0.0.0',
    'protected-mode yes',
    `port ${PORT}`,
    // unquoted: heartbeat/redis reads requirepass with sed, quotes included
    `requirepass ${PASSWORD}`,
    ...(agent === 'ocfkit' ? [] : [`masterauth ${PASSWORD}`]),
    'dir /var/lib/redis',
    'dbfilename dump.rdb',
    'logfile /var/log/redis/redis-server.log',
    'save ""',
    'appendonly no',
    'repl-diskless-sync-delay 0',
    '',
  ].join('\n');
}

/** The clone as the measurements of the stock agent were taken: monitors every 5 s (Promoted) and 6 s (Unpromoted). */
export function createCommand(agent: AgentName): string[] {
  return [
    'resource', 'create', RESOURCE, `ocf:${agent}:redis`, 'config=/etc/redis/redis.conf',
    'op', 'monitor', 'interval=5s', 'role=Promoted', 'timeout=20s',
    'op', 'monitor', 'interval=6s', 'role=Unpromoted', 'timeout=20s',
    'promotable', 'notify=true',
  ];
}

/**
 * A lab name for `what` when OCFKIT_LAB_PREFIX is set (people sharing a machine keep their labs
 * apart by name); undefined otherwise, for startLab's unique default.
 */
export function labName(what: string): string | undefined {
  const prefix = process.env.OCFKIT_LAB_PREFIX;
  return prefix ? `${prefix}${what}`.slice(0, 24) : undefined;
}

async function run(lab: Lab, node: string, cmd: string, args: string[], options?: { input?: string; timeoutMs?: number }): Promise<string> {
  const result = await lab.exec(node, cmd, args, options);
  if (result.code !== 0) throw new Error(`${node}: ${cmd} ${args.join(' ')}: exit ${result.code}: ${result.stderr.trim()}`);
  return result.stdout;
}

export class RedisLab {
  readonly nodes: readonly ProbeNode[];
  private scenes = 0;

  constructor(
    readonly lab: Lab,
    readonly agent: AgentName,
    /** A host directory every node sees (under /tmp), holding the probe. */
    private readonly dir: string,
    private readonly probe: string,
  ) {
    this.nodes = lab.nodeNames.map((name, i) => ({ name, host: `198.18.0.${i + 1}` }));
  }

  hostOf(node: string): string {
    return this.nodes.find((n) => n.name === node)!.host;
  }

  get manager(): Manager {
    return managerOf(this.agent);
  }

  /** The clone (each node's private /etc/redis gets the same redis.conf), or the servers and their Sentinels. */
  async deploy(): Promise<void> {
    if (this.agent === 'sentinel') {
      await deploySentinel(this.lab, this.nodes.map((n) => n.host), PORT, PASSWORD, redisConf(this.agent));
      return;
    }
    for (const node of this.lab.nodeNames) {
      await run(this.lab, node, 'sh', ['-c', 'cat > /etc/redis/redis.conf && chown redis:redis /etc/redis/redis.conf && chmod 640 /etc/redis/redis.conf'], {
        input: redisConf(this.agent),
      });
    }
    await run(this.lab, this.lab.nodeNames[0]!, 'pcs', createCommand(this.agent));
  }

  /** What each node's Sentinel names as the master, seen from `from`. */
  async sentinels(from: string = this.lab.nodeNames[0]!): Promise<SentinelMasters> {
    return JSON.parse(await run(this.lab, from, 'node', [this.probe, 'sentinels', JSON.stringify(this.config({ sentinel: { port: SENTINEL_PORT, master: SENTINEL_MASTER } }))], { timeoutMs: 20_000 }));
  }

  private config(extra: Partial<ProbeConfig> = {}): ProbeConfig {
    return { nodes: this.nodes, port: PORT, password: PASSWORD, dir: this.dir, ...extra };
  }

  /** Every node's Redis, seen from `from` (default: the first node). */
  async views(from: string = this.lab.nodeNames[0]!): Promise<Record<string, RedisView>> {
    return JSON.parse(await run(this.lab, from, 'node', [this.probe, 'views', JSON.stringify(this.config())], { timeoutMs: 20_000 }));
  }

  /** The clone's instances in crm_mon, by node ("Promoted", "Unpromoted", "Promoted (failed)"). */
  async roles(): Promise<Record<string, string>> {
    const roles: Record<string, string> = {};
    for (const r of parseCrmMon(await this.lab.crmMon()).resources) {
      if (r.id !== RESOURCE || !r.active) continue;
      for (const node of r.nodes) roles[node] = r.failed ? `${r.role} (failed)` : r.role;
    }
    return roles;
  }

  /**
   * The primary once `members` run as one Promoted and the rest Unpromoted in crm_mon, and each
   * replica reports master_link_status:up to the primary (by address, or by node name as
   * heartbeat/redis points them); undefined otherwise.
   */
  async steadyPrimary(members: readonly string[]): Promise<string | undefined> {
    if (this.agent === 'sentinel') return this.steadySentinelPrimary(members);
    const roles = await this.roles();
    const promoted = members.filter((n) => roles[n] === 'Promoted');
    if (promoted.length !== 1 || !members.every((n) => n === promoted[0] || roles[n] === 'Unpromoted')) return undefined;
    const primary = promoted[0]!;
    const views = await this.views(members.find((n) => n !== primary));
    if (views[primary]?.role !== 'master') return undefined;
    const linked = members
      .filter((n) => n !== primary)
      .every((n) => {
        const v = views[n];
        return v?.role === 'slave' && v.link === 'up' && v.masterPort === PORT && (v.masterHost === this.hostOf(primary) || v.masterHost === primary);
      });
    return linked ? primary : undefined;
  }

  /** Under Sentinel: one master among `members`, the others linked to it, and every Sentinel naming it. */
  private async steadySentinelPrimary(members: readonly string[]): Promise<string | undefined> {
    const views = await this.views(members[0]);
    const masters = members.filter((n) => views[n]?.role === 'master');
    if (masters.length !== 1) return undefined;
    const primary = masters[0]!;
    const address = `${this.hostOf(primary)}:${PORT}`;
    const linked = members.filter((n) => n !== primary).every((n) => views[n]?.role === 'slave' && views[n]?.link === 'up' && views[n]?.masterHost === this.hostOf(primary));
    const named = Object.entries(await this.sentinels(members[0])).filter(([n]) => members.includes(n)).every(([, m]) => m === address);
    return linked && named ? primary : undefined;
  }

  /** Starts observing and writing from `node`; stop() ends both and returns what the writer did. */
  watch(node: string): Watch {
    this.scenes += 1;
    const dir = join(this.dir, `${this.agent}-${this.scenes}`);
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const config = this.config(this.agent === 'sentinel' ? { dir, sentinel: { port: SENTINEL_PORT, master: SENTINEL_MASTER } } : { dir, crmResource: RESOURCE });
    const observing = this.lab.exec(node, 'node', [this.probe, 'watch', JSON.stringify(config)], { timeoutMs: 300_000 });
    const writing = this.lab.exec(node, PYTHON, [WRITER, 'write', JSON.stringify(this.config({ dir }))], { timeoutMs: 300_000 });
    return new Watch(this, node, dir, observing, writing);
  }

  async checkKeys(from: string, dir: string, primary: string, faultAt: number): Promise<KeyCheck> {
    const config = this.config({ dir, primary: this.hostOf(primary), faultAt });
    return JSON.parse(await run(this.lab, from, PYTHON, [WRITER, 'check', JSON.stringify(config)], { timeoutMs: 30_000 }));
  }
}

export class Watch {
  constructor(
    private readonly redisLab: RedisLab,
    readonly node: string,
    readonly dir: string,
    private readonly observing: Promise<{ code: number; stdout: string; stderr: string }>,
    private readonly writing: Promise<{ code: number; stdout: string; stderr: string }>,
  ) {}

  events(): ProbeEvent[] {
    const file = join(this.dir, EVENTS_FILE);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as ProbeEvent);
  }

  acknowledged(): number {
    const file = join(this.dir, ACKS_FILE);
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;
  }

  /** Acknowledgement times (epoch ms), in order. */
  acknowledgedAt(): number[] {
    const file = join(this.dir, ACKS_FILE);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => Number(line.split(' ')[1]));
  }

  /** Stops both; resolves with what the writer did and how often the watcher really sampled. */
  async stop(): Promise<{ writer: WriterSummary; stats: WatchStats }> {
    writeFileSync(join(this.dir, STOP_FILE), '');
    const [observed, written] = await Promise.all([this.observing, this.writing]);
    if (observed.code !== 0) throw new Error(`probe on ${this.node}: exit ${observed.code}: ${observed.stderr.trim()}`);
    if (written.code !== 0) throw new Error(`writer on ${this.node}: exit ${written.code}: ${written.stderr.trim()}`);
    return { writer: JSON.parse(written.stdout) as WriterSummary, stats: JSON.parse(observed.stdout) as WatchStats };
  }

  /** Are the acknowledged keys on `primary`? Asked from the probe's node. */
  checkKeys(primary: string, faultAt: number): Promise<KeyCheck> {
    return this.redisLab.checkKeys(this.node, this.dir, primary, faultAt);
  }
}
