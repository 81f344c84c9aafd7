// One self-contained CommonJS file per agent. CommonJS because an extension-less ESM file does
// not run as an executable, and an ESM bundle of some libraries crashes on dynamic require
// (docs/performance.md). Target node18: Debian 12 and Ubuntu 24.04 ship Node 18.
import { build } from 'esbuild';
import { chmod, mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { join, resolve } from 'node:path';
import { lazyBuiltinsPlugin } from './lazy-builtins-plugin.mjs';
import { lazyLoggerPlugin } from './lazy-logger-plugin.mjs';
import { wrapWithCodeCache } from './code-cache.mjs';
import { SOURCE_CONDITIONS } from './conditions.mjs';
import { packageBin, placeInPackage } from './package-copy.mjs';

export const TARGET = 'node18';

/** Bundle `entry` into `outfile`, executable, with a `#!/usr/bin/env node` line. */
export async function bundle({ entry, outfile, minify = true, codeCache = true }) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: TARGET,
    minify,
    legalComments: 'none',
    conditions: SOURCE_CONDITIONS,
    // the logger's fallback path for unbundled sources; the bundle always registers `require`
    logOverride: { 'empty-import-meta': 'silent' },
    metafile: true,
    plugins: [lazyLoggerPlugin({ target: TARGET }), lazyBuiltinsPlugin()],
  });
  const code = result.outputFiles[0].text;
  const body = codeCache ? wrapWithCodeCache(basename(outfile), code) : code;
  // written beside and renamed over: a test or an agent running the old file meanwhile (npm pack
  // rebuilds while other tests run) never reads a half-written one
  const tmp = `${outfile}.${process.pid}.tmp`;
  await writeFile(tmp, `#!/usr/bin/env node\n${body}`);
  await chmod(tmp, 0o755);
  await rename(tmp, outfile);
  const { size } = await stat(outfile);
  return { outfile, size, warnings: result.warnings, metafile: result.metafile };
}

/**
 * Every package under agents/ (and packages/, tools/) may declare what it builds in package.json:
 *   "ocfkit": { "agent": "src/main.ts", "bin": { "tfs-ha-monitor": "src/cli/ha-monitor-main.ts" } }
 * Agents land in dist/resource.d/ocfkit/<name>, commands in dist/bin/<name>; a package that
 * publishes one names it in its own "bin" too (package-copy.mjs), and gets a copy there.
 */
export async function discover(root) {
  const targets = [];
  for (const area of ['agents', 'packages', 'tools']) {
    let dirs = [];
    try {
      dirs = await readdir(join(root, area));
    } catch {
      continue;
    }
    for (const dir of dirs.sort()) {
      let manifest;
      try {
        manifest = JSON.parse(await readFile(join(root, area, dir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      const spec = manifest.ocfkit ?? {};
      if (spec.agent) {
        const name = spec.agentName ?? dir;
        targets.push({ kind: 'agent', name, entry: resolve(root, area, dir, spec.agent), outfile: join(root, 'dist/resource.d/ocfkit', name), inPackage: packageBin(join(root, area, dir), manifest, name) });
      }
      for (const [name, entry] of Object.entries(spec.bin ?? {})) {
        targets.push({ kind: 'bin', name, entry: resolve(root, area, dir, entry), outfile: join(root, 'dist/bin', name), inPackage: packageBin(join(root, area, dir), manifest, name) });
      }
    }
  }
  return targets;
}

export async function buildAll(root, { only } = {}) {
  await mkdir(join(root, 'dist/resource.d/ocfkit'), { recursive: true });
  await mkdir(join(root, 'dist/bin'), { recursive: true });
  const targets = (await discover(root)).filter((t) => !only || only.includes(t.name));
  return Promise.all(
    targets.map(async (t) => {
      const built = { ...t, ...(await bundle(t)) };
      if (t.inPackage) await placeInPackage(built);
      return built;
    }),
  );
}
