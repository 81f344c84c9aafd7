import type { KeyCheck, WriterSummary } from './probe/protocol.ts';
import { PORT, type AgentName, type RedisLab, type Watch } from './redis-lab.ts';
import { analyse, settledAt, type FailoverTimeline } from './timeline.ts';

// One failover, measured: wait for a steady clone, start the probe (observer and writer) on a
// replica's node, inject the fault on the primary, wait until the cluster has settled (or a
// deadline: a state never reached is a result too), then check the acknowledged writes.

export type Fault = 'kill' | 'crash';

export interface ScenarioResult {
  readonly agent: AgentName;
  readonly fault: Fault;
  readonly oldPrimary: string;
  readonly timeline: FailoverTimeline;
  readonly writer: WriterSummary;
  /** Undefined when there is no primary to check against. */
  readonly keys?: KeyCheck;
}

/** Everything must have held this long before the failover counts as over (heartbeat/redis flaps). */
const SETTLE_MS = 4000;
/** After this, whatever is not reached is recorded as not reached. */
const GIVE_UP_MS = 45_000;
/** Writes acknowledged before the fault, so that there is something to lose. */
const WRITES_BEFORE = 20;
/**
 * Then a random pause of up to the longest monitor interval (6 s): a fault at a fixed delay after
 * the clone settles would fall at the same point of the monitor cycle in every run, and a kill -9
 * would be detected after the same time every run; faults come at any moment.
 */
const MAX_JITTER_MS = 6000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fault on `node`; resolves with its time (epoch ms). */
async function inject(redisLab: RedisLab, fault: Fault, node: string): Promise<number> {
  const { lab } = redisLab;
  if (fault === 'crash') {
    const t0 = Date.now();
    await lab.crash(node);
    return t0;
  }
  // both agents give redis-server this pidfile (rundir /var/run/redis); the time is taken in the
  // node right before the kill, so that the command's start-up does not count
  const killed = await lab.exec(node, 'sh', ['-c', 'pid=$(cat /run/redis/redis-server.pid) && date +%s%3N && kill -9 "$pid"']);
  if (killed.code !== 0 || !/^\d{13}$/.test(killed.stdout.trim())) throw new Error(`kill -9 on ${node}: exit ${killed.code}: ${killed.stdout}${killed.stderr}`);
  return Number(killed.stdout.trim());
}

export async function failover(redisLab: RedisLab, fault: Fault, members: readonly string[]): Promise<ScenarioResult> {
  const oldPrimary = await redisLab.lab.waitFor(() => redisLab.steadyPrimary(members), 90_000, 500);
  const probeNode = members.find((n) => n !== oldPrimary)!;
  const watch: Watch = redisLab.watch(probeNode);
  let writer: WriterSummary | undefined;
  try {
    await redisLab.lab.waitFor(() => watch.acknowledged() >= WRITES_BEFORE, 30_000, 100);
    await sleep(Math.random() * MAX_JITTER_MS);
    const t0 = await inject(redisLab, fault, oldPrimary);
    const scene = { t0, nodes: redisLab.nodes, port: PORT, survivors: fault === 'crash' ? members.filter((n) => n !== oldPrimary) : members, oldPrimary };
    while (Date.now() < t0 + GIVE_UP_MS) {
      const at = settledAt(analyse(watch.events(), scene), t0);
      if (at !== undefined && Date.now() - at >= SETTLE_MS) break;
      await sleep(250);
    }
    writer = await watch.stop();
    const timeline = analyse(watch.events(), scene);
    const keys = timeline.primary === undefined ? undefined : await watch.checkKeys(timeline.primary, t0);
    return { agent: redisLab.agent, fault, oldPrimary, timeline, writer, keys };
  } finally {
    if (writer === undefined) await watch.stop().catch(() => undefined);
  }
}
