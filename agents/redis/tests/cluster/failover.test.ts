import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, startLab, unavailable, type Lab } from '../../../../tools/cluster-lab/src/lab.ts';
import { buildProbe } from './build-probe.ts';
import { describeResult, sideBySide } from './report.ts';
import { RedisLab, type AgentName } from './redis-lab.ts';
import { failover, type Fault, type ScenarioResult } from './scenario.ts';

// ocf:ocfkit:redis as a promotable clone on a real 3-node Pacemaker cluster (tools/cluster-lab),
// and ocf:heartbeat:redis on the same lab code path, same redis.conf, same pcs command: a kill -9
// of the primary's redis-server, then a crash of the primary's node (and its return), while an
// independent client (writer/writer.py) writes and counts a write only once WAIT 1 confirms a
// replica has it. Timings are
// printed, not asserted (they depend on the machine); ocfkit's end states and its acknowledged
// writes are asserted, heartbeat/redis's are recorded whatever they are.

const available = labAvailable();
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const AGENTS_DIR = process.env.OCFKIT_LAB_AGENTS ?? join(ROOT, 'dist/resource.d/ocfkit');
const LAB_TIMEOUT = 150_000;
const SCENARIO_TIMEOUT = 180_000;

const results = new Map<`${AgentName} ${Fault}`, ScenarioResult>();
// tools/bench/src/suites/redis-failover.mjs runs this file several times and reads the results here
const RESULTS_FILE = process.env.OCFKIT_FAILOVER_RESULTS;

describe.skipIf(unavailable(available, 'the cluster lab'))('redis failover under a real 3-node cluster', () => {
  let probeDir: string;
  let probe: string;

  beforeAll(async () => {
    if (!existsSync(join(AGENTS_DIR, 'redis'))) throw new Error(`${AGENTS_DIR}/redis is missing: run "node tools/bundle/src/cli.mjs redis" first`);
    // under /tmp: the nodes share the host's /tmp (but not its /run)
    probeDir = mkdtempSync('/tmp/ocfkit-redis-failover-');
    probe = await buildProbe(probeDir);
  });

  afterAll(() => {
    for (const fault of ['kill', 'crash'] as const) {
      const line = sideBySide(fault, results.get(`ocfkit ${fault}`), results.get(`heartbeat ${fault}`));
      console.log(line);
    }
    if (RESULTS_FILE) writeFileSync(RESULTS_FILE, JSON.stringify([...results.values()]));
    if (probeDir) rmSync(probeDir, { recursive: true, force: true });
  });

  describe.each(['ocfkit', 'heartbeat'] as const)('ocf:%s:redis', (agent) => {
    const strict = agent === 'ocfkit';
    let lab: Lab;
    let redis: RedisLab;

    beforeAll(async () => {
      lab = await startLab({ nodes: 3, agentsDir: AGENTS_DIR });
      redis = new RedisLab(lab, agent, probeDir, probe);
      await redis.createClone();
    }, LAB_TIMEOUT);

    afterAll(async () => {
      await lab?.down();
    }, LAB_TIMEOUT);

    it('comes up with one primary and two replicas linked to it', async () => {
      const primary = await lab.waitFor(() => redis.steadyPrimary(lab.nodeNames), 60_000, 500);
      const views = await redis.views();
      for (const node of lab.nodeNames.filter((n) => n !== primary)) {
        // ocfkit resolves node names (here through the node's /etc/hosts); heartbeat/redis gives Redis the name
        expect(views[node]).toMatchObject({ role: 'slave', link: 'up', masterHost: strict ? redis.hostOf(primary) : primary, masterPort: 6379 });
      }
    }, SCENARIO_TIMEOUT);

    it('fails over when the primary redis-server is killed (kill -9)', async () => {
      const result = await failover(redis, 'kill', lab.nodeNames);
      results.set(`${agent} kill`, result);
      console.log(describeResult(result));
      if (!strict) return;
      const t = result.timeline;
      expect(t.problems).toEqual([]);
      const primary = t.primary!;
      // the killed server restarts empty (no snapshots): promoting it would drop every write
      expect(primary).not.toBe(result.oldPrimary);
      for (const node of lab.nodeNames.filter((n) => n !== primary)) {
        expect(t.end[node]).toEqual({ reachable: true, role: 'slave', masterHost: redis.hostOf(primary), masterPort: 6379, link: 'up' });
      }
      expect(result.keys).toMatchObject({ missing: 0, missingBeforeFault: 0, examples: [] });
      expect(result.keys!.acknowledgedBeforeFault).toBeGreaterThanOrEqual(20);
    }, SCENARIO_TIMEOUT);

    it('fails over when the primary node crashes, and takes the node back as a replica', async () => {
      const result = await failover(redis, 'crash', lab.nodeNames);
      results.set(`${agent} crash`, result);
      console.log(describeResult(result));
      const crashed = result.oldPrimary;
      const t = result.timeline;
      if (strict) {
        expect(t.problems).toEqual([]);
        const survivors = lab.nodeNames.filter((n) => n !== crashed);
        expect(survivors).toContain(t.primary);
        for (const node of survivors.filter((n) => n !== t.primary)) {
          // following the new primary, nothing left pointing at the dead node
          expect(t.end[node]).toEqual({ reachable: true, role: 'slave', masterHost: redis.hostOf(t.primary!), masterPort: 6379, link: 'up' });
        }
        expect(t.end[crashed]).toEqual({ reachable: false });
        expect(result.keys).toMatchObject({ missing: 0, missingBeforeFault: 0, examples: [] });
        expect(result.keys!.acknowledgedBeforeFault).toBeGreaterThanOrEqual(20);
      }

      await lab.restart(crashed);
      const back = await lab.waitFor(() => redis.steadyPrimary(lab.nodeNames), 60_000, 500).catch(() => undefined);
      console.log(`rejoin after crash (${agent === 'ocfkit' ? 'ocfkit' : 'heartbeat/redis'}): ${back ? `${crashed} replicates from ${back}` : `not steady within 60 s: ${JSON.stringify(await redis.roles())}`}`);
      if (strict) {
        // no failback: the primary stays where it is, the returning node follows it
        expect(back).toBe(t.primary);
      }
    }, SCENARIO_TIMEOUT);
  });
});
