import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labFootprint, labStateDir, parseCrmMon, remoteLabAvailable, survivors, unavailable, startLab, type Lab } from '../src/lab.ts';
import { runCli } from '../src/run-cli.ts';

// Scale: 3 full nodes and 2 Pacemaker Remote nodes (pacemaker-remoted in their own namespaces,
// connected by ocf:pacemaker:remote resources). ocf:ocfkit:http-service runs on a remote node, and
// a promotable ocf:ocfkit:redis clone has an instance on one: the score that instance sets from
// the remote node (crm_attribute through pacemaker-remoted's proxy) must reach the CIB, and the
// instance must be promotable there. The lab is named <prefix><pid>-remote (prefix "t", or
// $OCFKIT_LAB_NAME_PREFIX where labs must carry an owner's prefix).

const available = remoteLabAvailable();
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const AGENTS_DIR = process.env.OCFKIT_LAB_AGENTS ?? join(ROOT, 'dist/resource.d/ocfkit');
const HELLO = join(ROOT, 'agents/http-service/examples/hello-server.mjs');
const WEB_PORT = 22080;
const REDIS_PORT = 22379;
const PASSWORD = 'remote-lab-secret';
const ADDRESS: Record<string, string> = { node1: '198.18.0.1', node2: '198.18.0.2', remote1: '198.18.0.11', remote2: '198.18.0.12' };
/** The clone's members: two full nodes and a remote one. */
const MEMBERS = ['node1', 'node2', 'remote1'];
const UP_TIMEOUT = 200_000;

const REDIS_CONF = [
  'bind 0.0.0.0',
  'protected-mode yes',
  `port ${REDIS_PORT}`,
  `requirepass ${PASSWORD}`,
  'dir /var/lib/redis',
  'logfile /var/log/redis/redis-server.log',
  'save ""',
  'appendonly no',
  'repl-diskless-sync-delay 0',
  '',
].join('\n');

describe.skipIf(unavailable(available, 'the cluster lab with pacemaker-remoted'))(
  `3 full nodes + 2 Pacemaker Remote nodes${available.ok ? '' : ` (skipped: ${available.why})`}`,
  () => {
    let lab: Lab;

    async function sh(node: string, cmd: string, ...args: string[]): Promise<string> {
      const result = await lab.exec(node, cmd, args, { timeoutMs: 30_000 });
      if (result.code !== 0) throw new Error(`${node}: ${cmd} ${args.join(' ')}: exit ${result.code}: ${result.stderr.trim()}`);
      return result.stdout;
    }

    /** INFO replication of NODE's redis, as field -> value (asked from node1, over the lab network). */
    async function replication(node: string): Promise<Record<string, string>> {
      const text = await sh('node1', 'redis-cli', '-h', ADDRESS[node]!, '-p', String(REDIS_PORT), '-a', PASSWORD, '--no-auth-warning', 'info', 'replication');
      return Object.fromEntries(text.split(/\r?\n/).filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]));
    }

    /** The clone's instances by node, as crm_mon shows them ("Promoted", "Unpromoted", "... (failed)"). */
    async function roles(): Promise<Record<string, string>> {
      const out: Record<string, string> = {};
      for (const r of parseCrmMon(await lab.crmMon()).resources) {
        if (r.id === 'redis' && r.active) for (const n of r.nodes) out[n] = r.failed ? `${r.role} (failed)` : r.role;
      }
      return out;
    }

    /** Waits until PRIMARY is Promoted and the other members Unpromoted in crm_mon, and Redis agrees; says what it saw otherwise. */
    async function steadyWith(primary: string, ms: number): Promise<void> {
      await lab.waitFor(async () => {
        const seen = await roles();
        const want = Object.fromEntries(MEMBERS.map((n) => [n, n === primary ? 'Promoted' : 'Unpromoted']));
        if (JSON.stringify(seen, MEMBERS) !== JSON.stringify(want, MEMBERS)) throw new Error(`crm_mon shows redis ${JSON.stringify(seen)}`);
        const master = await replication(primary);
        if (master.role !== 'master') throw new Error(`${primary} answers role:${master.role}`);
        for (const node of MEMBERS.filter((n) => n !== primary)) {
          const r = await replication(node);
          if (r.role !== 'slave' || r.master_host !== ADDRESS[primary] || r.master_link_status !== 'up') {
            throw new Error(`${node} answers role:${r.role} master_host:${r.master_host} master_link_status:${r.master_link_status}`);
          }
        }
        return true;
      }, ms, 500);
    }

    /** NODE's promotion score for the clone, as the CIB holds it (read on node2, a full node). */
    async function scoreOf(node: string): Promise<number | undefined> {
      const result = await lab.exec('node2', 'crm_attribute', ['--promotion=redis', '-N', node, '--query', '--quiet']);
      return result.code === 0 && /^\d+$/.test(result.stdout.trim()) ? Number(result.stdout.trim()) : undefined;
    }

    beforeAll(async () => {
      for (const agent of ['http-service', 'redis']) {
        if (!existsSync(join(AGENTS_DIR, agent))) throw new Error(`${AGENTS_DIR}/${agent} is missing: run "node tools/bundle/src/cli.mjs" first`);
      }
      const prefix = process.env.OCFKIT_LAB_NAME_PREFIX ?? 't';
      lab = await startLab({ nodes: 3, remotes: 2, name: `${prefix}${process.pid}-remote`, agentsDir: AGENTS_DIR, timeoutS: 120 });
      console.log(lab.upReport);
    }, UP_TIMEOUT);

    afterAll(async () => {
      await lab?.down();
    }, UP_TIMEOUT);

    it('brings the remote nodes online: their own namespaces, addresses and names, no corosync', async () => {
      expect(lab.upReport).toMatch(new RegExp(`^lab ${lab.name}: 3 node\\(s\\) \\+ 2 remote node\\(s\\) online, DC node[1-3], up in \\d+\\.\\d s$`));
      expect(lab.remoteNames).toEqual(['remote1', 'remote2']);
      const view = parseCrmMon(await lab.crmMon());
      expect(view.nodes.map((n) => [n.name, n.online])).toEqual([
        ['node1', true],
        ['node2', true],
        ['node3', true],
        ['remote1', true],
        ['remote2', true],
      ]);
      expect(await sh('remote2', 'hostname')).toBe('remote2\n');
      expect(await sh('remote2', 'ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0')).toContain('inet 198.18.0.12/24');
      expect(await sh('node3', 'cat', '/etc/hosts')).toContain('198.18.0.11\tremote1\n198.18.0.12\tremote2\n');
      const running = labFootprint(lab.name);
      expect(running.netns).toHaveLength(6);
      const daemons = running.processes.map((p) => p.comm).sort();
      expect(daemons.filter((c) => c === 'pacemaker-remot')).toHaveLength(2); // comm is cut at 15 characters
      expect(daemons.filter((c) => c === 'corosync')).toHaveLength(3);
      expect(await runCli(['--name', lab.name, 'freeze-corosync', 'remote1'])).toMatchObject({
        code: 1,
        stderr: 'cluster-lab: remote1 is a Pacemaker Remote node: it runs no corosync (freeze or isolate it instead)\n',
      });
    });

    it('runs ocf:ocfkit:http-service on a remote node, answering on its address', async () => {
      await sh('node1', 'pcs', 'resource', 'create', 'web', 'ocf:ocfkit:http-service', `service_path=${HELLO}`, `service_args=--port ${WEB_PORT} --host 0.0.0.0`,
        `probe_url=http://127.0.0.1:${WEB_PORT}/health`, 'op', 'monitor', 'interval=5s', 'timeout=10s', 'op', 'start', 'timeout=20s', '--disabled');
      await sh('node1', 'pcs', 'constraint', 'location', 'web', 'prefers', 'remote2=INFINITY');
      await sh('node1', 'pcs', 'resource', 'enable', 'web');
      await lab.waitFor(async () => {
        const web = parseCrmMon(await lab.crmMon()).resources.find((r) => r.id === 'web');
        if (web?.role !== 'Started' || web.failed || web.nodes.join() !== 'remote2') throw new Error(`crm_mon shows web ${JSON.stringify(web)}`);
        return true;
      }, 60_000, 500);
      // from a full node, over the lab network: the server runs in remote2's namespaces
      expect(await sh('node1', 'curl', '-sS', '--max-time', '5', `http://${ADDRESS.remote2}:${WEB_PORT}/health`)).toBe('{"status":"ok"}');
    }, 90_000);

    it('puts a redis clone instance on a remote node, whose promotion score reaches the CIB', async () => {
      for (const node of MEMBERS) {
        const write = await lab.exec(node, 'sh', ['-c', 'cat > /etc/redis/redis.conf && chown redis:redis /etc/redis/redis.conf && chmod 640 /etc/redis/redis.conf'], { input: REDIS_CONF });
        expect(write.code, write.stderr).toBe(0);
      }
      await sh('node1', 'pcs', 'resource', 'create', 'redis', 'ocf:ocfkit:redis', 'config=/etc/redis/redis.conf',
        'op', 'monitor', 'interval=5s', 'role=Promoted', 'timeout=20s', 'op', 'monitor', 'interval=6s', 'role=Unpromoted', 'timeout=20s',
        'promotable', 'notify=true', 'clone-max=3', '--disabled');
      await sh('node1', 'pcs', 'constraint', 'location', 'redis-clone', 'avoids', 'node3=INFINITY', 'remote2=INFINITY');
      // the first primary on a full node, so that the remote one has to be promoted later
      await sh('node1', 'pcs', 'constraint', 'location', 'redis-clone', 'rule', 'role=Promoted', 'score=50', '#uname', 'eq', 'node1');
      await sh('node1', 'pcs', 'resource', 'enable', 'redis-clone');
      await steadyWith('node1', 90_000);
      // set by the agent on remote1, through pacemaker-remoted: a replica in sync
      expect(await lab.waitFor(async () => ((await scoreOf('remote1')) === 1000 ? 1000 : undefined), 20_000)).toBe(1000);
      const attrs = await sh('node1', 'cibadmin', '--query', '--xpath', "//node_state[@uname='remote1']/transient_attributes//nvpair[@name='master-redis']");
      expect(attrs).toContain('value="1000"');
    }, 150_000);

    it('promotes the remote instance: node1 and node2 replicate from remote1, and crm_mon agrees', async () => {
      await sh('node1', 'crm_resource', '--move', '--promoted', '--resource', 'redis-clone', '--node', 'remote1');
      await steadyWith('remote1', 90_000);
      // the promotion recorded from the remote node (a crm_config property), and its primary's score
      const record = (await sh('node3', 'crm_attribute', '--type', 'crm_config', '--name', 'redis-promotion', '-s', 'redis_replication', '--query', '--quiet')).trim();
      expect(record).toMatch(/^\d+:[0-9a-f]{40}:\d+:remote1$/);
      expect(await scoreOf('remote1')).toBe(1000 + Number(record.split(':')[0]));
      expect(await lab.waitFor(async () => ((await scoreOf('node1')) === 1000 ? 1000 : undefined), 20_000)).toBe(1000);
      const primary = await replication('remote1');
      expect(primary.connected_slaves).toBe('2');
      // a write on the remote primary is read back from a full node's replica
      await sh('node1', 'redis-cli', '-h', ADDRESS.remote1!, '-p', String(REDIS_PORT), '-a', PASSWORD, '--no-auth-warning', 'set', 'scale', 'remote');
      await sh('node1', 'redis-cli', '-h', ADDRESS.remote1!, '-p', String(REDIS_PORT), '-a', PASSWORD, '--no-auth-warning', 'wait', '2', '5000');
      expect(await sh('node1', 'redis-cli', '-h', ADDRESS.node2!, '-p', String(REDIS_PORT), '-a', PASSWORD, '--no-auth-warning', 'get', 'scale')).toBe('remote\n');
    }, 150_000);

    it('goes down leaving no netns, process or mount of the remote nodes behind', async () => {
      const before = labFootprint(lab.name); // the daemons, and redis and the web server on the remote nodes
      expect(before.processes.filter((p) => p.comm === 'redis-server')).toHaveLength(3);
      await lab.down();
      expect(survivors(before)).toEqual([]);
      expect(labFootprint(lab.name)).toEqual({ netns: [], mounts: [], inodes: [], processes: [] });
      expect(existsSync(labStateDir(lab.name))).toBe(false);
    }, UP_TIMEOUT);
  },
);
