// The files a package installs, laid out under a staging directory with fixed modes and every
// mtime at SOURCE_DATE_EPOCH, so the same bundles give the same package bytes.
import { chmodSync, copyFileSync, lstatSync, lutimesSync, mkdirSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const OCF_DIR = 'usr/lib/ocf/resource.d/ocfkit';
export const NODE = '/usr/bin/node';

/**
 * files: { 'usr/lib/...': { from: path } | { data: Buffer|string } | { link: target }, mode }.
 * Man pages (`usr/share/man/...` ending in .gz) are given as roff text and gzipped here at -9
 * (gzip without a name or timestamp in its header, as lintian and reproducibility want).
 */
export function stage(dir, files, epoch) {
  for (const [path, spec] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(join(target, '..'), { recursive: true });
    if (spec.link) symlinkSync(spec.link, target);
    else if (spec.from && spec.interpreter) writeFileSync(target, withInterpreter(readFileSync(spec.from), spec.interpreter));
    else if (spec.from) copyFileSync(spec.from, target);
    else writeFileSync(target, path.endsWith('.gz') ? gzipSync(spec.data, { level: 9 }) : spec.data);
    if (!spec.link) chmodSync(target, spec.mode ?? 0o644);
  }
  setTimes(dir, epoch);
}

/**
 * The bundle's `#!/usr/bin/env node` becomes `#!/usr/bin/node` in a distribution package: the
 * package depends on the distribution's nodejs, which installs /usr/bin/node (Debian, Ubuntu,
 * RHEL, SUSE alike), and a node found first on PATH (/usr/local/bin) is not what was declared.
 * Both lintian and rpmlint ask for it. No measurable cost difference.
 */
function withInterpreter(code, interpreter) {
  const text = code.toString('utf8');
  if (!text.startsWith('#!')) throw new Error('bundle without a #! line');
  return `#!${interpreter}${text.slice(text.indexOf('\n'))}`;
}

function setTimes(dir, epoch) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const st = lstatSync(path);
    if (st.isDirectory()) {
      chmodSync(path, 0o755);
      setTimes(path, epoch);
    }
    if (st.isSymbolicLink()) lutimesSync(path, epoch, epoch);
    else utimesSync(path, epoch, epoch);
  }
  utimesSync(dir, epoch, epoch);
}

/** What every agent package holds, whichever the format: the executable(s) and the man pages. */
export function agentFiles(root, entry, manPages) {
  const files = {
    [`${OCF_DIR}/${entry.name}`]: { from: join(root, 'dist/resource.d/ocfkit', entry.name), mode: 0o755, interpreter: NODE },
  };
  for (const bin of entry.bins) files[`usr/bin/${bin.name}`] = { from: join(root, 'dist/bin', bin.name), mode: 0o755, interpreter: NODE };
  for (const page of manPages) files[`usr/share/man/man${page.section}/${page.name}.${page.section}.gz`] = { data: page.text };
  return files;
}
