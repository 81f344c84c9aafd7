// One agent as a .deb and a .rpm: the bundle at /usr/lib/ocf/resource.d/ocfkit/<agent>, its man
// page, its README. The only dependency is Node 18.19+ (Debian 12's and RHEL 9's nodejs).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadModule } from '../../bundle/src/load-agent.mjs';

const MAINTAINER = 'ocfkit developers <ocfkit@users.noreply.invalid>';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Lay out the installed files under `stage`; returns their paths relative to it. */
async function stageFiles(root, name, stage) {
  const agent = (await loadModule(join(root, 'agents', name, 'src/agent.ts'))).default;
  const runtime = await loadModule(join(root, 'packages/runtime/src/index.ts'));
  const built = join(root, 'dist/resource.d/ocfkit', name);
  if (!existsSync(built)) throw new Error(`${built} missing: npm run build first`);
  const files = {
    [`usr/lib/ocf/resource.d/ocfkit/${name}`]: { from: built, mode: 0o755 },
    [`usr/share/man/man7/ocf_ocfkit_${name}.7.gz`]: { data: gzipSync(runtime.renderManPage(agent)), mode: 0o644 },
    [`usr/share/doc/ocfkit-${name}/README.md`]: { from: join(root, 'agents', name, 'README.md'), mode: 0o644 },
  };
  const binDir = join(root, 'dist/bin');
  const extraBins = agentBins(root, name);
  for (const bin of extraBins) files[`usr/bin/${bin}`] = { from: join(binDir, bin), mode: 0o755 };
  for (const [path, spec] of Object.entries(files)) {
    const target = join(stage, path);
    mkdirSync(join(target, '..'), { recursive: true });
    if (spec.from) copyFileSync(spec.from, target);
    else writeFileSync(target, spec.data);
    chmodSync(target, spec.mode);
  }
  return { agent, files: Object.keys(files) };
}

function agentBins(root, name) {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'agents', name, 'package.json'), 'utf8'));
    return Object.keys(manifest.ocfkit?.bin ?? {});
  } catch {
    return [];
  }
}

export async function buildDeb(root, name, outDir) {
  const stage = mkdtempSync(join(tmpdir(), 'ocfkit-deb-'));
  try {
    const { agent } = await stageFiles(root, name, stage);
    mkdirSync(join(stage, 'DEBIAN'));
    writeFileSync(
      join(stage, 'DEBIAN/control'),
      [
        `Package: ocfkit-${name}`,
        `Version: ${agent.version}-1`,
        'Architecture: all',
        `Maintainer: ${MAINTAINER}`,
        'Depends: nodejs (>= 18.19)',
        'Recommends: pacemaker',
        'Section: admin',
        'Priority: optional',
        'Homepage: https://github.com/ocfkit/ocfkit',
        `Description: OCF resource agent ocf:ocfkit:${name}`,
        ` ${agent.shortdesc}.`,
        ' Built with the ocfkit runtime: one self-contained Node.js file.',
        '',
      ].join('\n'),
    );
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, `ocfkit-${name}_${agent.version}-1_all.deb`);
    run('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, out]);
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

export async function buildRpm(root, name, outDir) {
  const top = mkdtempSync(join(tmpdir(), 'ocfkit-rpm-'));
  try {
    const stage = join(top, 'stage');
    const { agent, files } = await stageFiles(root, name, stage);
    const spec = join(top, `${name}.spec`);
    writeFileSync(
      spec,
      [
        `Name: ocfkit-${name}`,
        `Version: ${agent.version}`,
        'Release: 1',
        `Summary: OCF resource agent ocf:ocfkit:${name}`,
        'License: GPL-2.0-or-later',
        'BuildArch: noarch',
        'Requires: nodejs >= 18.19',
        'Recommends: pacemaker',
        '%description',
        `${agent.shortdesc}. Built with the ocfkit runtime: one self-contained Node.js file.`,
        '%install',
        `cp -a ${stage}/. %{buildroot}/`,
        '%files',
        ...files.map((f) => `/${f}`),
        '',
      ].join('\n'),
    );
    run('rpmbuild', ['-bb', '--define', `_topdir ${top}/rpmbuild`, '--define', '_build_id_links none', '--define', '__os_install_post %{nil}', spec]);
    mkdirSync(outDir, { recursive: true });
    const dir = join(top, 'rpmbuild/RPMS/noarch');
    const rpm = readdirSync(dir)[0];
    copyFileSync(join(dir, rpm), join(outDir, rpm));
    return join(outDir, rpm);
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
}
