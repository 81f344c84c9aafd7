#!/usr/bin/env node
// npm run bench [-- suite...] [--runs N]: per-call cost of each agent, side by side with references.
// Prints markdown tables (paste them into the agent's README) and exits 1 if a budget is missed.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, report } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 30;
const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs');
const available = ['http-service', 'tfs-nameserver', 'redis'];

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
    const rows = measure(setup.commands, { runs });
    const result = report(suite.title, rows, { base: 'node -e 0', budgets: setup.budgets });
    console.log(`${result.text}\n`);
    ok &&= result.ok;
  } finally {
    await setup.teardown();
  }
}
console.log(`node ${process.version}, ${runs} runs per command, clean environment (env -i), ${new Date().toISOString()}`);
process.exit(ok ? 0 : 1);
