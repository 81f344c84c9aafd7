import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCrmMon } from '../../../../../tools/cluster-lab/src/crm-mon.ts';
import { EVENTS_FILE, type CrmRoles, type ProbeConfig, type ProbeEvent, type RedisView } from './protocol.ts';
import { RedisWatch } from './redis-view.ts';

// The timeline of a failover: every Redis polled every 50 ms, crm_mon every 250 ms, and a line
// written only when what was seen changes, stamped with the wall clock (the lab's nodes share the
// host's clock: namespaces do not virtualise time), so the test can measure from its own fault time.

const REDIS_EVERY_MS = 50;
const CRM_EVERY_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Observer {
  private readonly file: string;

  constructor(
    private readonly config: ProbeConfig,
    private readonly stopped: () => boolean,
  ) {
    this.file = join(config.dir, EVENTS_FILE);
  }

  private record(event: ProbeEvent): void {
    appendFileSync(this.file, `${JSON.stringify(event)}\n`);
  }

  private async watchRedis(watch: RedisWatch): Promise<void> {
    let last = '';
    while (!this.stopped()) {
      // the key count changes with every write: left out, or every poll would be a line
      const { keys: _keys, ...view } = await watch.view();
      const text = JSON.stringify(view);
      if (text !== last) this.record({ t: Date.now(), kind: 'redis', node: watch.node.name, view });
      last = text;
      await sleep(REDIS_EVERY_MS);
    }
    watch.close();
  }

  private async watchCrm(resource: string): Promise<void> {
    let last = '';
    while (!this.stopped()) {
      const roles = await crmRoles(resource);
      const text = JSON.stringify(roles);
      if (roles !== undefined && text !== last) {
        this.record({ t: Date.now(), kind: 'crm', roles });
        last = text;
      }
      await sleep(CRM_EVERY_MS);
    }
  }

  run(): Promise<void> {
    const loops = this.config.nodes.map((node) => this.watchRedis(new RedisWatch(node, this.config)));
    if (this.config.crmResource !== undefined) loops.push(this.watchCrm(this.config.crmResource));
    return Promise.all(loops).then(() => undefined);
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
