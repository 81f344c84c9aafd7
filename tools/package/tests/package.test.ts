import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { buildDeb, buildRpm } from '../src/package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const out = mkdtempSync(join(tmpdir(), 'ocfkit-pkg-'));
const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('DEB', () => {
  it('installs the agent executable where Pacemaker looks, with its man page, depending on nodejs', async () => {
    const deb: string = await buildDeb(root, 'http-service', out);
    const info = sh('dpkg-deb', ['-f', deb, 'Package', 'Depends', 'Architecture']).stdout;
    expect(info).toContain('Package: ocfkit-http-service');
    expect(info).toContain('Depends: nodejs (>= 18.19)');
    expect(info).toContain('Architecture: all');
    const listing = sh('dpkg-deb', ['-c', deb]).stdout;
    expect(listing).toMatch(/-rwxr-xr-x root\/root .* \.\/usr\/lib\/ocf\/resource\.d\/ocfkit\/http-service\n/);
    expect(listing).toContain('./usr/share/man/man7/ocf_ocfkit_http-service.7.gz');
    // what was packed runs: meta-data from the unpacked tree
    const tree = join(out, 'tree');
    sh('dpkg-deb', ['-x', deb, tree]);
    const meta = sh(join(tree, 'usr/lib/ocf/resource.d/ocfkit/http-service'), ['meta-data']);
    expect(meta.status).toBe(0);
    expect(meta.stdout).toContain('<resource-agent name="http-service"');
  });
});

describe.skipIf(!existsSync('/usr/bin/rpmbuild'))('RPM', () => {
  it('packs the same files, noarch, requiring nodejs', async () => {
    const rpm: string = await buildRpm(root, 'http-service', out);
    expect(rpm).toMatch(/ocfkit-http-service-0\.1\.0-1\.noarch\.rpm$/);
    expect(sh('rpm', ['-qpl', rpm]).stdout).toContain('/usr/lib/ocf/resource.d/ocfkit/http-service');
    expect(sh('rpm', ['-qp', '--requires', rpm]).stdout).toMatch(/nodejs >= 18\.19/);
  });
});
