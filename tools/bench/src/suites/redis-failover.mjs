#!/usr/bin/env node
// Failover timings of ocf:ocfkit:redis and ocf:heartbeat:redis on the 3-node lab, over several runs
// of agents/redis/tests/cluster/failover.test.ts (each run: a fresh lab per agent, a kill -9 of the
// primary's redis-server, then a crash of the primary's node). Not a per-call suite of
// `npm run bench`: run it directly, as root, after building the agent:
//   node tools/bundle/src/cli.mjs redis && node tools/bench/src/suites/redis-failover.mjs --runs 5
// Prints a markdown table: median (min-max) seconds from the fault, and the writes lost.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const TEST = 'agents/redis/tests/cluster/failover.test.ts';

/** `npm run bench -- redis-failover` lands here: this suite runs on its own. */
export async function setup() {
  throw new Error('redis-failover is not a per-call suite: run node tools/bench/src/suites/redis-failover.mjs --runs N');
}

function runOnce(index, total) {
  const dir = mkdtempSync(join(tmpdir(), 'ocfkit-failover-bench-'));
  const file = join(dir, 'results.json');
  try {
    process.stderr.write(`run ${index}/${total}: vitest ${TEST} ...\n`);
    const env = { ...process.env, OCFKIT_FAILOVER_RESULTS: file };
    delete env.NODE_EXTRA_CA_CERTS; // ~70 ms per node start (docs/performance.md)
    const r = spawnSync('npx', ['vitest', 'run', TEST], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => /^(failover|rejoin) /.test(l));
    for (const line of lines) process.stderr.write(`  ${line}\n`);
    if (r.status !== 0) process.stderr.write(`  (vitest exit ${r.status}: see the test output; its results are still counted)\n`);
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`  no results: ${error.message}\n`);
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** "5.3 s (4.1-6.0)", with "never: 1 of 5" when some runs did not get there. */
function spread(values, runs) {
  const reached = values.filter((v) => v !== undefined).map((ms) => ms / 1000);
  if (reached.length === 0) return 'never';
  const missing = runs - reached.length;
  const range = reached.length > 1 ? ` (${Math.min(...reached).toFixed(1)}-${Math.max(...reached).toFixed(1)})` : '';
  return `${median(reached).toFixed(1)} s${range}${missing > 0 ? `, never in ${missing} of ${runs}` : ''}`;
}

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3;
const all = [];
for (let i = 1; i <= runs; i += 1) all.push(...runOnce(i, runs));

const AGENT = { ocfkit: 'ocf:ocfkit:redis', heartbeat: 'ocf:heartbeat:redis' };
const FAULT = { kill: 'kill -9 redis-server', crash: 'node crash' };
console.log(
  '| fault on the primary | agent | runs | failure seen by Pacemaker | new primary (Redis) | from detection to new primary | Promoted in crm_mon | replicas linked | linked after promotion (max) | promoted the failed node again | acknowledged writes lost (of those acknowledged before the fault) |',
);
console.log('|---|---|---:|---|---|---|---|---|---:|---:|---|');
for (const fault of ['kill', 'crash']) {
  for (const agent of ['ocfkit', 'heartbeat']) {
    const rs = all.filter((r) => r.agent === agent && r.fault === fault);
    if (rs.length === 0) continue;
    const t = rs.map((r) => r.timeline);
    const recovery = t.map((x) => (x.primaryAfterMs !== undefined && x.detectedAfterMs !== undefined ? x.primaryAfterMs - x.detectedAfterMs : undefined));
    const gaps = t.filter((x) => x.linkedAfterMs !== undefined && x.primaryAfterMs !== undefined).map((x) => x.linkedAfterMs - x.primaryAfterMs);
    const same = rs.filter((r) => r.timeline.primary === r.oldPrimary).length;
    const lost = rs.map((r) => (r.keys ? `${r.keys.missing} (${r.keys.missingBeforeFault} of ${r.keys.acknowledgedBeforeFault})` : '?')).join(', ');
    console.log(
      `| ${FAULT[fault]} | ${AGENT[agent]} | ${rs.length} | ${spread(t.map((x) => x.detectedAfterMs), rs.length)} | ${spread(t.map((x) => x.primaryAfterMs), rs.length)} | ` +
        `${spread(recovery, rs.length)} | ${spread(t.map((x) => x.crmPromotedAfterMs), rs.length)} | ` +
        `${spread(t.map((x) => x.linkedAfterMs), rs.length)} | ${gaps.length ? `${(Math.max(...gaps) / 1000).toFixed(1)} s` : '-'} | ${same} of ${rs.length} | ${lost} |`,
    );
  }
}
console.log(`\n${runs} run(s), node ${process.version}, ${new Date().toISOString()}`);
