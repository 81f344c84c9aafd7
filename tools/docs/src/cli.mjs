#!/usr/bin/env node
// npm run docs [-- agent...] [--check]: rewrite the parameter table of each agent's README from its
// declaration. --check writes nothing and fails when a README is stale (the docs test runs it).
// Man pages are not written here: the build puts each agent's beside its bundle, and the DEB/RPM
// build renders its own (tools/package/src/man-pages.mjs).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModule } from '../../bundle/src/load-agent.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const USAGE = `usage: npm run docs -- [agent...] [--check]

Writes the parameter table of each agent's README (agents/<agent>/README.md, between the
parameter markers) from the agent's declaration.

  agent        an agent under agents/ (default: all of them)
  --check      write nothing; list the READMEs that would change and exit 1 if any would
  -h, --help   this text

Exit status: 0 done (or up to date), 1 a README is stale (--check), 2 a usage error.`;

function usageError(message) {
  console.error(`docs: ${message}\n(npm run docs -- --help for usage)`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { check: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
} catch (error) {
  usageError(error.message);
}
const { values, positionals: named } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const agents = readdirSync(join(root, 'agents'))
  .filter((name) => existsSync(join(root, 'agents', name, 'src/agent.ts')))
  .sort();
const unknown = named.filter((name) => !agents.includes(name));
if (unknown.length) usageError(`no agent named ${unknown.join(', ')} under agents/ (there are: ${agents.join(', ')})`);

// by package name, resolved from this tool's directory: its declared workspace dependency
const runtime = await loadModule('@ocfkit/runtime', { from: here });
const stale = [];
for (const name of named.length ? named : agents) {
  const readme = join(root, 'agents', name, 'README.md');
  if (!existsSync(readme)) {
    console.error(`docs: ${relative(root, readme)} missing`);
    process.exitCode = 1;
    continue;
  }
  const agent = (await loadModule(join(root, 'agents', name, 'src/agent.ts'))).default;
  const text = readFileSync(readme, 'utf8');
  const updated = runtime.withParamTable(text, agent);
  if (updated === text) continue;
  stale.push(relative(root, readme));
  if (!values.check) writeFileSync(readme, updated);
}
if (values.check) {
  for (const file of stale) console.log(`stale: ${file}`);
  if (stale.length) {
    console.log('(npm run docs writes them)');
    process.exitCode = 1;
  }
} else {
  for (const file of stale) console.log(`updated ${file}`);
}
