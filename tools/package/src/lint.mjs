// lintian and rpmlint as the packaging test and `npm run package -- --lint` run them: what they
// report beyond the overrides we ship (in each .deb) and keep here (rpmlintrc*), each justified.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = join(dirname(fileURLToPath(import.meta.url)), '..');

/** lintian's errors and warnings (E:/W: lines) for a .deb; [] when clean. */
export function lintDeb(deb) {
  const r = spawnSync('lintian', ['--tag-display-limit', '0', deb], { encoding: 'utf8' });
  if (r.error) throw new Error(`lintian: ${r.error.message}`);
  return r.stdout.split('\n').filter((l) => /^[EW]: /.test(l));
}

/** rpmlint's errors and warnings for an .rpm; [] when clean. */
export function lintRpm(rpm) {
  const files = spawnSync('rpm', ['-qpl', rpm], { encoding: 'utf8' }).stdout;
  const dir = mkdtempSync(join(tmpdir(), 'ocfkit-rpmlint-'));
  try {
    const rc = join(dir, 'rpmlintrc');
    const arch = spawnSync('rpm', ['-qp', '--qf', '%{ARCH}', rpm], { encoding: 'utf8' }).stdout;
    const parts = ['rpmlintrc', arch === 'noarch' ? 'rpmlintrc-noarch' : 'rpmlintrc-standalone', ...(/^\/usr\/bin\//m.test(files) ? ['rpmlintrc-commands'] : [])];
    writeFileSync(rc, parts.map((p) => readFileSync(join(HERE, p), 'utf8')).join('\n'));
    const r = spawnSync('rpmlint', ['-c', join(HERE, 'rpmlint.toml'), '-r', rc, rpm], { encoding: 'utf8' });
    if (r.error) throw new Error(`rpmlint: ${r.error.message}`);
    const problems = r.stdout.split('\n').filter((l) => / [EW]: /.test(l));
    if (!problems.length && !/ 0 errors, 0 warnings/.test(r.stdout)) problems.push(r.stdout.trim().split('\n').pop());
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
