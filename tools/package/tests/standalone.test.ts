import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runExecutable, unavailable, validateOcf11 } from '@ocfkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { listAgents } from '../src/agents.mjs';
// @ts-expect-error plain ESM tool without types
import { BINARY, GLIBC_MAX, GLIBCXX_MAX, buildStandaloneDeb, buildStandaloneRpm, standaloneSpec } from '../src/standalone-package.mjs';
// @ts-expect-error plain ESM tool without types
import { missingAbility, unpackRoot } from '../src/debian-root.mjs';
// @ts-expect-error plain ESM tool without types
import { lintDeb, lintRpm } from '../src/lint.mjs';
import { ROOT, requireBundles } from './helpers/build.ts';
import { chrootLauncher } from './helpers/chroot.ts';

// ocfkit-standalone: one SEA binary (official Node.js + the agents' bundles and V8 code caches) as a
// .deb and an .rpm, installed on a Debian 12 root that has no nodejs at all, where every agent and
// tfs-ha-monitor must answer through their links. Building it takes a minute or two (the pinned
// Node.js is fetched once into /var/cache/ocfkit-ci/node).
const why = missingAbility() as string | undefined;
const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const work = mkdtempSync(join(tmpdir(), 'ocfkit-standalone-'));
type Entry = { name: string; bins: { name: string }[]; agent: { version: string } };
let agents: Entry[] = [];
let deb = '';
let rpm = '';
let binary = '';
let root: { root: string; run: (args: string[], options?: object) => string; cleanup: () => void } | undefined;

describe.skipIf(unavailable({ ok: why === undefined, why }, 'a Debian 12 root (chroot, debootstrap)'))('ocfkit-standalone', () => {
  beforeAll(async () => {
    requireBundles();
    agents = await listAgents(ROOT);
    const spec = await standaloneSpec(ROOT, agents, 1_795_552_575);
    binary = spec.binary;
    deb = buildStandaloneDeb(spec, agents, work, 1_795_552_575);
    rpm = buildStandaloneRpm(spec, agents, work, 1_795_552_575);
    root = unpackRoot('test');
    copyFileSync(deb, join(root!.root, 'tmp', basename(deb)));
    root!.run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', `/tmp/${basename(deb)}`], { timeout: 300_000 });
  }, 900_000);
  afterAll(() => {
    root?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('is one stripped binary, the official Node.js with a startup snapshot, needing glibc 2.28', () => {
    expect(sh('file', [binary]).stdout).toMatch(/ELF 64-bit LSB executable, x86-64.*, stripped/);
    const versions = sh('objdump', ['-T', binary]).stdout;
    const max = (prefix: string) => [...versions.matchAll(new RegExp(`${prefix}_([\\d.]+)`, 'g'))].map((m) => m[1]!).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop();
    expect(max('GLIBC')).toBe(GLIBC_MAX);
    expect(max('GLIBCXX')).toBe(GLIBCXX_MAX);
  });

  it('.deb: no nodejs, replaces the per-agent packages, links under the same OCF names', () => {
    const fields = sh('dpkg-deb', ['-f', deb, 'Architecture', 'Depends', 'Conflicts', 'Replaces', 'Provides']).stdout;
    const names = agents.map((a) => `ocfkit-${a.name}`);
    expect(fields).toBe(
      `Architecture: amd64\nDepends: libc6 (>= 2.28), libgcc-s1 (>= 3.4), libstdc++6 (>= 5)\nConflicts: ${names.join(', ')}\nReplaces: ${names.join(', ')}\nProvides: ${names.map((n) => `${n} (= 0.1.0-1)`).join(', ')}\n`,
    );
    const listing = sh('dpkg-deb', ['-c', deb]).stdout;
    for (const a of agents) expect(listing).toContain(`./usr/lib/ocf/resource.d/ocfkit/${a.name} -> ../../../ocfkit/ocfkit-standalone\n`);
    expect(listing).toContain('./usr/bin/tfs-ha-monitor -> ../lib/ocfkit/ocfkit-standalone\n');
    expect(listing).toContain(`./${BINARY}\n`);
  });

  it('.rpm: x86_64, provides and conflicts with the per-agent packages, no Node.js requirement', () => {
    expect(sh('rpm', ['-qp', '--qf', '%{ARCH}', rpm]).stdout).toBe('x86_64');
    const requires = sh('rpm', ['-qpR', rpm]).stdout;
    expect(requires).not.toMatch(/nodejs/);
    expect(requires).toMatch(/^libc\.so\.6\(GLIBC_2\.28\)\(64bit\)$/m);
    expect(sh('rpm', ['-qp', '--provides', rpm]).stdout).toContain('ocfkit-redis = 0.1.0-1');
    expect(sh('rpm', ['-qp', '--conflicts', rpm]).stdout.split('\n').filter(Boolean).sort()).toEqual(agents.map((a) => `ocfkit-${a.name}`).sort());
    expect(sh('rpm', ['-qpl', rpm]).stdout).toContain(`/${BINARY}\n`);
    // packaging did not strip it again: the installed file is the built one, byte for byte
    const scratch = join(work, 'rpmroot');
    expect(sh('rpm', ['--root', scratch, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', rpm]).status).toBe(0);
    expect(readFileSync(join(scratch, BINARY)).equals(readFileSync(binary))).toBe(true);
  }, 300_000);

  it('lintian and rpmlint: nothing beyond the justified overrides', () => {
    expect(lintDeb(deb)).toEqual([]);
    expect(lintRpm(rpm)).toEqual([]);
  }, 300_000);

  it('installs on Debian 12 without nodejs', { timeout: 120_000 }, () => {
    expect(sh('chroot', [root!.root, 'dpkg-query', '-W', 'nodejs']).status).not.toBe(0);
    expect(readFileSync(join(root!.root, BINARY)).equals(readFileSync(binary))).toBe(true);
  });

  describe.for(['http-service', 'redis', 'tfs-nameserver'])('%s through its link', (name) => {
    const call = (action: string) => runExecutable(chrootLauncher(work, root!.root, `/usr/lib/ocf/resource.d/ocfkit/${name}`), action, { agentName: name, params: {} });
    it('meta-data: valid OCF 1.1, its own name', async () => {
      const result = await call('meta-data');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`<resource-agent name="${name}"`);
      expect(validateOcf11(result.stdout).ok).toBe(true);
    });
    it('validate-all, unknown action, usage: the same answers as the bundle under Node 18', async () => {
      const validate = await call('validate-all');
      expect([6, 5]).toContain(validate.code);
      expect(validate.reason).toBeTruthy();
      expect((await call('frobnicate')).code).toBe(3);
      expect((await call('usage')).stdout).toMatch(/usage:/);
    });
  });

  it('tfs-ha-monitor through its link: usage and exit 255 without -i', () => {
    const r = sh('chroot', [root!.root, '/usr/bin/tfs-ha-monitor']);
    expect(r.status).toBe(255);
    expect(r.stderr).toBe('usage: tfs-ha-monitor -i ipaddr -p port [-s swith flag on=1, off= 0] [-n]\n');
  });

  it('ignores NODE_OPTIONS: no code required into an agent, no exit 9 for an option Node refuses', () => {
    writeFileSync(join(root!.root, 'tmp/injected.js'), "require('fs').writeFileSync('/tmp/injected-ran', '')\n");
    for (const options of ['--require /tmp/injected.js', '--trace-opt']) {
      const r = sh('chroot', [root!.root, 'env', '-i', 'PATH=/usr/bin:/bin', 'OCF_ROOT=/usr/lib/ocf', `NODE_OPTIONS=${options}`, '/usr/lib/ocf/resource.d/ocfkit/redis', 'usage']);
      expect([options, r.status, r.stdout]).toEqual([options, 0, expect.stringMatching(/^usage:/)]);
    }
    expect(existsSync(join(root!.root, 'tmp/injected-ran'))).toBe(false);
  });

  it('the binary called by its own name says how to use it: exit 2', () => {
    const r = sh('chroot', [root!.root, `/${BINARY}`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/call it through one of its links: http-service, redis, tfs-nameserver, tfs-ha-monitor/);
  });
});

