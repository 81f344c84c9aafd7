import { parseArgs } from 'node:util';
import type { AgentName } from '../redis-lab.ts';
import type { Fault } from '../scenario.ts';
import { writeDocument } from './document.ts';
import { AGENTS, FAULTS, sideBySide } from './run.ts';

// The on-demand side-by-side run and its document, bundled and started by
// tools/bench/src/suites/reliability.mjs (`npm run reliability -- --help`).

const USAGE = `usage: npm run reliability -- run [--runs N] [--out DIR] [--faults F,...] [--agents A,...] [--lab-prefix P] [--no-docs]
       npm run reliability -- docs DIR

run   every scenario (${FAULTS.join(', ')}) for every agent (${AGENTS.join(', ')}), each on a fresh
      3-node cluster-lab (root; Pacemaker, corosync, redis-server, redis-sentinel, resource-agents,
      python3-redis, nftables). One JSON record per run in --out (default /tmp/ocfkit-reliability-TIME;
      records already there are replaced), then docs/reliability.md and docs/reliability/*.svg from them (unless --no-docs).
      --runs N        runs per scenario and agent (default 1)
      --lab-prefix P  lab names P<n> and temporary directories /tmp/P-reliability-* (default rel)
docs  docs/reliability.md and docs/reliability/*.svg again from the records in DIR.`;

export interface MainContext {
  readonly root: string;
  readonly probe: string;
  readonly agentsDir: string;
}

function list<T extends string>(value: string | undefined, all: readonly T[], what: string): T[] {
  if (value === undefined) return [...all];
  const items = value.split(',') as T[];
  const unknown = items.filter((i) => !all.includes(i));
  if (unknown.length > 0) throw new Error(`unknown ${what}: ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return items;
}

export async function main(argv: readonly string[], context: MainContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      runs: { type: 'string' },
      out: { type: 'string' },
      faults: { type: 'string' },
      agents: { type: 'string' },
      'lab-prefix': { type: 'string' },
      'no-docs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, dir] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'docs' && dir !== undefined) {
    writeDocument(dir, context.root);
    return 0;
  }
  if (command === 'run' && dir === undefined) {
    const runs = Number(values.runs ?? 1);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: a whole number of at least 1`);
    const out = values.out ?? `/tmp/ocfkit-reliability-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    console.log(`records in ${out}`);
    await sideBySide({
      out,
      runs,
      faults: list<Fault>(values.faults, FAULTS, 'fault'),
      agents: list<AgentName>(values.agents, AGENTS, 'agent'),
      probe: context.probe,
      agentsDir: context.agentsDir,
      labPrefix: values['lab-prefix'] ?? 'rel',
    });
    if (!values['no-docs']) writeDocument(out, context.root);
    return 0;
  }
  console.error(USAGE);
  return 2;
}
