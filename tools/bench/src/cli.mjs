#!/usr/bin/env node
// npm run bench [-- suite...] [--runs N]: per-call cost of each agent, side by side with references.
// Prints markdown tables (paste them into the agent's README) and exits 1 if a budget is missed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, report } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 30;
const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs');
// --write: also put each table into agents/<suite>/README.md between <!-- bench --> markers
const write = argv.includes('--write');
const available = ['http-service', 'tfs-nameserver', 'redis', 'standalone'];

let ok = true;
for (const name of names.length ? names : available) {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'suites', `${name}.mjs`);
  if (!existsSync(file)) {
    console.log(`(no benchmark suite for ${name} yet)`);
    continue;
  }
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
