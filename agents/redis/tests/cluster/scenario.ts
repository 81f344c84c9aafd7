import type { KeyCheck, WatchStats, WriterSummary } from './probe/protocol.ts';
import { PORT, type AgentName, type RedisLab, type Watch } from './redis-lab.ts';
import { analyse, settledAt, type FailoverTimeline } from './timeline.ts';

// One fault, measured: wait for a steady clone, start the watcher and the writer on a replica's
// node, inject the fault on the primary, wait until the cluster has settled (or a deadline: a
// state never reached is a result too); for a fault that ends (thaw, heal), end it and wait until
// the whole cluster has settled again; then check the acknowledged writes on the final primary.
// The same for a Pacemaker clone and for Redis Sentinel (redis-lab.ts).

/**
 * kill: SIGKILL of the primary's redis-server. crash: SIGKILL of its whole node. freeze: SIGSTOP of
 * its whole node (a hung VM), then SIGCONT. isolate: its link down, then up. isolate-nft: nftables
 * drops inside the node, then removed. split: SIGSTOP of its corosync only, then SIGCONT: the node
 * keeps serving clients as a primary while the others promote one (a split brain without fencing).
 */
export type Fault = 'kill' | 'crash' | 'freeze' | 'isolate' | 'isolate-nft' | 'split';

export interface ScenarioResult {
  readonly agent: AgentName;
  readonly fault: Fault;
  readonly oldPrimary: string;
  /** When the fault command acted, and when the command ending it did (epoch ms). */
  readonly faultAt: number;
  readonly endedAt?: number;
  /** The watcher's directory: events.jsonl (what it saw) and acks.txt (what the writer had acknowledged). */
  readonly dir: string;
  /** The watcher's real sampling intervals, per loop. */
  readonly stats: WatchStats;
  /** From the fault, among the nodes that keep running. */
  readonly timeline: FailoverTimeline;
  /** From the end of the fault (thaw, heal), among every node; undefined for kill and crash. */
  readonly rejoin?: FailoverTimeline;
  readonly writer: WriterSummary;
  /** Undefined when there is no primary to check against. */
  readonly keys?: KeyCheck;
}

/** Faults that end: the node comes back by itself, with whatever it did meanwhile. */
export const ENDS: ReadonlySet<Fault> = new Set(['freeze', 'isolate', 'isolate-nft', 'split']);

/** Everything must have held this long before the failover counts as over (heartbeat/redis flaps). */
const SETTLE_MS = 4000;
/** After this, whatever is not reached is recorded as not reached. */
export const GIVE_UP_MS = 45_000;
/** Writes acknowledged before the fault, so that there is something to lose. */
const WRITES_BEFORE = 20;
/**
 * Then a random pause of up to the longest monitor interval (6 s): a fault at a fixed delay after
 * the clone settles would fall at the same point of the monitor cycle in every run, and a kill -9
 * would be detected after the same time every run; faults come at any moment.
 */
const MAX_JITTER_MS = 6000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fault on `node`; resolves with the time the lab says it acted (epoch ms). */
function inject(redisLab: RedisLab, fault: Fault, node: string): Promise<number> {
  const { lab } = redisLab;
  switch (fault) {
    case 'kill':
      return lab.kill(node, 'redis-server');
    case 'crash':
      return lab.crash(node);
    case 'freeze':
      return lab.freeze(node);
    case 'isolate':
      return lab.isolate(node);
    case 'isolate-nft':
      return lab.isolate(node, { nft: true });
    case 'split':
      return lab.freezeCorosync(node);
  }
}

/** Ends a fault that ends; resolves with the time it acted. */
function undo(redisLab: RedisLab, fault: Fault, node: string): Promise<number> {
  const { lab } = redisLab;
  switch (fault) {
    case 'freeze':
      return lab.thaw(node);
    case 'isolate':
      return lab.heal(node);
    case 'isolate-nft':
      return lab.heal(node, { nft: true });
    case 'split':
      return lab.thawCorosync(node);
    default:
      throw new Error(`${fault} does not end`);
  }
}

async function settle(watch: Watch, scene: Parameters<typeof analyse>[1]): Promise<FailoverTimeline> {
  while (Date.now() < scene.t0 + GIVE_UP_MS) {
    const at = settledAt(analyse(watch.events(), scene), scene.t0);
    if (at !== undefined && Date.now() - at >= SETTLE_MS) break;
    await sleep(250);
  }
  return analyse(watch.events(), scene);
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
    const others = members.filter((n) => n !== oldPrimary);
    const { manager } = redisLab;
    // Pacemaker restarts a killed server on its node (Sentinel has nothing that would); every other
    // fault takes the node out until it ends
    const restarts = fault === 'kill' && manager === 'pacemaker';
    const scene = { t0, nodes: redisLab.nodes, port: PORT, survivors: restarts ? members : others, oldPrimary, manager };
    const timeline = await settle(watch, scene);
    let rejoin: FailoverTimeline | undefined;
    let t1: number | undefined;
    if (ENDS.has(fault)) {
      t1 = await undo(redisLab, fault, oldPrimary);
      rejoin = await settle(watch, { t0: t1, nodes: redisLab.nodes, port: PORT, survivors: members, manager });
    }
    const stopped = await watch.stop();
    writer = stopped.writer;
    const final = (rejoin ?? timeline).primary;
    const keys = final === undefined ? undefined : await watch.checkKeys(final, t0);
    return { agent: redisLab.agent, fault, oldPrimary, faultAt: t0, endedAt: t1, dir: watch.dir, stats: stopped.stats, timeline, rejoin, writer, keys };
  } finally {
    if (writer === undefined) await watch.stop().catch(() => undefined);
  }
}
