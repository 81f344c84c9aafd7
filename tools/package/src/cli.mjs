#!/usr/bin/env node
// npm run package [-- agent... | standalone] [--deb] [--rpm] [--lint]: the DEB and RPM packages
// (USAGE below says what each argument does).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { agentExecutableName } from '../../bundle/src/agent-name.mjs';
import { listAgents } from './agents.mjs';
import { buildAgentDeb, buildAgentRpm } from './agent-package.mjs';
import { buildStandaloneDeb, buildStandaloneRpm, standaloneSpec } from './standalone-package.mjs';
import { lintDeb, lintRpm } from './lint.mjs';
import { sourceDateEpoch } from './source-date.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const USAGE = `usage: npm run package -- [agent... | standalone] [--deb] [--rpm] [--lint]

After \`npm run build\`: one .deb and one .rpm per agent, and the ocfkit-standalone packages, in
dist/packages/, reproducibly (SOURCE_DATE_EPOCH, else the last commit's date).

  agent        an agent under agents/ (default: every agent, and standalone)
  standalone   the ocfkit-standalone packages (one SEA binary; fetches the pinned Node.js into
               /var/cache/ocfkit-ci/node the first time, 53 MB)
  --deb        only the .deb packages
  --rpm        only the .rpm packages
  --lint       then run lintian and rpmlint over them
  -h, --help   this text

Exit status: 0 built (and clean), 1 a build failed or lint found something, 2 a usage error.`;

function usageError(message) {
  console.error(`package: ${message}\n(npm run package -- --help for usage)`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { deb: { type: 'boolean', default: false }, rpm: { type: 'boolean', default: false }, lint: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
} catch (error) {
  usageError(error.message);
}
const { values, positionals: named } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
// the agent packages by name, from their manifests (listAgents below loads their declarations)
const known = readdirSync(join(root, 'agents')).flatMap((dir) => {
  const file = join(root, 'agents', dir, 'package.json');
  const manifest = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  return manifest?.ocfkit?.agent ? [agentExecutableName(manifest)] : [];
});
const unknown = named.filter((n) => n !== 'standalone' && !known.includes(n));
if (unknown.length) usageError(`no agent named ${unknown.join(', ')} (there are: ${[...known, 'standalone'].join(', ')})`);
const standalone = named.length === 0 || named.includes('standalone');
const names = named.filter((n) => n !== 'standalone');
const formats = ['deb', 'rpm'].filter((f) => values[f]);
const want = (f) => formats.length === 0 || formats.includes(f);
const out = join(root, 'dist/packages');

try {
  const epoch = sourceDateEpoch(root);
  const agents = await listAgents(root, named.length && !standalone ? names : []);
  const built = [];
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
    const problems = values.lint ? (file.endsWith('.deb') ? lintDeb(file) : lintRpm(file)) : [];
    console.log(relative(root, file));
    for (const p of problems) console.log(`  ${p}`);
    if (problems.length) process.exitCode = 1;
  }
} catch (error) {
  console.error(`package: ${error.message}`);
  process.exit(1);
}
