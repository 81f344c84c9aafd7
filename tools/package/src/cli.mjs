#!/usr/bin/env node
// npm run package [-- agent... | standalone] [--deb] [--rpm] [--lint]: after `npm run build`, one
// .deb and one .rpm per agent and the ocfkit-standalone packages (or only those named) in
// dist/packages/, reproducibly (SOURCE_DATE_EPOCH, else the last commit's date). The standalone
// binary fetches the pinned Node.js into /var/cache/ocfkit-ci/node the first time (53 MB).
// --lint: then run lintian and rpmlint over them, exit 1 on any finding.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listAgents } from './agents.mjs';
import { buildAgentDeb, buildAgentRpm } from './agent-package.mjs';
import { buildStandaloneDeb, buildStandaloneRpm, standaloneSpec } from './standalone-package.mjs';
import { lintDeb, lintRpm } from './lint.mjs';
import { sourceDateEpoch } from './source-date.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const named = args.filter((a) => !a.startsWith('--'));
const standalone = named.length === 0 || named.includes('standalone');
const names = named.filter((n) => n !== 'standalone');
const formats = ['deb', 'rpm'].filter((f) => args.includes(`--${f}`));
const want = (f) => formats.length === 0 || formats.includes(f);
const out = join(root, 'dist/packages');

try {
  const epoch = sourceDateEpoch(root);
  const agents = await listAgents(root, named.length && !standalone ? names : []);
  const built = [];
  const unknown = names.filter((n) => !agents.some((a) => a.name === n));
  if (unknown.length) throw new Error(`no such agent: ${unknown.join(', ')}`);
  for (const entry of agents.filter((a) => named.length === 0 || names.includes(a.name))) {
    const bundle = join(root, 'dist/resource.d/ocfkit', entry.name);
    if (!existsSync(bundle)) throw new Error(`${relative(root, bundle)} missing: npm run build first`);
    if (want('deb')) built.push(await buildAgentDeb(root, entry, out, epoch));
    if (want('rpm')) built.push(await buildAgentRpm(root, entry, out, epoch));
  }
  if (standalone) {
    const spec = await standaloneSpec(root, agents, epoch);
    if (want('deb')) built.push(buildStandaloneDeb(spec, agents, out, epoch));
    if (want('rpm')) built.push(buildStandaloneRpm(spec, agents, out, epoch));
  }
  for (const file of built) {
    const problems = args.includes('--lint') ? (file.endsWith('.deb') ? lintDeb(file) : lintRpm(file)) : [];
    console.log(relative(root, file));
    for (const p of problems) console.log(`  ${p}`);
    if (problems.length) process.exitCode = 1;
  }
} catch (error) {
  console.error(`package: ${error.message}`);
  process.exit(1);
}
