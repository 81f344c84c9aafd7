// The standalone binary: ONE Node.js single executable application (SEA) serving every agent and
// command through links named after them. Built from the pinned official Node.js
// (node-release.mjs), stripped BEFORE the blob is injected (strip afterwards would drop the
// injected note), then injected with postject. Packaging must never strip it again (rpm.mjs,
// deb.mjs). The blob holds a small main script (entry.mjs) and, as assets, each target's bundle
// with the V8 code caches the same binary made of it (code-cache.mjs).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { META_DATA_VERSIONS, versionEnv, versionKey } from '../../../bundle/src/code-cache.mjs';
import { SOURCE_CONDITIONS } from '../../../bundle/src/conditions.mjs';
import { lazyBuiltinsPlugin } from '../../../bundle/src/lazy-builtins-plugin.mjs';
import { run } from '../run.mjs';
import { makeCodeCaches, wrapBundle } from './code-cache.mjs';
import { assetNames, entrySource } from './entry.mjs';
import { NODE, officialNode } from './node-release.mjs';

const require = createRequire(import.meta.url);
const RUN_TARGET = join(dirname(fileURLToPath(import.meta.url)), 'run-target.cjs');
/** The fuse Node.js looks for to know a blob was injected (Node's documented sentinel). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
export const NODE_CACHE = join(process.env.OCFKIT_CI_CACHE || '/var/cache/ocfkit-ci', 'node');

/** One target's bundle, as CommonJS for the pinned Node (its code cache is made of exactly this text). */
async function bundleTarget(main) {
  const result = await build({
    entryPoints: [main],
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${NODE.version.split('.')[0]}`,
    conditions: SOURCE_CONDITIONS,
    minify: true,
    // the main script decodes bundles as latin1 (entry.mjs): esbuild escapes anything else
    charset: 'ascii',
    legalComments: 'none',
    logOverride: { 'empty-import-meta': 'silent' },
    plugins: [lazyBuiltinsPlugin()],
    logLevel: 'error',
  });
  if (result.errors.length) throw new Error(result.errors.map((e) => e.text).join('\n'));
  return wrapBundle(result.outputFiles[0].text);
}

/**
 * An agent's meta-data for each OCF_RA_VERSION pair, printed by the very binary and source the
 * standalone binary runs (tools/bundle keeps the same answers in a plain agent's executable).
 * Writes one asset per distinct answer; returns { assets, memo: { [versionKey]: assetName } }.
 */
function keepMetaData({ node, work, target }) {
  const assets = {};
  const memo = {};
  const answers = [];
  for (const [major, minor] of META_DATA_VERSIONS) {
    const env = { PATH: '/usr/bin:/bin', ...versionEnv(major, minor) };
    const r = spawnSync(node, [RUN_TARGET, target.source, target.name, 'meta-data'], { cwd: work, env, encoding: 'latin1', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${target.name} meta-data: exit ${r.status}: ${r.stderr}`);
    let i = answers.indexOf(r.stdout);
    if (i === -1) {
      i = answers.push(r.stdout) - 1;
      const asset = assetNames(target.name).metaData(i);
      writeFileSync(join(work, asset), r.stdout, 'latin1');
      assets[asset] = join(work, asset);
    }
    memo[versionKey(major, minor)] = assetNames(target.name).metaData(i);
  }
  return { assets, memo };
}

/** targets: [{ name, declaration?, main }]. Writes `out` (the binary); returns facts about it. */
export async function buildSea({ targets, out, cacheDir = NODE_CACHE }) {
  const node = officialNode(cacheDir);
  const work = mkdtempSync(join(tmpdir(), 'ocfkit-sea-'));
  try {
    const stripped = join(work, 'node');
    copyFileSync(node.binary, stripped);
    run('strip', ['--strip-all', stripped]);
    const built = [];
    for (const t of targets) {
      const source = join(work, assetNames(t.name).source);
      writeFileSync(source, await bundleTarget(t.main));
      built.push({ name: t.name, agent: Boolean(t.declaration), source });
    }
    // made by the binary that will load them (a stripped binary is the same code)
    const assets = { ...Object.fromEntries(built.map((t) => [assetNames(t.name).source, t.source])), ...makeCodeCaches({ node: stripped, work, targets: built }) };
    for (const t of built.filter((b) => b.agent)) {
      const kept = keepMetaData({ node: stripped, work, target: t });
      Object.assign(assets, kept.assets);
      t.metaData = kept.memo;
    }
    const entry = join(work, 'entry.cjs');
    writeFileSync(entry, entrySource(built));
    const blob = join(work, 'sea.blob');
    // execArgvExtension "none": NODE_OPTIONS is ignored. An agent must behave the same whatever
    // the environment of whoever runs it: a `--require` there would run code in every call, and an
    // option a SEA refuses makes Node exit 9 (OCF_FAILED_PROMOTED) before any agent code runs
    writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ main: entry, output: blob, disableExperimentalSEAWarning: true, execArgvExtension: 'none', assets }));
    run(stripped, ['--experimental-sea-config', join(work, 'sea-config.json')], { cwd: work, env: { PATH: '/usr/bin:/bin' } });
    run(process.execPath, [require.resolve('postject/dist/cli.js'), stripped, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { env: { PATH: '/usr/bin:/bin' } });
    mkdirSync(join(out, '..'), { recursive: true });
    copyFileSync(stripped, out);
    return { out, node: node.version, license: node.license };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
