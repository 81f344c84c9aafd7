// Load an agent's declaration (TypeScript, ESM) from plain Node tooling: bundle it in memory to
// CommonJS and evaluate that. agent.ts has no side effects, so this only builds the object.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { SOURCE_CONDITIONS } from './conditions.mjs';

export async function loadModule(entry) {
  const result = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node18', conditions: SOURCE_CONDITIONS, logLevel: 'error' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, createRequire(entry));
  return module.exports;
}
