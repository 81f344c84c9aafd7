// A .deb built directly with dpkg-deb (no debian/ source tree: the input is the bundle). What
// dh_* would add by hand: md5sums, changelog.Debian.gz, copyright, gzipped man pages, and
// lintian overrides for what is deliberate. Installable with plain apt on Debian 12 (nodejs
// 18.20.4+dfsg) and Ubuntu 24.04 (nodejs 18.19.1+dfsg): neither carries an epoch.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run } from './run.mjs';
import { rfc2822 } from './source-date.mjs';
import { stage } from './stage.mjs';

export const MAINTAINER = 'ocfkit developers <ocfkit@users.noreply.github.com>';
export const HOMEPAGE = 'https://github.com/ocfkit/ocfkit';

function md5sums(dir) {
  const lines = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) lines.push(`${createHash('md5').update(readFileSync(p)).digest('hex')}  ${relative(dir, p)}`);
    }
  };
  walk(dir);
  return `${lines.join('\n')}\n`;
}

function installedSizeKb(dir) {
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else bytes += Math.ceil(statSync(p).size / 1024) * 1024;
    }
  };
  walk(dir);
  return Math.ceil(bytes / 1024);
}

/** debian/changelog of this build: one entry per version, dated SOURCE_DATE_EPOCH. */
export function debChangelog(pkg, version, epoch, text) {
  return `${pkg} (${version}) unstable; urgency=medium\n\n  * ${text}\n\n -- ${MAINTAINER}  ${rfc2822(epoch)}\n`;
}

/**
 * spec: { pkg, version (upstream-revision), arch, control: { Depends, ... }, summary, description
 * (lines), files (stage map), copyright, changelog, overrides: [lintian override lines],
 * compressionLevel (xz's, 6 by default) }.
 */
export function buildDeb(spec, outDir, epoch) {
  const top = mkdtempSync(join(tmpdir(), 'ocfkit-deb-'));
  try {
    const root = join(top, 'root');
    const doc = `usr/share/doc/${spec.pkg}`;
    const files = {
      ...spec.files,
      [`${doc}/copyright`]: { data: spec.copyright },
      [`${doc}/changelog.Debian.gz`]: { data: debChangelog(spec.pkg, spec.version, epoch, spec.changelog) },
    };
    if (spec.overrides?.length) files[`usr/share/lintian/overrides/${spec.pkg}`] = { data: `${spec.overrides.join('\n')}\n` };
    stage(root, files, epoch);
    const control = {
      Package: spec.pkg,
      Version: spec.version,
      Architecture: spec.arch,
      Maintainer: MAINTAINER,
      'Installed-Size': String(installedSizeKb(root)),
      ...spec.control,
      Section: 'admin',
      Priority: 'optional',
      Homepage: HOMEPAGE,
      Description: `${spec.summary}\n${spec.description.map((l) => (l === '' ? ' .' : ` ${l}`)).join('\n')}`,
    };
    mkdirSync(join(root, 'DEBIAN'));
    writeFileSync(join(root, 'DEBIAN/control'), `${Object.entries(control).map(([k, v]) => `${k}: ${v}`).join('\n')}\n`);
    writeFileSync(join(root, 'DEBIAN/md5sums'), md5sums(root).split('\n').filter((l) => !l.includes(' DEBIAN/')).join('\n'));
    stage(root, {}, epoch);
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, `${spec.pkg}_${spec.version}_${spec.arch}.deb`);
    // --root-owner-group: files owned by root whoever builds; SOURCE_DATE_EPOCH: ar and tar
    // member times (dpkg-deb clamps to it)
    run('dpkg-deb', ['--root-owner-group', '-Zxz', `-z${spec.compressionLevel ?? 6}`, '--build', root, out], { env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) } });
    return out;
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
}
