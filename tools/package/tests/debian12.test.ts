import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { exitReason, freePort, runExecutable, unavailable, validateDtd, validateOcf11, type ExecutableOptions } from '@ocfkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { listAgents } from '../src/agents.mjs';
// @ts-expect-error plain ESM tool without types
import { buildAgentDeb } from '../src/agent-package.mjs';
// @ts-expect-error plain ESM tool without types
import { missingAbility, unpackRoot } from '../src/debian-root.mjs';
import { ROOT, requireBundles } from './helpers/build.ts';
import { chrootLauncher } from './helpers/chroot.ts';

// The .debs on a stock Debian 12: `apt install ./ocfkit-<agent>.deb` in a debootstrapped bookworm
// root pulls Debian's own nodejs (18.20, built without a startup snapshot), and every agent is
// then called there, by that Node, as Pacemaker would: meta-data (both schemas, as nobody),
// the calling convention, validate-all, probes, and a whole http-service lifecycle. A Node 18
// incompatibility in the runtime or an agent fails here. The root is cached in
// /var/cache/ocfkit-ci (built once per machine, 1-4 minutes); each run unpacks a fresh copy.
const why = missingAbility() as string | undefined;
const NOBODY = '65534:65534';

type Entry = { name: string; agent: { params: Record<string, { required?: boolean }> } };
let agents: Entry[] = [];
let root: { root: string; run: (args: string[], options?: object) => string; cleanup: () => void } | undefined;
const work = mkdtempSync(join(tmpdir(), 'ocfkit-debian12-debs-'));
const names = ['http-service', 'redis', 'tfs-nameserver'];

function launcher(name: string, user?: string): string {
  return chrootLauncher(work, root!.root, `/usr/lib/ocf/resource.d/ocfkit/${name}`, user);
}
const call = (name: string, action: string, options: ExecutableOptions = {}) => runExecutable(launcher(name), action, { agentName: name, ...options });

describe.skipIf(unavailable({ ok: why === undefined, why }, 'a Debian 12 root (chroot, debootstrap)'))('Debian 12: the .debs installed with apt, run by Debian\'s nodejs', () => {
  beforeAll(async () => {
    requireBundles();
    agents = await listAgents(ROOT);
    expect(agents.map((a) => a.name).sort()).toEqual(names);
    const debs: string[] = [];
    for (const entry of agents) debs.push(await buildAgentDeb(ROOT, entry, work, 1_795_552_575));
    root = unpackRoot('test');
    for (const deb of debs) copyFileSync(deb, join(root!.root, 'tmp', basename(deb)));
    // Recommends (pacemaker) left out: the cluster stack is not what is checked here, and it would
    // triple the time; Depends are installed exactly as `apt install` does
    root!.run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...debs.map((d) => `/tmp/${basename(d)}`)], { timeout: 300_000 });
  }, 900_000);
  afterAll(() => {
    root?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('apt installed Debian\'s own nodejs 18 as the dependency, and /usr/bin/node is it', () => {
    expect(root!.run(['dpkg-query', '-W', '-f', '${Version}', 'nodejs'])).toMatch(/^18\.\d+\.\d+\+dfsg-\d+~deb12u\d+$/);
    expect(root!.run(['/usr/bin/node', '-p', 'process.version + " " + process.config.variables.node_use_node_snapshot'])).toMatch(/^v18\.\d+\.\d+ false\n$/);
    for (const name of names) expect(root!.run(['dpkg-query', '-W', '-f', '${Status}', `ocfkit-${name}`])).toBe('install ok installed');
  });

  describe.for(names)('%s', (name) => {
    const declared = () => Object.keys(agents.find((a) => a.name === name)!.agent.params);
    const required = () => declared().filter((p) => agents.find((a) => a.name === name)!.agent.params[p]!.required);

    it('meta-data as Pacemaker asks (OCF 1.1): valid, every parameter, the mandatory actions', async () => {
      const result = await call(name, 'meta-data', { params: {} });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(validateOcf11(result.stdout).ok).toBe(true);
      for (const param of declared()) expect(result.stdout).toContain(`<parameter name="${param}"`);
      for (const action of ['start', 'stop', 'monitor', 'meta-data', 'validate-all']) expect(result.stdout).toContain(`<action name="${action}"`);
    });

    it('meta-data as ocf-tester asks (as nobody, no OCF version): DTD-valid', async () => {
      const result = await runExecutable(launcher(name, NOBODY), 'meta-data', { agentName: name, ocf11: false, params: {}, env: { OCF_RESOURCE_INSTANCE: undefined } });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">');
      const check = validateDtd(result.stdout);
      expect(check.output).toBe('');
      expect(check.ok).toBe(true);
    });

    it('the calling convention: unknown action 3, no action 2, usage 0', async () => {
      const unknown = await call(name, 'frobnicate');
      expect([unknown.code, unknown.reason]).toEqual([3, expect.stringMatching(/frobnicate/)]);
      const none = await call(name, '');
      expect([none.code, none.reason]).toEqual([2, expect.stringMatching(/no action/)]);
      const usage = await call(name, 'usage');
      expect(usage.code).toBe(0);
      expect(usage.stdout).toMatch(/usage:/);
    });

    it('validate-all without each required parameter: 6 naming it; stop without it: 0', async () => {
      for (const param of required()) {
        const result = await call(name, 'validate-all', { params: {} });
        expect(result.code).toBe(6);
        expect(result.reason).toContain(required()[0]);
        const stop = await call(name, 'stop', { params: {} });
        expect(stop.code).toBe(0);
        expect(param).toBeTruthy();
      }
    });
  });

  it('redis: validate-all and a probe where redis-server is not installed: 5 naming the binary, 7', async () => {
    const validate = await call('redis', 'validate-all');
    expect(validate.code).toBe(5);
    expect(validate.reason).toBe('bin: /usr/bin/redis-server not found');
    const probe = await call('redis', 'monitor');
    expect(probe.code).toBe(7);
    const stop = await call('redis', 'stop');
    expect(stop.code).toBe(0);
  });

  describe('http-service: a whole lifecycle of a Node 18 service inside the root', () => {
    let params: Record<string, string> = {};
    beforeAll(async () => {
      const port = await freePort();
      // the repository's example service, run by the root's Node 18 through its #!/usr/bin/env node
      copyFileSync(join(ROOT, 'agents/http-service/examples/hello-server.mjs'), join(root!.root, 'usr/local/bin/hello-server.mjs'));
      chmodSync(join(root!.root, 'usr/local/bin/hello-server.mjs'), 0o755);
      params = { service_path: '/usr/local/bin/hello-server.mjs', service_args: `--port ${port}`, probe_url: `http://127.0.0.1:${port}/health`, pidfile: '/run/hello.pid', user: 'nobody' };
    });
    afterAll(async () => {
      await call('http-service', 'stop', { params });
    });
    const step = (title: string, action: string, code: number, meta?: Record<string, number>) =>
      it(title, async () => {
        const result = await call('http-service', action, { params, meta });
        expect(result.code, `${action}: ${result.reason ?? result.stderr.slice(-400)}`).toBe(code);
        expect(result.stdout).toBe('');
      });
    step('validate-all: 0', 'validate-all', 0);
    step('probe of the stopped service: 7', 'monitor', 7);
    step('start: 0', 'start', 0);
    step('recurring monitor: 0', 'monitor', 0, { interval: 10_000 });
    step('start again: 0', 'start', 0);
    it('the service runs inside the root, as nobody, under Debian\'s node', () => {
      const pid = readFileSync(join(root!.root, 'run/hello.pid'), 'utf8').trim();
      expect(readFileSync(`/proc/${pid}/root/etc/debian_version`, 'utf8')).toMatch(/^12\./);
      expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\s+65534\s/m);
    });
    step('stop: 0', 'stop', 0);
    step('stop again: 0', 'stop', 0);
    step('probe after stop: 7', 'monitor', 7);
  });
});
