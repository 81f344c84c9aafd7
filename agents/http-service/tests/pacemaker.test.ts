import { join } from 'node:path';
import { labAvailable, parseCrmMon, startLab, type Lab } from '@ocfkit/cluster-lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO, ROOT, requireBuilt } from './helpers/instance.ts';

// The agent as a resource of a real Pacemaker 2.1 + Corosync cluster (one node, in its own
// namespaces): created with pcs, recovered by Pacemaker after a crash, its exit reason shown by
// crm_mon, nothing left behind by a stop.
const lab = labAvailable();
const PORT = 8080;
const PIDFILE = '/run/ocfkit/http-service-web.pid';

describe.skipIf(!lab.ok)(`http-service under Pacemaker${lab.ok ? '' : ` (skipped: ${lab.why})`}`, () => {
  let cluster: Lab;
  const sh = (cmd: string, ...args: string[]) => cluster.exec(1, cmd, args);
  const view = async () => parseCrmMon(await cluster.crmMon());
  const role = async () => (await view()).resources.find((r) => r.id === 'web');
  const servicePid = async () => {
    const { stdout, code } = await sh('cat', PIDFILE);
    return code === 0 ? Number(stdout.trim()) : undefined;
  };
  const healthy = async () => (await sh('curl', '-sf', `http://127.0.0.1:${PORT}/health`)).code === 0;

  beforeAll(async () => {
    requireBuilt();
    cluster = await startLab({ nodes: 1, agentsDir: join(ROOT, 'dist/resource.d/ocfkit') });
  }, 180_000);
  afterAll(async () => {
    await cluster?.down();
  }, 180_000);

  it('pcs creates the resource and it starts', async () => {
    const created = await sh(
      'pcs', 'resource', 'create', 'web', 'ocf:ocfkit:http-service',
      `service_path=${HELLO}`, `service_args=--port ${PORT}`, `probe_url=http://127.0.0.1:${PORT}/health`,
      'op', 'monitor', 'interval=2s', 'timeout=10s', 'op', 'start', 'timeout=15s',
    );
    expect(created.code, created.stderr).toBe(0);
    await cluster.waitFor(async () => (await role())?.role === 'Started' && (await healthy()), 60_000);
    expect((await sh('crm_resource', '--show-metadata', 'ocf:ocfkit:http-service')).stdout).toContain('<version>1.1</version>');
  }, 90_000);

  it('recovers the service after it is killed, and prints how long it took', async () => {
    const before = (await servicePid())!;
    const killedAt = Date.now();
    expect((await sh('kill', '-9', String(before))).code).toBe(0);
    await cluster.waitFor(async () => {
      const pid = await servicePid();
      return pid !== undefined && pid !== before && (await healthy());
    }, 60_000, 100);
    const seconds = ((Date.now() - killedAt) / 1000).toFixed(1);
    console.log(`http-service: killed pid ${before}, Pacemaker had it healthy again after ${seconds} s (monitor interval 2 s)`);
    expect((await role())?.role).toBe('Started');
  }, 90_000);

  it('shows the exit reason of a broken probe_url in crm_mon', async () => {
    expect((await sh('pcs', 'resource', 'update', 'web', 'probe_url=http://127.0.0.1:9/health')).code).toBe(0);
    const xml = await cluster.waitFor(async () => {
      const out = await cluster.crmMon();
      return /exitreason="[^"]*connection refused by 127\.0\.0\.1:9/.test(out) ? out : undefined;
    }, 60_000);
    expect(xml).toMatch(/exitreason="health check http:\/\/127\.0\.0\.1:9\/health: connection refused by 127\.0\.0\.1:9/);
    const text = await sh('crm_mon', '-1');
    expect(text.stdout).toContain('connection refused by 127.0.0.1:9');
    // repair it: the resource comes back
    expect((await sh('pcs', 'resource', 'update', 'web', `probe_url=http://127.0.0.1:${PORT}/health`)).code).toBe(0);
    expect((await sh('pcs', 'resource', 'cleanup', 'web')).code).toBe(0);
    await cluster.waitFor(async () => (await role())?.role === 'Started' && (await healthy()), 60_000);
  }, 120_000);

  it('stop leaves nothing running', async () => {
    const pid = (await servicePid())!;
    expect((await sh('pcs', 'resource', 'disable', 'web')).code).toBe(0);
    await cluster.waitFor(async () => (await role())?.role === 'Stopped', 60_000);
    // gone, or a zombie waiting for this machine's pid 1 to reap it
    expect((await sh('ps', '-o', 'stat=', '-p', String(pid))).stdout.trim()).toMatch(/^(Z.*)?$/);
    const ps = await sh('ps', '-eo', 'pid,args');
    expect(ps.stdout).not.toContain(`${HELLO} --port ${PORT}`);
    expect((await sh('test', '-e', PIDFILE)).code).not.toBe(0);
  }, 90_000);
});

