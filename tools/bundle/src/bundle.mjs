// One self-contained CommonJS file per agent. CommonJS because an extension-less ESM file does
// not run as an executable, and an ESM bundle of some libraries crashes on dynamic require
// (docs/performance.md). Target node18: Debian 12 and Ubuntu 24.04 ship Node 18.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { basename } from 'node:path';
import { join, resolve } from 'node:path';
import { lazyBuiltinsPlugin } from './lazy-builtins-plugin.mjs';
import { META_DATA_VERSIONS, versionEnv, wrapWithCodeCache } from './code-cache.mjs';
import { SOURCE_CONDITIONS } from './conditions.mjs';
import { packageBin, placeInPackage } from './package-copy.mjs';
import { agentExecutableName } from './agent-name.mjs';

export const TARGET = 'node18';

/** Write an executable atomically: a test or an agent running the old file meanwhile (npm pack
 * rebuilds while other tests run) never reads a half-written one. Bytes as latin1: see code-cache.mjs. */
async function writeExecutable(outfile, body) {
  const tmp = `${outfile}.${process.pid}.tmp`;
  await writeFile(tmp, `#!/usr/bin/env node\n${body}`, 'latin1');
  await chmod(tmp, 0o755);
  await rename(tmp, outfile);
}

/** The agent's meta-data answers, by running it (the very code being shipped) for each version. */
async function renderMetaData(executable) {
  const answers = [];
  for (const [major, minor] of META_DATA_VERSIONS) {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', OCFKIT_CODE_CACHE: 'off', ...versionEnv(major, minor) };
    // latin1 keeps the bytes as they are, whatever the descriptions hold
    const { stdout } = await promisify(execFile)(process.execPath, [executable, 'meta-data'], { env, encoding: 'latin1', maxBuffer: 16 << 20 });
    answers.push({ major, minor, output: stdout });
  }
  return answers;
}

/**
 * Bundle `entry` into `outfile`, executable, with a `#!/usr/bin/env node` line. An agent
 * (`metaData`) carries its meta-data pre-rendered for the usual environments (code-cache.mjs).
 */
export async function bundle({ entry, outfile, minify = true, codeCache = true, metaData = false }) {
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
    // builtin.ts falls back on import.meta for unbundled sources; the bundle always has require
    logOverride: { 'empty-import-meta': 'silent' },
    metafile: true,
    plugins: [lazyBuiltinsPlugin()],
  });
  const code = result.outputFiles[0].text;
  const name = basename(outfile);
  let answers = [];
  if (codeCache && metaData) {
    const draft = `${outfile}.${process.pid}.draft`;
    await writeExecutable(draft, wrapWithCodeCache(name, code));
    try {
      answers = await renderMetaData(draft);
    } finally {
      await rm(draft, { force: true });
    }
  }
  await writeExecutable(outfile, codeCache ? wrapWithCodeCache(name, code, { metaData: answers }) : code);
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
        const name = agentExecutableName(manifest);
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
      const built = { ...t, ...(await bundle({ ...t, metaData: t.kind === 'agent' })) };
      if (t.inPackage) await placeInPackage(built);
      return built;
    }),
  );
}
