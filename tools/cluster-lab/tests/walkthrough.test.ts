import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, parseCrmMon, startLab, unavailable, type Lab } from '../src/lab.ts';
import { workspaceCopy, type WorkspaceCopy } from '../../nx-plugin/tests/helpers/workspace-copy.ts';
import { applyWalkthrough, blockAfter, words } from '../../docs/tests/helpers/walkthrough.ts';

// The cluster part of docs/writing-an-agent.md: the memcached agent the page builds, created with
// the page's own pcs command in a real one-node cluster, started, killed, started again by Pacemaker.
const lab = labAvailable();
const PIDFILE = '/run/ocfkit/memcached-cache.pid';

describe.skipIf(unavailable(lab, 'the cluster lab'))(`docs/writing-an-agent.md on a cluster${lab.ok ? '' : ` (skipped: ${lab.why})`}`, () => {
  let workspace: WorkspaceCopy;
  let cluster: Lab;
  const shown = blockAfter('walkthrough: cluster').split('\n').filter(Boolean);
  const sh = (cmd: string, ...args: string[]) => cluster.exec(1, cmd, args);
  const servicePid = async () => {
    const { stdout, code } = await sh('cat', PIDFILE);
    return code === 0 ? Number(stdout.trim()) : undefined;
  };
  const startedWith = (check: (pid: number | undefined) => boolean) =>
    cluster.waitFor(async () => {
      const cache = parseCrmMon(await cluster.crmMon()).resources.find((r) => r.id === 'cache');
      const pid = await servicePid();
      return cache?.role === 'Started' && !cache.failed && check(pid) ? pid : undefined;
    }, 60_000, 500);

  beforeAll(async () => {
    workspace = workspaceCopy('ocfkit-walkthrough-lab-');
    applyWalkthrough(workspace);
    const build = workspace.run('node', ['tools/bundle/src/cli.mjs', 'memcached']);
    if (build.code !== 0) throw new Error(build.output);
    cluster = await startLab({ nodes: 1, agentsDir: join(workspace.root, 'dist/resource.d/ocfkit') });
  }, 300_000);
  afterAll(async () => {
    await cluster?.down();
    workspace?.remove();
  }, 180_000);

  it("creates the resource with the page's pcs command, and Pacemaker starts it", async () => {
    const create = words(shown.find((line) => line.includes('pcs resource create'))!);
    const args = create.slice(create.indexOf('pcs'));
    const created = await sh(args[0]!, ...args.slice(1));
    expect(created.code, created.stderr).toBe(0);
    expect(await startedWith((pid) => pid !== undefined)).toBeGreaterThan(0);
    expect((await sh('crm_resource', '--show-metadata', 'ocf:ocfkit:memcached')).stdout).toContain('<parameter name="memory_mb"');
  }, 120_000);

  it('starts memcached again after it is killed', async () => {
    const before = (await servicePid())!;
    expect(shown.some((line) => line.includes('kill node1 memcached'))).toBe(true);
    await cluster.kill(1, 'memcached');
    expect(await startedWith((pid) => pid !== undefined && pid !== before)).not.toBe(before);
  }, 120_000);
});
