import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { listAgents } from '../src/agents.mjs';
// @ts-expect-error plain ESM tool without types
import { buildAgentDeb, buildAgentRpm } from '../src/agent-package.mjs';
// @ts-expect-error plain ESM tool without types
import { lintDeb, lintRpm } from '../src/lint.mjs';
import { ROOT, requireBundles } from './helpers/build.ts';

// Every agent as .deb and .rpm, from the bundles `npm run build` wrote: what they contain, what
// they depend on, that lintian and rpmlint find nothing we have not justified, and that the same
// input gives the same bytes.
const EPOCH = 1_795_552_575;
const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
type Entry = { name: string; bins: { name: string }[]; agent: { params: Record<string, unknown>; version: string } };
const out = mkdtempSync(join(tmpdir(), 'ocfkit-pkg-'));
const again = mkdtempSync(join(tmpdir(), 'ocfkit-pkg-again-'));
let agents: Entry[] = [];
const debs = new Map<string, string>();
const rpms = new Map<string, string>();

beforeAll(async () => {
  requireBundles();
  agents = await listAgents(ROOT);
  for (const entry of agents) {
    debs.set(entry.name, await buildAgentDeb(ROOT, entry, out, EPOCH));
    rpms.set(entry.name, await buildAgentRpm(ROOT, entry, out, EPOCH));
  }
}, 120_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(again, { recursive: true, force: true });
});

const names = readdirSync(join(ROOT, 'agents')).filter((d) => {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'agents', d, 'package.json'), 'utf8')).ocfkit?.agent;
  } catch {
    return false;
  }
});

describe.for(names)('%s', (name) => {
  const entry = () => agents.find((a) => a.name === name)!;

  it('.deb: the agent where Pacemaker looks, run by Debian/Ubuntu nodejs, man pages, DEP-5 copyright, changelog', () => {
    const deb = debs.get(name)!;
    const fields = sh('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Architecture', 'Depends', 'Conflicts']).stdout;
    expect(fields).toBe(`Package: ocfkit-${name}\nVersion: ${entry().agent.version}-1\nArchitecture: all\nDepends: nodejs (>= 18.19)\nConflicts: ocfkit-standalone\n`);
    const listing = sh('dpkg-deb', ['-c', deb]).stdout;
    expect(listing).toMatch(new RegExp(`-rwxr-xr-x root/root .* \\./usr/lib/ocf/resource\\.d/ocfkit/${name}\\n`));
    expect(listing).toContain(`./usr/share/man/man7/ocf_ocfkit_${name}.7.gz`);
    for (const bin of entry().bins) {
      expect(listing).toMatch(new RegExp(`-rwxr-xr-x root/root .* \\./usr/bin/${bin.name}\\n`));
      expect(listing).toContain(`./usr/share/man/man1/${bin.name}.1.gz`);
    }
    const tree = join(out, `tree-${name}`);
    expect(sh('dpkg-deb', ['-x', deb, tree]).status).toBe(0);
    // the distribution's node, not whichever `node` comes first on PATH
    expect(readFileSync(join(tree, 'usr/lib/ocf/resource.d/ocfkit', name), 'utf8').split('\n')[0]).toBe('#!/usr/bin/node');
    const copyright = readFileSync(join(tree, `usr/share/doc/ocfkit-${name}/copyright`), 'utf8');
    expect(copyright).toMatch(/^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/\n/);
    expect(copyright).toContain('Files: *\nCopyright: 2026 ocfkit developers\nLicense: GPL-2.0-or-later\n');
    const changelog = gunzipSync(readFileSync(join(tree, `usr/share/doc/ocfkit-${name}/changelog.Debian.gz`))).toString();
    expect(changelog).toMatch(new RegExp(`^ocfkit-${name} \\(${entry().agent.version}-1\\) unstable; urgency=medium\\n`));
    expect(changelog).toContain('Tue, 24 Nov 2026 20:36:15 +0000');
  });

  it('man pages: man --warnings finds nothing, lexgrog reads their NAME line', () => {
    const tree = join(out, `tree-${name}`);
    const pages = [`usr/share/man/man7/ocf_ocfkit_${name}.7.gz`, ...entry().bins.map((b) => `usr/share/man/man1/${b.name}.1.gz`)];
    for (const page of pages) {
      const path = join(tree, page);
      const man = spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', path], { encoding: 'utf8', env: { PATH: process.env.PATH, LC_ALL: 'C.UTF-8', MANWIDTH: '80' } });
      expect(man.stderr).toBe('');
      expect(man.status).toBe(0);
      expect(man.stdout).toMatch(/^EXIT STATUS$/m);
      const lexgrog = sh('lexgrog', [path]);
      expect(lexgrog.status, lexgrog.stdout).toBe(0);
    }
  });

  it('.deb: the copyright file names every npm package bundled into the executable (none today)', () => {
    const tree = join(out, `tree-${name}`);
    const copyright = readFileSync(join(tree, `usr/share/doc/ocfkit-${name}/copyright`), 'utf8');
    // the agents bundle no npm package (copyright.test.ts checks the paragraphs one would get)
    expect(copyright).toContain('\nFiles: *\nCopyright: ');
    expect(copyright).toContain('\nLicense: GPL-2.0-or-later\n This program is free software');
    expect(copyright).not.toContain('Files: node_modules/');
  });

  it('.rpm: the same files, noarch, requiring a Node.js 18.19 with the epoch RHEL gives it', () => {
    const rpm = rpms.get(name)!;
    expect(rpm).toMatch(new RegExp(`ocfkit-${name}-${entry().agent.version.replace(/\./g, '\\.')}-1\\.noarch\\.rpm$`));
    const files = sh('rpm', ['-qpl', rpm]).stdout.split('\n');
    expect(files).toContain(`/usr/lib/ocf/resource.d/ocfkit/${name}`);
    expect(files).toContain(`/usr/share/man/man7/ocf_ocfkit_${name}.7.gz`);
    expect(files).toContain(`/usr/share/licenses/ocfkit-${name}-${entry().agent.version}/copyright`);
    for (const bin of entry().bins) expect(files).toContain(`/usr/share/man/man1/${bin.name}.1.gz`);
    const requires = sh('rpm', ['-qpR', rpm]).stdout.split('\n');
    expect(requires).toContain('(nodejs >= 1:18.19 or nodejs(engine) >= 18.19)');
    expect(requires).toContain('/usr/bin/node');
    expect(sh('rpm', ['-qp', '--conflicts', rpm]).stdout).toBe('ocfkit-standalone\n');
    expect(sh('rpm', ['-qp', '--changelog', rpm]).stdout).toMatch(/^\* Tue Nov 24 2026 ocfkit developers/);
  });

  it('lintian finds no error or warning (overrides are in the package, each with its reason)', () => {
    expect(lintDeb(debs.get(name)!)).toEqual([]);
  }, 60_000);

  it('rpmlint finds no error or warning beyond tools/package/rpmlintrc', () => {
    expect(lintRpm(rpms.get(name)!)).toEqual([]);
  }, 60_000);

  it('is reproducible: built again elsewhere, later, the same bytes', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const deb = await buildAgentDeb(ROOT, entry(), again, EPOCH);
    const rpm = await buildAgentRpm(ROOT, entry(), again, EPOCH);
    expect(readFileSync(deb).equals(readFileSync(debs.get(name)!))).toBe(true);
    expect(readFileSync(rpm).equals(readFileSync(rpms.get(name)!))).toBe(true);
  }, 60_000);
});
