import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliPath,
  labAvailable,
  labFootprint,
  labStateDir,
  nodesRunning,
  parseCrmMon,
  startLab,
  survivors,
  unavailable,
  waitFor,
  type Footprint,
  type Lab,
} from '../src/lab.ts';
import { labEnv, runCli } from '../src/run-cli.ts';

// Real corosync + pacemakerd in network/mount/UTS namespaces: needs root and the Debian packages.
const available = labAvailable();
if (!available.ok) console.warn(`cluster-lab tests skipped: ${available.why}`);

const UP_TIMEOUT = 150_000;
const DUMMY_OP = ['op', 'monitor', 'interval=5s'];

function expectNothingLeft(before: Footprint, name: string): void {
  expect(survivors(before)).toEqual([]);
  expect(labFootprint(name)).toEqual({ netns: [], mounts: [], inodes: [], processes: [] });
  expect(existsSync(labStateDir(name))).toBe(false);
}

// The footprint of a running lab, checked to be what a lab of SIZE nodes should hold, so that the
// "nothing left" assertions after `down` compare against something real.
function runningFootprint(name: string, size: number): Footprint {
  const footprint = labFootprint(name);
  expect(footprint.netns).toHaveLength(size + 1);
  expect(footprint.inodes).toHaveLength(size * 3 + 1); // net, mnt, uts per node, plus the hub's net
  const daemons = footprint.processes.map((p) => p.comm);
  expect(daemons.filter((c) => c === 'corosync')).toHaveLength(size);
  expect(daemons.filter((c) => c === 'pacemakerd')).toHaveLength(size);
  return footprint;
}

async function dummyNodes(lab: Lab, id: string): Promise<string[] | undefined> {
  const nodes = nodesRunning(parseCrmMon(await lab.crmMon()), id);
  return nodes.length > 0 ? nodes : undefined;
}

describe.skipIf(unavailable(available, 'the cluster lab'))('cluster-lab', () => {
  describe('a 1-node lab', () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await startLab({ nodes: 1 });
      console.log(lab.upReport);
    }, UP_TIMEOUT);
    afterAll(() => lab?.down(), UP_TIMEOUT);

    it('comes online with node1 as DC', async () => {
      expect(lab.upReport).toMatch(new RegExp(`^lab ${lab.name}: 1 node\\(s\\) online, DC node1, up in \\d+\\.\\d s$`));
      const view = parseCrmMon(await lab.crmMon());
      expect(view.dc).toBe('node1');
      expect(view.nodes.map((n) => [n.name, n.online])).toEqual([['node1', true]]);
    });

    it('runs commands inside the node: its own hostname, address, hosts file and CIB', async () => {
      expect(await lab.exec(1, 'hostname')).toEqual({ code: 0, stdout: 'node1\n', stderr: '' });
      const addr = await lab.exec('node1', 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'eth0']);
      expect(addr.stdout).toContain('inet 198.18.0.1/24');
      expect((await lab.exec(1, 'cat', ['/etc/hosts'])).stdout).toContain('198.18.0.1\tnode1\n');
      const policy = await lab.exec(1, 'crm_attribute', ['--type', 'crm_config', '--name', 'no-quorum-policy', '--query', '--quiet']);
      expect(policy).toEqual({ code: 0, stdout: 'ignore\n', stderr: '' });
      const cib = await lab.exec(1, 'cibadmin', ['-Q']);
      expect(cib.code).toBe(0);
      expect(cib.stdout).toContain('name="stonith-enabled" value="false"');
      expect(cib.stdout).toContain('name="dc-deadtime" value="2s"');
      expect(cib.stdout).toContain('name="load-threshold" value="0%"');
      expect(await lab.exec(1, 'sh', ['-c', 'exit 3'])).toEqual({ code: 3, stdout: '', stderr: '' });
    });

    it('starts ocf:heartbeat:Dummy created with pcs inside node1', async () => {
      const created = await lab.exec(1, 'pcs', ['resource', 'create', 'dummy', 'ocf:heartbeat:Dummy', ...DUMMY_OP]);
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(await lab.waitFor(() => dummyNodes(lab, 'dummy'), 30_000)).toEqual(['node1']);
    }, 60_000);

    it('goes down leaving no netns, process or mount behind', async () => {
      const before = runningFootprint(lab.name, 1);
      await lab.down();
      expectNothingLeft(before, lab.name);
      // down is idempotent
      expect(await runCli(['--name', lab.name, 'down'])).toEqual({ code: 0, stdout: '', stderr: '' });
    }, UP_TIMEOUT);
  });

  describe('a 3-node lab', () => {
    let lab: Lab;
    let crashed = '';
    beforeAll(async () => {
      lab = await startLab({ nodes: 3 });
      console.log(lab.upReport);
    }, UP_TIMEOUT);
    afterAll(() => lab?.down(), UP_TIMEOUT);

    it('comes online with all three nodes, stopping on lost quorum', async () => {
      const view = parseCrmMon(await lab.crmMon());
      expect(view.nodes.map((n) => [n.name, n.online])).toEqual([
        ['node1', true],
        ['node2', true],
        ['node3', true],
      ]);
      expect(lab.nodeNames).toContain(view.dc);
      expect(view.quorum).toBe(true);
      const policy = await lab.exec(2, 'crm_attribute', ['--type', 'crm_config', '--name', 'no-quorum-policy', '--query', '--quiet']);
      expect(policy.stdout).toBe('stop\n');
      // Nothing of the lab in the host's own network namespace.
      expect(spawnSync('ip', ['-o', 'link'], { encoding: 'utf8' }).stdout).not.toMatch(/vnode|br0/);
      expect(spawnSync('ip', ['route'], { encoding: 'utf8' }).stdout).not.toContain('198.18.');
    });

    it('moves a Dummy away from a crashed node', async () => {
      const created = await lab.exec(1, 'pcs', ['resource', 'create', 'dummy', 'ocf:heartbeat:Dummy', ...DUMMY_OP]);
      expect(created.code).toBe(0);
      const [first] = await lab.waitFor(() => dummyNodes(lab, 'dummy'), 30_000);
      crashed = first!;
      await lab.crash(crashed);
      const view = await lab.waitFor(async () => {
        const v = parseCrmMon(await lab.crmMon());
        const moved = nodesRunning(v, 'dummy');
        const offline = v.nodes.find((n) => n.name === crashed)?.online === false;
        return offline && moved.length === 1 && moved[0] !== crashed ? v : undefined;
      }, 30_000);
      expect(view.quorum).toBe(true);
      expect(view.nodes.filter((n) => n.online)).toHaveLength(2);
    }, 90_000);

    it('restarts the crashed node, which rejoins', async () => {
      await lab.restart(crashed);
      const view = parseCrmMon(await lab.crmMon());
      expect(view.nodes.map((n) => n.online)).toEqual([true, true, true]);
    }, 90_000);

    /** Node names online in crm_mon, once they are exactly `want`. */
    async function onlineBecomes(want: string[]): Promise<string[]> {
      return lab.waitFor(async () => {
        const online = parseCrmMon(await lab.crmMon()).nodes.filter((n) => n.online).map((n) => n.name);
        return online.join(' ') === want.join(' ') ? online : undefined;
      }, 40_000, 250);
    }

    it('faults print the time they acted; a killed process is found inside the node only', async () => {
      await lab.exec(2, 'sh', ['-c', 'setsid sleep 300 </dev/null >/dev/null 2>&1 &']);
      const host = spawn('sleep', ['300'], { stdio: 'ignore' }); // the same program outside the lab
      try {
        const before = Date.now();
        const result = await runCli(['--name', lab.name, 'kill', '2', 'sleep']);
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z node2: SIGKILL sleep \(pid \d+\)\n$/);
        const at = Date.parse(result.stdout.split(' ')[0]!);
        expect(at).toBeGreaterThanOrEqual(before - 5);
        expect(at).toBeLessThanOrEqual(Date.now());
        expect(host.exitCode).toBeNull();
        expect(await runCli(['--name', lab.name, 'kill', '2', 'sleep'])).toMatchObject({ code: 1, stderr: 'cluster-lab: node2: no process named sleep\n' });
      } finally {
        host.kill();
      }
    }, 60_000);

    it('freezes only the corosync of a node: the others lose it, and get it back at the thaw', async () => {
      const at = await lab.freezeCorosync(3);
      expect(Math.abs(Date.now() - at)).toBeLessThan(10_000);
      expect(await onlineBecomes(['node1', 'node2'])).toEqual(['node1', 'node2']);
      await lab.thawCorosync(3);
      await onlineBecomes(['node1', 'node2', 'node3']);
    }, 90_000);

    it('isolates a node with nftables drops inside it (link up), and heals it', async () => {
      await lab.isolate(3, { nft: true });
      expect((await lab.exec(3, 'ip', ['-o', 'link', 'show', 'eth0'])).stdout).toMatch(/state UP/);
      await onlineBecomes(['node1', 'node2']);
      expect(await runCli(['--name', lab.name, 'isolate', '3', '--nft'])).toMatchObject({ code: 1, stderr: 'cluster-lab: node3 is already isolated with nftables\n' });
      await lab.heal(3, { nft: true });
      await onlineBecomes(['node1', 'node2', 'node3']);
    }, 90_000);

    it('stops a node cleanly and rejoins it', async () => {
      const result = await runCli(['--name', lab.name, 'stop', '3'], { timeoutMs: 180_000 });
      expect(result.stdout).toMatch(/^\S+Z node3: stopped \(pacemakerd, then corosync\) in \d+\.\d s\n$/);
      const view = parseCrmMon(await lab.crmMon());
      expect(view.nodes.find((n) => n.name === 'node3')?.online).toBe(false);
      const rejoin = await runCli(['--name', lab.name, 'rejoin', '3'], { timeoutMs: 120_000 });
      expect(rejoin.stdout).toMatch(/^\S+Z node3: started corosync and pacemakerd, online again after \d+\.\d s\n$/);
      await onlineBecomes(['node1', 'node2', 'node3']);
    }, 240_000);

    it('goes down leaving no netns, process or mount behind', async () => {
      const before = runningFootprint(lab.name, 3);
      await lab.down();
      expectNothingLeft(before, lab.name);
    }, UP_TIMEOUT);
  });

  describe('an interrupted up', () => {
    // Starts `up 2` and waits until it has namespaces, mounts and running daemons.
    async function halfBuilt(name: string) {
      const child = spawn(cliPath, ['--name', name, 'up', '2'], { env: labEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      // 'close', not 'exit': stderr is complete only once the pipes are closed.
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, signal) => resolve({ code, signal })),
      );
      let footprint;
      try {
        // corosync comes up within seconds on a quiet host, and far later at a load of 15
        footprint = await waitFor(() => {
          const f = labFootprint(name);
          return f.processes.some((p) => p.comm === 'corosync') ? f : undefined;
        }, 60_000, 20);
      } catch (error) {
        // never leave this test's lab behind for the next ones
        child.kill('SIGKILL');
        await exited;
        await runCli(['--name', name, 'down'], { timeoutMs: 120_000 });
        throw error;
      }
      return { child, exited, footprint, stderr: () => stderr };
    }

    it('SIGTERM: up takes its half-built lab apart itself', async () => {
      const name = `t${process.pid}-term`;
      const up = await halfBuilt(name);
      up.child.kill('SIGTERM');
      expect(await up.exited).toEqual({ code: 143, signal: null });
      expect(up.stderr()).toContain(`up failed (exit 143): removing the half-built lab ${name}`);
      expectNothingLeft(up.footprint, name);
    }, UP_TIMEOUT);

    it('SIGKILL: down removes what up left', async () => {
      const name = `t${process.pid}-kill`;
      const up = await halfBuilt(name);
      up.child.kill('SIGKILL');
      expect(await up.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(labFootprint(name).netns).toHaveLength(3); // really left behind
      const down = await runCli(['--name', name, 'down'], { timeoutMs: 120_000 });
      expect(down).toEqual({ code: 0, stdout: '', stderr: '' });
      expectNothingLeft(up.footprint, name);
    }, UP_TIMEOUT);
  });
});
