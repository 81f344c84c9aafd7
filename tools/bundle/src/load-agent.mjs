// Load an agent's declaration (TypeScript, ESM) from plain Node tooling: bundle it in memory to
// CommonJS and evaluate that. agent.ts has no side effects, so this only builds the object.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SOURCE_CONDITIONS } from './conditions.mjs';

// `entry` is a file, or a package name resolved from the directory `from` (a tool's own, so that
// it gets @ocfkit/runtime through its declared workspace dependency, as nx sees it).
export async function loadModule(entry, { from = dirname(entry) } = {}) {
  const result = await build({ entryPoints: [entry], absWorkingDir: from, bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node18', conditions: SOURCE_CONDITIONS, logLevel: 'error' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, createRequire(join(from, 'loaded-module.cjs')));
  return module.exports;
}
