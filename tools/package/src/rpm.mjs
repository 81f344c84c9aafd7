// An .rpm built with rpmbuild from the same staged files as the .deb. Reproducible: build time,
// build host and every file mtime come from SOURCE_DATE_EPOCH, nothing from the build machine.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAINTAINER, HOMEPAGE } from './deb.mjs';
import { run } from './run.mjs';
import { rpmDate } from './source-date.mjs';
import { stage } from './stage.mjs';

/**
 * spec: { pkg, version, release, arch ('noarch' | 'x86_64'...), tags: ['Requires: ...', ...],
 * summary, description (lines), files (stage map), dirs (directories the package owns),
 * copyright, changelog, readme, strip (false: never strip, the SEA binary) }.
 */
export function buildRpm(spec, outDir, epoch) {
  const top = mkdtempSync(join(tmpdir(), 'ocfkit-rpm-'));
  try {
    const root = join(top, 'stage');
    const docs = join(top, 'docs');
    stage(root, spec.files, epoch);
    stage(docs, { copyright: { data: spec.copyright }, ...(spec.readme ? { 'README.md': { from: spec.readme } } : {}), ...(spec.extraLicense ? { 'LICENSE.node': { from: spec.extraLicense } } : {}) }, epoch);
    const lines = [
      `Name: ${spec.pkg}`,
      `Version: ${spec.version}`,
      `Release: ${spec.release}`,
      `Summary: ${spec.summary}`,
      'License: GPL-2.0-or-later',
      // SUSE's group for the cluster stack (resource-agents, pacemaker); Fedora ignores groups
      'Group: Productivity/Clustering/HA',
      `URL: ${HOMEPAGE}`,
      `Packager: ${MAINTAINER}`,
      `BuildArch: ${spec.arch}`,
      ...spec.tags,
      '',
      '%description',
      ...spec.description,
      '',
      '%prep',
      '%build',
      '%install',
      `cp -a ${root}/. %{buildroot}/`,
      `cp -p ${docs}/* .`,
      '',
      '%files',
      '%license copyright',
      ...(spec.extraLicense ? ['%license LICENSE.node'] : []),
      ...(spec.readme ? ['%doc README.md'] : []),
      ...(spec.dirs ?? []).map((d) => `%dir /${d}`),
      ...Object.keys(spec.files).sort().map((f) => `/${f.replace(/\.gz$/, '.gz')}`),
      '',
      '%changelog',
      `* ${rpmDate(epoch)} ${MAINTAINER} - ${spec.version}-${spec.release}`,
      `- ${spec.changelog}`,
      '',
    ];
    const specFile = join(top, `${spec.pkg}.spec`);
    writeFileSync(specFile, lines.join('\n'));
    const defines = {
      _topdir: join(top, 'rpmbuild'),
      _buildhost: 'reproducible',
      use_source_date_epoch_as_buildtime: '1',
      clamp_mtime_to_source_date_epoch: '1',
      _build_id_links: 'none',
      debug_package: '%{nil}',
      // no brp-* scripts: nothing to compile, and the SEA binary must not be stripped again (its
      // injected blob would survive, but strip would also drop the note segment it is found by)
      __os_install_post: '%{nil}',
      __strip: '/bin/true',
    };
    const args = ['-bb', '--quiet'];
    for (const [k, v] of Object.entries(defines)) args.push('--define', `${k} ${v}`);
    run('rpmbuild', [...args, specFile], { env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) } });
    mkdirSync(outDir, { recursive: true });
    const dir = join(top, 'rpmbuild/RPMS', spec.arch);
    const rpm = readdirSync(dir).find((f) => f.endsWith('.rpm'));
    copyFileSync(join(dir, rpm), join(outDir, rpm));
    return join(outDir, rpm);
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
}
