import { join } from 'node:path';
import { labAvailable, parseCrmMon, startLab, unavailable, type Lab } from '@ocfkit/cluster-lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO, ROOT, requireBuilt } from './helpers/instance.ts';
import { needs, nothingLeft, type RealService } from './real-programs/helpers.ts';
import { NGINX, nginx } from './real-programs/nginx.ts';
import { PYTHON, pythonExec } from './real-programs/wrappers.ts';
import { describeProc, family, processes } from './real-programs/proc.ts';

// The agent as a resource of a real Pacemaker 2.1 + Corosync cluster (one node, in its own
// namespaces): created with pcs, recovered by Pacemaker after a crash, its exit reason shown by
// crm_mon, nothing left behind by a stop. Then real programs (Debian's nginx, python behind an
// exec wrapper) through the same cycle.
const lab = labAvailable();
const PORT = 8080;
const PIDFILE = '/run/ocfkit/http-service-web.pid';

describe.skipIf(unavailable(lab, 'the cluster lab'))(`http-service under Pacemaker${lab.ok ? '' : ` (skipped: ${lab.why})`}`, () => {
  let cluster: Lab;
  const sh = (cmd: string, ...args: string[]) => cluster.exec(1, cmd, args);
  const resource = async (id: string) => parseCrmMon(await cluster.crmMon()).resources.find((r) => r.id === id);
  const healthy = async (port: number, path = '/health') => (await sh('curl', '-sf', '-o', '/dev/null', `http://127.0.0.1:${port}${path}`)).code === 0;

  /**
   * Waits, bounded, until crm_mon shows resource ID in ROLE and CHECK holds; on timeout the error
   * says what crm_mon and the check showed last, never only "timed out". A test asserts a state
   * only after waiting for it: Pacemaker moves through Starting, failed and recovering on its own clock.
   */
  async function settle(id: string, role: string, check: () => Promise<string | undefined> = async () => undefined, ms = 60_000) {
    try {
      await cluster.waitFor(async () => {
        const r = await resource(id);
        // a check that throws is a state seen too, reported with crm_mon's
        const problem = await check().catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
        const saw = r ? `${r.role}${r.failed ? ', failed' : ''} on [${r.nodes.join(', ')}]` : 'absent';
        if (r?.role === role && !r.failed && problem === undefined) return true;
        throw new Error(`crm_mon shows ${id} ${saw}${problem ? `; ${problem}` : ''}`);
      }, ms);
    } catch (error) {
      throw new Error(`waiting for ${id} to be ${role}: ${(error as Error).message}`);
    }
  }

  beforeAll(async () => {
    requireBuilt();
    cluster = await startLab({ nodes: 1, agentsDir: join(ROOT, 'dist/resource.d/ocfkit') });
  }, 180_000);
  afterAll(async () => {
    await cluster?.down();
  }, 180_000);

  describe('a node server, straight', () => {
    const servicePid = async () => {
      const { stdout, code } = await sh('cat', PIDFILE);
      return code === 0 ? Number(stdout.trim()) : undefined;
    };
    const servedHealthy = async () => ((await healthy(PORT)) ? undefined : `http://127.0.0.1:${PORT}/health does not answer`);

    it('pcs creates the resource and it starts', async () => {
      const created = await sh(
        'pcs', 'resource', 'create', 'web', 'ocf:ocfkit:http-service',
        `service_path=${HELLO}`, `service_args=--port ${PORT}`, `probe_url=http://127.0.0.1:${PORT}/health`,
        'op', 'monitor', 'interval=2s', 'timeout=10s', 'op', 'start', 'timeout=15s',
      );
      expect(created.code, created.stderr).toBe(0);
      await settle('web', 'Started', servedHealthy);
      expect((await sh('crm_resource', '--show-metadata', 'ocf:ocfkit:http-service')).stdout).toContain('<version>1.1</version>');
    }, 90_000);

    it('recovers the service after it is killed, and prints how long it took', async () => {
      const before = (await servicePid())!;
      const killedAt = Date.now();
      expect((await sh('kill', '-9', String(before))).code).toBe(0);
      await settle('web', 'Started', async () => {
        const pid = await servicePid();
        if (pid === undefined || pid === before) return `the pidfile still names ${pid ?? 'nothing'} (killed: ${before})`;
        return servedHealthy();
      });
      const seconds = ((Date.now() - killedAt) / 1000).toFixed(1);
      console.log(`http-service: killed pid ${before}, Pacemaker had it Started and healthy again after ${seconds} s (monitor interval 2 s)`);
    }, 90_000);

    it('shows the exit reason of a broken probe_url in crm_mon', async () => {
      expect((await sh('pcs', 'resource', 'update', 'web', 'probe_url=http://127.0.0.1:9/health')).code).toBe(0);
      // Pacemaker keeps the first 128 characters of a reason: the service's own last log line
      // comes first, then the health check (its end may be cut off)
      const shown = /exitreason="start gave up after [^"]*, its log says: listening on \d+ \(pid \d+\); health check http:\/\/127\.0\.0\.1:9\/health: conn/;
      const xml = await cluster.waitFor(async () => {
        const out = await cluster.crmMon();
        if (shown.test(out)) return out;
        const reasons = [...out.matchAll(/<failure [^>]*>/g)].map((m) => m[0]);
        throw new Error(`crm_mon shows ${reasons.length ? reasons.join(' ') : 'no failed action'}`);
      }, 60_000);
      expect(xml).toMatch(shown);
      const text = await sh('crm_mon', '-1');
      expect(text.stdout).toContain('health check http://127.0.0.1:9/health: conn');
      // repair it: the resource comes back
      expect((await sh('pcs', 'resource', 'update', 'web', `probe_url=http://127.0.0.1:${PORT}/health`)).code).toBe(0);
      expect((await sh('pcs', 'resource', 'cleanup', 'web')).code).toBe(0);
      await settle('web', 'Started', servedHealthy);
    }, 120_000);

    it('stop leaves nothing running', async () => {
      const pid = (await servicePid())!;
      expect((await sh('pcs', 'resource', 'disable', 'web')).code).toBe(0);
      await settle('web', 'Stopped');
      // gone, or a zombie waiting for this machine's pid 1 to reap it
      expect((await sh('ps', '-o', 'stat=', '-p', String(pid))).stdout.trim()).toMatch(/^(Z.*)?$/);
      const ps = await sh('ps', '-eo', 'pid,args');
      expect(ps.stdout).not.toContain(`${HELLO} --port ${PORT}`);
      expect((await sh('test', '-e', PIDFILE)).code).not.toBe(0);
    }, 90_000);
  });

  /**
   * A real program as a resource: Started, recovered by Pacemaker after kill -9 of the process
   * really serving, Stopped with nothing of it left. Its files live in /tmp, which the node shares.
   */
  function realProgram(id: string, make: () => Promise<RealService>, victimIs: string) {
    let service: RealService;
    // served by the process the agent recorded (or its family), healthy from inside the node
    const servedByOurs = async () => {
      if (!(await healthy(service.port))) return `http://127.0.0.1:${service.port}/health does not answer`;
      const root = service.recorded();
      if (!root) return `${service.params.pidfile} names no running process`;
      const ours = new Set(family(root.pid, processes()).map((p) => p.pid));
      const serving = service.serving();
      const strangers = serving.filter((p) => !ours.has(p.pid));
      if (serving.length === 0 || strangers.length > 0) return `port ${service.port} served by ${serving.map(describeProc).join('; ') || 'nothing'} (recorded: ${describeProc(root)})`;
      service.note();
      return undefined;
    };

    beforeAll(async () => {
      service = await make();
    });
    afterAll(async () => {
      await sh('pcs', 'resource', 'delete', id, '--force');
      service?.clean();
      service?.remove();
    }, 60_000);

    it('pcs creates it and it is Started, served by what the agent launched', async () => {
      const params = Object.entries(service.params).map(([key, value]) => `${key}=${value}`);
      const created = await sh(
        'pcs', 'resource', 'create', id, 'ocf:ocfkit:http-service', ...params,
        'op', 'monitor', 'interval=2s', 'timeout=10s', 'op', 'start', 'timeout=20s', 'op', 'stop', 'timeout=20s',
      );
      expect(created.code, created.stderr).toBe(0);
      await settle(id, 'Started', servedByOurs);
    }, 90_000);

    it(`is recovered by Pacemaker after kill -9 of ${victimIs}`, async () => {
      const victim = service.target();
      process.kill(victim.pid, 'SIGKILL');
      const killedAt = Date.now();
      await settle(id, 'Started', async () => {
        if (service.target().pid === victim.pid) return `${describeProc(victim)} still serves`;
        return servedByOurs();
      });
      console.log(`http-service ${id}: killed ${describeProc(victim)}, Started and served again after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
    }, 90_000);

    it('pcs disables it: Stopped, and nothing of it is left running', async () => {
      expect((await sh('pcs', 'resource', 'disable', id)).code).toBe(0);
      await settle(id, 'Stopped');
      nothingLeft(service);
    }, 90_000);
  }

  describe.skipIf(unavailable(needs(NGINX), 'nginx'))('Debian nginx, daemonizing with its pidfile, workers as www-data', () => {
    realProgram('nginx', () => nginx(true), 'the nginx master');
  });

  describe.skipIf(unavailable(needs(PYTHON), 'python3'))('python3 http.server behind a launcher that execs it', () => {
    realProgram('pyexec', pythonExec, 'python');
  });
});
