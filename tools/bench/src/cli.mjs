#!/usr/bin/env node
// npm run bench [-- suite...] [--runs N] [--write]: per-call cost of each agent, side by side with
// references. Prints markdown tables (paste them into the agent's README) and exits 1 if a budget
// is missed, 2 on a usage error.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure, report } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
// the per-call suites (suites/<name>.mjs); the other scripts in suites/ run on their own
const SUITES = ['http-service', 'tfs-nameserver', 'redis', 'standalone'];
const USAGE = `usage: npm run bench -- [suite...] [--runs N] [--write]

Measures the CPU time, wall time and peak RSS per call of each agent, side by side with
\`node -e 0\` and the reference commands, in a clean environment (env -i), and checks the budgets.

  suite        ${SUITES.join(', ')} (default: all of them)
  --runs N     runs per command (default 30)
  --write      also write each table into the agent's README (between <!-- bench --> markers)
  -h, --help   this text

Exit status: 0 all budgets met, 1 a budget missed, 2 a usage error.
The other scripts in tools/bench/src/suites/ (the redis fault battery on the cluster lab:
npm run reliability) are not per-call suites: they run on their own, as their first lines say.`;

function usageError(message) {
  console.error(`bench: ${message}\n(npm run bench -- --help for usage)`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '30' }, write: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
} catch (error) {
  usageError(error.message);
}
const { values, positionals: names } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) usageError(`--runs wants a positive integer, not '${values.runs}'`);
const unknown = names.filter((n) => !SUITES.includes(n));
if (unknown.length) usageError(`no benchmark suite named ${unknown.join(', ')} (there are: ${SUITES.join(', ')})`);
const write = values.write;

let ok = true;
for (const name of names.length ? names : SUITES) {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'suites', `${name}.mjs`);
  const suite = await import(file);
  const setup = await suite.setup(root);
  try {
    // a suite may measure elsewhere (standalone: inside a Debian 12 root), the same way
    const rows = (setup.measure ?? measure)(setup.commands, { runs });
    const result = report(suite.title, rows, { base: 'node -e 0', budgets: setup.budgets });
    console.log(`${result.text}\n`);
    // an agent's table goes into its README; a suite that is no agent's (standalone) into the main one
    if (write) writeIntoReadme(existsSync(join(root, 'agents', name)) ? join(root, 'agents', name, 'README.md') : join(root, 'README.md'), result.text);
    ok &&= result.ok;
  } finally {
    await setup.teardown();
  }
}
function writeIntoReadme(path, table) {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('<!-- bench -->');
  const end = text.indexOf('<!-- end of bench -->');
  if (start < 0 || end < start) return console.log(`(${path} has no <!-- bench --> block)`);
  // the load average says how far to trust the absolute figures: compare only the ratios of one run
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${runs} runs per command, 2-core machine (load average ${loadavg()[0].toFixed(1)}).`;
  writeFileSync(path, `${text.slice(0, start)}<!-- bench -->\n${table.replace(/^### .*\n\n/, '')}\n\n${stamp}\n${text.slice(end)}`);
}

console.log(`node ${process.version}, ${runs} runs per command, clean environment (env -i), ${new Date().toISOString()}`);
process.exit(ok ? 0 : 1);
