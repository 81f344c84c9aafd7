import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unavailable, type Availability } from '@ocfkit/testkit';
import { labAvailable, startLab, type Lab } from '../../../../tools/cluster-lab/src/lab.ts';
import { buildProbe } from './build-probe.ts';
import { describeResult } from './report.ts';
import { labName, RedisLab } from './redis-lab.ts';
import { failover, type Fault, type ScenarioResult } from './scenario.ts';
import { verdict } from './verdict.ts';

// ocf:ocfkit:redis as a promotable clone (notify=true) on a real 3-node cluster without fencing,
// under the faults that end: a whole-node freeze, an isolation of the primary (link down, and
// nftables drops), and a freeze of only the primary's corosync, so that its redis-server goes on
// serving as a primary while the others promote a replica: a split brain, healed by the thaw. After
// each: exactly one primary, the one promoted last (the stale one demoted and resynchronised from
// it), every replica linked to it, crm_mon saying so, and no write lost that the independent writer
// (writer/writer.py) counted as acknowledged (WAIT 1). The split brain runs several times
// (OCFKIT_SPLIT_RUNS, default 2); the count of runs that held is printed.

function needs(): Availability {
  const lab = labAvailable();
  if (!lab.ok) return lab;
  const python = spawnSync('/usr/bin/python3', ['-c', 'import redis'], { encoding: 'utf8' });
  if (python.status !== 0) return { ok: false, why: 'the writer needs python3-redis (apt-get install python3-redis)' };
  if (spawnSync('nft', ['--version']).status !== 0) return { ok: false, why: 'isolation with nftables needs nft (apt-get install nftables)' };
  return { ok: true };
}

const skip = unavailable(needs(), 'the cluster lab with python3-redis and nftables');
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const AGENTS_DIR = process.env.OCFKIT_LAB_AGENTS ?? join(ROOT, 'dist/resource.d/ocfkit');
const SPLIT_RUNS = Number(process.env.OCFKIT_SPLIT_RUNS ?? 2);
const LAB_TIMEOUT = 150_000;
const SCENARIO_TIMEOUT = 180_000;

describe.skipIf(skip)('redis under faults that end, on a 3-node cluster without fencing', () => {
  let probeDir: string;
  let lab: Lab;
  let redis: RedisLab;
  const splits: ScenarioResult[] = [];

  beforeAll(async () => {
    if (!existsSync(join(AGENTS_DIR, 'redis'))) throw new Error(`${AGENTS_DIR}/redis is missing: run "node tools/bundle/src/cli.mjs redis" first`);
    probeDir = mkdtempSync('/tmp/ocfkit-redis-faults-'); // the nodes share the host's /tmp
    const probe = await buildProbe(probeDir);
    lab = await startLab({ nodes: 3, agentsDir: AGENTS_DIR, name: labName('faults') });
    redis = new RedisLab(lab, 'ocfkit', probeDir, probe);
    await redis.deploy();
  }, LAB_TIMEOUT);

  afterAll(async () => {
    const held = splits.filter((r) => holds(r).length === 0).length;
    const kept = splits.filter((r) => r.rejoin?.primary !== undefined && r.rejoin.primary === r.timeline.primary).length;
    if (splits.length > 0) {
      console.log(
        `split brain (corosync freeze, then thaw): held in ${held} of ${splits.length} runs; the primary promoted during the split stayed primary in ${kept}, ` +
          `a replica holding its data was promoted after it in ${splits.length - kept}`,
      );
    }
    await lab?.down();
    if (probeDir) rmSync(probeDir, { recursive: true, force: true });
  }, LAB_TIMEOUT);

  const holds = (r: ScenarioResult) => verdict(r, redis.nodes);

  async function scenario(fault: Fault): Promise<ScenarioResult> {
    const result = await failover(redis, fault, lab.nodeNames);
    console.log(describeResult(result));
    return result;
  }

  it.each(['freeze', 'isolate', 'isolate-nft'] as const)('%s of the primary: the replica promoted meanwhile stays primary, nothing acknowledged lost', async (fault) => {
    const result = await scenario(fault);
    expect(holds(result)).toEqual([]);
  }, SCENARIO_TIMEOUT);

  it(`split brain, ${SPLIT_RUNS} runs: corosync of the primary frozen, then thawed`, async () => {
    for (let run = 0; run < SPLIT_RUNS; run += 1) splits.push(await scenario('split'));
    expect(splits.map(holds)).toEqual(splits.map(() => []));
  }, SCENARIO_TIMEOUT * SPLIT_RUNS);
});
