import { runOcfTester } from '@ocfkit/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENT, makeCluster, requireBuilt, type Cluster } from './helpers/agent-nodes.ts';

// resource-agents' own checker, as CI runs it; as a primitive, and with the metadata of a
// promotable clone passed as options (ocf-tester then runs its promote/demote checks).

let cluster: Cluster;
beforeAll(async () => {
  requireBuilt();
  cluster = await makeCluster(1);
});

describe('ocf-tester', () => {
  it('passes as a primitive', async () => {
    const result = await runOcfTester(AGENT, { name: 'rds', params: cluster.nodes[0]!.params(), env: { PATH: cluster.fake.path } });
    expect(result.output).toMatch(/\/redis passed all tests/);
    expect(result.code).toBe(0);
  });

  it('passes as a promotable clone (promote and demote checked)', async () => {
    const params = { ...cluster.nodes[0]!.params(), CRM_meta_promoted_max: '1', CRM_meta_notify: 'true', CRM_meta_on_node: 'node1' };
    const result = await runOcfTester(AGENT, { name: 'rds', params, env: { PATH: cluster.fake.path } });
    expect(result.output).toContain('Testing: demotion of started resource');
    expect(result.output).toContain('Testing: promotion of promoted resource');
    expect(result.output).toMatch(/\/redis passed all tests/);
    expect(result.code).toBe(0);
  });
});
