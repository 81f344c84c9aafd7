import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCrmMon } from '../../../../../tools/cluster-lab/src/crm-mon.ts';
import { EVENTS_FILE, type CrmRoles, type LoopStats, type ProbeConfig, type ProbeEvent, type WatchStats } from './protocol.ts';
import { RedisWatch } from './redis-view.ts';
import { SentinelWatch } from './sentinel-view.ts';

// The watcher: every Redis polled in its own loop every 50 ms, the Sentinels (when there are any)
// every 100 ms, and crm_mon in a loop of its own, as fast as it answers (an exec of crm_mon takes
// a few hundred ms on a busy 2-core machine, so its samples come that far apart: the stats say
// how far). A line is written only when what a loop sees changes, stamped with the wall clock (the
// lab's nodes share the host's clock: namespaces do not virtualise time), so that timings can be
// measured from the time a fault command says it acted.

const REDIS_EVERY_MS = 50;
const SENTINEL_EVERY_MS = 100;
/** Between two crm_mon runs: enough to leave the CPU to the cluster, small beside crm_mon's own time. */
const CRM_PAUSE_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answer times of one loop, for its real resolution. */
class Samples {
  private readonly gaps: number[] = [];
  private last: number | undefined;

  add(t: number): void {
    if (this.last !== undefined) this.gaps.push(t - this.last);
    this.last = t;
  }

  stats(): LoopStats {
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return { samples: sorted.length + (this.last === undefined ? 0 : 1), medianMs: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? 0 };
  }
}

export class Observer {
  private readonly file: string;
  private readonly samples = new Map<string, Samples>();

  constructor(
    private readonly config: ProbeConfig,
    private readonly stopped: () => boolean,
  ) {
    this.file = join(config.dir, EVENTS_FILE);
  }

  private record(event: ProbeEvent): void {
    appendFileSync(this.file, `${JSON.stringify(event)}\n`);
  }

  private sampled(loop: string, t: number): void {
    let samples = this.samples.get(loop);
    if (!samples) this.samples.set(loop, (samples = new Samples()));
    samples.add(t);
  }

  private async watchRedis(watch: RedisWatch): Promise<void> {
    let last = '';
    while (!this.stopped()) {
      // the key count changes with every write: left out, or every poll would be a line
      const { keys: _keys, ...view } = await watch.view();
      const t = Date.now();
      this.sampled(`redis ${watch.node.name}`, t);
      const text = JSON.stringify(view);
      if (text !== last) this.record({ t, kind: 'redis', node: watch.node.name, view });
      last = text;
      await sleep(REDIS_EVERY_MS);
    }
    watch.close();
  }

  private async watchSentinels(watches: SentinelWatch[]): Promise<void> {
    let last = '';
    while (!this.stopped()) {
      const answers = await Promise.all(watches.map(async (w) => [w.node.name, await w.master()] as const));
      const t = Date.now();
      this.sampled('sentinel', t);
      const masters = Object.fromEntries(answers);
      const text = JSON.stringify(masters);
      if (text !== last) this.record({ t, kind: 'sentinel', masters });
      last = text;
      await sleep(SENTINEL_EVERY_MS);
    }
    for (const w of watches) w.close();
  }

  private async watchCrm(resource: string): Promise<void> {
    let last = '';
    while (!this.stopped()) {
      const asked = Date.now();
      const roles = await crmRoles(resource);
      const t = Date.now();
      if (roles !== undefined) {
        this.sampled('crm', t);
        const text = JSON.stringify(roles);
        if (text !== last) this.record({ t, kind: 'crm', roles, asked });
        last = text;
      }
      await sleep(CRM_PAUSE_MS);
    }
  }

  /** Watches until stopped; resolves with each loop's real sampling intervals. */
  async run(): Promise<WatchStats> {
    const loops = this.config.nodes.map((node) => this.watchRedis(new RedisWatch(node, this.config)));
    if (this.config.crmResource !== undefined) loops.push(this.watchCrm(this.config.crmResource));
    const sentinel = this.config.sentinel;
    if (sentinel !== undefined) loops.push(this.watchSentinels(this.config.nodes.map((node) => new SentinelWatch(node, sentinel))));
    await Promise.all(loops);
    return Object.fromEntries([...this.samples].map(([loop, s]) => [loop, s.stats()]));
  }
}

/** The clone's instances by node; undefined when crm_mon does not answer (a transient failure). */
function crmRoles(resource: string): Promise<CrmRoles | undefined> {
  return new Promise((resolve) => {
    execFile('/usr/sbin/crm_mon', ['-1', '--output-as=xml'], { timeout: 5000, env: { LC_ALL: 'C' } }, (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const roles: Record<string, string> = {};
        for (const r of parseCrmMon(stdout).resources) {
          if (r.id !== resource || !r.active) continue;
          for (const node of r.nodes) roles[node] = r.failed ? `${r.role} (failed)` : r.role;
        }
        resolve(roles);
      } catch {
        resolve(undefined);
      }
    });
  });
}
