// The standalone binary: ONE Node.js single executable application (SEA) serving every agent and
// command through links named after them. Built from the pinned official Node.js
// (node-release.mjs), stripped BEFORE the blob is injected (strip afterwards would drop the
// injected note), with the code in a V8 startup snapshot (`useSnapshot`), then injected with
// postject. Packaging must never strip it again (rpm.mjs, deb.mjs).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCE_CONDITIONS } from '../../../bundle/src/conditions.mjs';
import { lazyBuiltinsPlugin } from '../../../bundle/src/lazy-builtins-plugin.mjs';
import { lazyLoggerPlugin } from '../../../bundle/src/lazy-logger-plugin.mjs';
import { run } from '../run.mjs';
import { entrySource } from './entry.mjs';
import { NODE, officialNode } from './node-release.mjs';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The fuse Node.js looks for to know a blob was injected (Node's documented sentinel). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
export const NODE_CACHE = join(process.env.OCFKIT_CI_CACHE || '/var/cache/ocfkit-ci', 'node');

/** targets: [{ name, declaration?, main }]. Writes `out` (the binary); returns facts about it. */
export async function buildSea({ targets, out, cacheDir = NODE_CACHE }) {
  const node = officialNode(cacheDir);
  const work = mkdtempSync(join(tmpdir(), 'ocfkit-sea-'));
  try {
    const entry = join(work, 'entry.cjs');
    const result = await build({
      stdin: { contents: entrySource(targets), resolveDir: ROOT, loader: 'js', sourcefile: 'ocfkit-standalone.js' },
      outfile: entry,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${NODE.version.split('.')[0]}`,
      conditions: SOURCE_CONDITIONS,
      minify: true,
      legalComments: 'none',
      logOverride: { 'empty-import-meta': 'silent' },
      plugins: [lazyLoggerPlugin({ target: 'node18' }), lazyBuiltinsPlugin()],
      logLevel: 'error',
    });
    if (result.errors.length) throw new Error(result.errors.map((e) => e.text).join('\n'));
    const stripped = join(work, 'node');
    copyFileSync(node.binary, stripped);
    run('strip', ['--strip-all', stripped]);
    const blob = join(work, 'sea.blob');
    writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ main: entry, output: blob, useSnapshot: true, disableExperimentalSEAWarning: true }));
    // the blob (and its snapshot) must be made by the binary that will run it
    run(stripped, ['--experimental-sea-config', join(work, 'sea-config.json')], { cwd: work, env: { PATH: '/usr/bin:/bin' } });
    run(process.execPath, [require.resolve('postject/dist/cli.js'), stripped, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { env: { PATH: '/usr/bin:/bin' } });
    mkdirSync(join(out, '..'), { recursive: true });
    copyFileSync(stripped, out);
    return { out, node: node.version, license: node.license };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
