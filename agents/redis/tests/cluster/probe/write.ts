import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { RedisClient } from '../../../src/resp/client.ts';
import { ACKS_FILE, type ProbeConfig, type ProbeNode, type RedisView, type WriterSummary } from './protocol.ts';

// An application writing through the failover: SET k<i> <i> to whichever server is primary now,
// each followed by WAIT 1, and a key counts as acknowledged only when at least one replica has
// it (what a careful client would promise its users). Acknowledged keys must survive the failover.

const WAIT_MS = 500;
const PAUSE_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The primary to write to: a reachable master, the one with most replicas when there are several. */
function currentPrimary(config: ProbeConfig, latest: ReadonlyMap<string, RedisView>): ProbeNode | undefined {
  let best: ProbeNode | undefined;
  let bestReplicas = -1;
  for (const node of config.nodes) {
    const view = latest.get(node.name);
    if (!view?.reachable || view.role !== 'master') continue;
    if ((view.replicas ?? 0) > bestReplicas) {
      best = node;
      bestReplicas = view.replicas ?? 0;
    }
  }
  return best;
}

export async function writeUntilStopped(config: ProbeConfig, latest: ReadonlyMap<string, RedisView>, stopped: () => boolean): Promise<WriterSummary> {
  const acks = join(config.dir, ACKS_FILE);
  let attempted = 0;
  let acknowledged = 0;
  let failed = 0;
  let client: RedisClient | undefined;
  let connectedTo: string | undefined;
  const drop = () => {
    client?.close();
    client = undefined;
  };
  while (!stopped()) {
    const primary = currentPrimary(config, latest);
    if (primary === undefined) {
      await sleep(PAUSE_MS);
      continue;
    }
    if (connectedTo !== primary.host) drop();
    connectedTo = primary.host;
    try {
      client ??= await RedisClient.connect({ endpoint: { host: primary.host, port: config.port }, password: config.password, connectTimeoutMs: 300 });
      attempted += 1;
      const key = `k${attempted}`;
      const [, replicas] = await client.pipeline([['SET', key, String(attempted)], ['WAIT', '1', String(WAIT_MS)]], { timeoutMs: WAIT_MS + 2000 });
      if (typeof replicas === 'number' && replicas >= 1) {
        appendFileSync(acks, `${key} ${Date.now()}\n`);
        acknowledged += 1;
      }
    } catch {
      failed += 1;
      drop();
    }
    await sleep(PAUSE_MS);
  }
  drop();
  return { attempted, acknowledged, failed };
}
