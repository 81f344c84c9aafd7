import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { listAgents } from '../src/agents.mjs';
// @ts-expect-error plain ESM tool without types
import { buildAgentRpm } from '../src/agent-package.mjs';
import { ROOT, requireBundles } from './helpers/build.ts';

// Each .rpm installed into a scratch root and rpm database, and its Node.js requirement checked
// against what the distributions' nodejs packages provide. No RHEL or SUSE package can be fetched
// here (only Debian's mirror and npm), so those are stand-ins: empty packages carrying exactly the
// Name/Epoch/Version/Provides of RHEL 9's and SUSE's nodejs.
const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const work = mkdtempSync(join(tmpdir(), 'ocfkit-rpm-install-'));
const rpms = new Map<string, string>();
type Entry = { name: string; bins: { name: string }[]; agent: { version: string } };
let agents: Entry[] = [];

/** An empty noarch package with this identity (what `rpm -q --provides` shows for the real one). */
function standIn(id: string, { name, epoch, version, provides }: { name: string; epoch?: number; version: string; provides: string[] }): string {
  const top = join(work, `standin-${id}`);
  const spec = join(top, 'standin.spec');
  mkdirSync(top, { recursive: true });
  writeFileSync(spec, [`Name: ${name}`, ...(epoch ? [`Epoch: ${epoch}`] : []), `Version: ${version}`, 'Release: 1', 'Summary: stand-in', 'License: MIT', 'BuildArch: noarch', ...provides.map((p) => `Provides: ${p}`), '%description', 'stand-in', '%files', ''].join('\n'));
  const r = sh('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, spec]);
  if (r.status !== 0) throw new Error(r.stderr);
  return join(top, 'RPMS/noarch', readdirSync(join(top, 'RPMS/noarch'))[0]!);
}

/** `rpm -i --test` of our package into a database holding only `provider`: rpm's own verdict. */
function installsWith(provider: string, rpm: string): { ok: boolean; output: string } {
  const db = mkdtempSync(join(work, 'db-'));
  expect(sh('rpm', ['--dbpath', db, '--initdb']).status).toBe(0);
  const justdb = sh('rpm', ['--dbpath', db, '-i', '--justdb', '--nodeps', provider]);
  expect(justdb.status, justdb.stderr).toBe(0);
  const r = sh('rpm', ['--dbpath', db, '-i', '--test', rpm]);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  requireBundles();
  agents = await listAgents(ROOT);
  for (const entry of agents) rpms.set(entry.name, await buildAgentRpm(ROOT, entry, join(work, 'out'), 1_795_552_575));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('RPM', () => {
  it('each installs into a scratch root: the agent executable, its commands and man pages', () => {
    const root = join(work, 'root');
    for (const entry of agents) {
      // --nodeps: the scratch database has no nodejs (no RHEL/SUSE repository to take it from);
      // the requirement itself is checked below against the distributions' nodejs identities
      const r = sh('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', rpms.get(entry.name)!]);
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(join(root, 'usr/lib/ocf/resource.d/ocfkit', entry.name))).toBe(true);
      for (const bin of entry.bins) expect(existsSync(join(root, 'usr/bin', bin.name))).toBe(true);
    }
    const installed = sh('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-qa', '--qf', '%{NAME}\\n']).stdout.split('\n').filter(Boolean).sort();
    expect(installed).toEqual(agents.map((a) => `ocfkit-${a.name}`).sort());
    expect(sh('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-V', '--nodeps', ...installed]).stdout).toBe('');
    // removed again, nothing of ours is left (the shared provider directory goes with the last one)
    expect(sh('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-e', '--nodeps', ...installed]).status).toBe(0);
    expect(existsSync(join(root, 'usr/lib/ocf/resource.d/ocfkit'))).toBe(false);
  });

  it('without any Node.js, rpm refuses it and names the requirement', () => {
    const db = mkdtempSync(join(work, 'db-'));
    sh('rpm', ['--dbpath', db, '--initdb']);
    const r = sh('rpm', ['--dbpath', db, '-i', '--test', rpms.get('http-service')!]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('(nodejs >= 1:18.19 or nodejs(engine) >= 18.19) is needed by ocfkit-http-service');
  });

  // RHEL 9 / Fedora: nodejs has Epoch 1 and provides nodejs(engine); SUSE: nodejsNN provides
  // nodejs = <version> without an epoch, and nodejs(engine) too
  const node = (version: string) => ['/usr/bin/node', `nodejs(engine) = ${version}`];
  const cases = [
    { id: 'rhel9-nodejs16', accepted: false, name: 'nodejs', epoch: 1, version: '16.20.2', provides: node('16.20.2') },
    { id: 'rhel9-nodejs18', accepted: true, name: 'nodejs', epoch: 1, version: '18.20.2', provides: node('18.20.2') },
    { id: 'rhel9-nodejs18.18', accepted: false, name: 'nodejs', epoch: 1, version: '18.18.2', provides: node('18.18.2') },
    { id: 'sle15-nodejs18', accepted: true, name: 'nodejs18', version: '18.20.4', provides: ['nodejs = 18.20.4', ...node('18.20.4')] },
    { id: 'sle15-nodejs16', accepted: false, name: 'nodejs16', version: '16.20.2', provides: ['nodejs = 16.20.2', ...node('16.20.2')] },
  ];
  it.for(cases)('$id: accepted $accepted', (c) => {
    const result = installsWith(standIn(c.id, c), rpms.get('http-service')!);
    expect(result.ok, result.output).toBe(c.accepted);
  });
});
