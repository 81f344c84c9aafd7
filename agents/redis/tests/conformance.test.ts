import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformance } from '@ocfkit/testkit';
import agent from '../src/agent.ts';
import { AGENT, alive, makeCluster, requireBuilt, type Cluster } from './helpers/agent-nodes.ts';

// The whole OCF check list, as a primitive and as a promotable clone, over real redis-servers.

function suite(promotable: boolean): void {
  let cluster: Cluster;
  const node = () => cluster.nodes[0]!;
  conformance({
    agent,
    executable: AGENT,
    promotable,
    params: () => node().params(),
    env: () => ({ PATH: cluster.fake.path }),
    setup: async () => {
      requireBuilt();
      cluster = await makeCluster(1);
    },
    // a config redis-server refuses: start must say so, on its own, long before its budget
    neverStarts: {
      params: () => {
        const broken = join(node().base, 'broken.conf');
        writeFileSync(broken, `include ${node().config}\nmaxmemory-policy sometimes\n`);
        return { ...node().params(), config: broken };
      },
      reason: /redis-server exited during start: .*'maxmemory-policy sometimes'/,
    },
    leftovers: async () => {
      const pid = node().pid();
      return alive(pid) ? [`redis-server pid ${pid} still runs`] : [];
    },
  });
}

suite(false);
suite(true);
