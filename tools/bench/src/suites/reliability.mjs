#!/usr/bin/env node
// The redis fault battery side by side: ocf:ocfkit:redis, ocf:heartbeat:redis and Redis Sentinel on
// a real 3-node cluster-lab, every scenario, and docs/reliability.md made from the records.
//   npm run reliability -- run [--runs N] ...    (root; takes about 2 minutes per scenario run)
//   npm run reliability -- docs RECORDS_DIR      (the document again, from the records alone)
// Not a per-call suite of `npm run bench`. The scenario code lives with the redis cluster tests
// (agents/redis/tests/cluster/): this bundles it and the watcher with esbuild and runs them.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { SOURCE_CONDITIONS } from '../../../bundle/src/conditions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const cluster = join(root, 'agents/redis/tests/cluster');

/** `npm run bench -- reliability` lands here: this suite runs on its own. */
export async function setup() {
  throw new Error('reliability is not a per-call suite: run npm run reliability -- --help');
}

// The bundle runs from a temporary directory, but the lab's code finds its CLI, and the scenarios
// their writer, next to their own source file (import.meta.url): give each module its own URL back.
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

const bundle = (entry, outfile) =>
  build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node18', conditions: SOURCE_CONDITIONS, logLevel: 'error', plugins: [ownUrl],
    // CommonJS dependencies (execa's) require Node built-ins: an ESM bundle needs a require for them
    banner: { js: "import { createRequire as ocfkitCreateRequire } from 'node:module'; const require = ocfkitCreateRequire(import.meta.url);" } });

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // an interrupted run exits, so that the lab code's exit hook takes its labs down
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
  const argv = process.argv.slice(2);
  // the probe runs inside the lab's nodes, which share the host's /tmp
  const prefix = argv.includes('--lab-prefix') ? argv[argv.indexOf('--lab-prefix') + 1] : 'ocfkit';
  const work = mkdtempSync(join(argv[0] === 'run' ? '/tmp' : tmpdir(), `${prefix}-reliability-build-`));
  let code = 1;
  try {
    await bundle(join(cluster, 'probe/main.ts'), join(work, 'probe.mjs'));
    await bundle(join(cluster, 'reliability/main.ts'), join(work, 'main.mjs'));
    const { main } = await import(pathToFileURL(join(work, 'main.mjs')).href);
    const agentsDir = process.env.OCFKIT_LAB_AGENTS ?? join(root, 'dist/resource.d/ocfkit');
    if (argv[0] === 'run' && !existsSync(join(agentsDir, 'redis'))) throw new Error(`${agentsDir}/redis is missing: run "node tools/bundle/src/cli.mjs redis" first`);
    // pacemaker-execd and the nodes' programs inherit nothing of this shell, but the probe's node does
    delete process.env.NODE_EXTRA_CA_CERTS;
    code = await main(argv, { root, probe: join(work, 'probe.mjs'), agentsDir });
  } catch (error) {
    console.error(`reliability: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(code);
}
