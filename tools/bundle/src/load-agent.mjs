// Load an agent's declaration (TypeScript, ESM) from plain Node tooling: bundle it in memory to
// CommonJS and evaluate that. agent.ts has no side effects, so this only builds the object.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SOURCE_CONDITIONS } from './conditions.mjs';

/**
 * Bundle in memory (esbuild `options`, e.g. entryPoints or stdin and plugins, on top of ours) and
 * evaluate the result; what it requires beyond the bundle resolves from the file `requireFrom`.
 */
export async function evaluateBundle(options, requireFrom) {
  const result = await build({ bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node18', conditions: SOURCE_CONDITIONS, logLevel: 'error', ...options });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, createRequire(requireFrom));
  return module.exports;
}

// `entry` is a file, or a package name resolved from the directory `from` (a tool's own, so that
// it gets @ocfkit/runtime through its declared workspace dependency, as nx sees it).
export function loadModule(entry, { from = dirname(entry) } = {}) {
  return evaluateBundle({ entryPoints: [entry], absWorkingDir: from }, join(from, 'loaded-module.cjs'));
}
