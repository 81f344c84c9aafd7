// What the test and the probe (a program run inside a lab node, where 198.18.0.N is reachable)
// tell each other: the probe's configuration on its command line, its observations as JSON lines
// in a directory both see (the host's /tmp is every node's /tmp).

export interface ProbeNode {
  /** Pacemaker node name (node1). */
  readonly name: string;
  /** Its lab address (198.18.0.1). */
  readonly host: string;
}

export interface ProbeConfig {
  readonly nodes: readonly ProbeNode[];
  readonly port: number;
  readonly password: string;
  /** Shared directory: events.jsonl, acks.txt (writer.py), and the stop file the test creates. */
  readonly dir: string;
  /** Also poll crm_mon (of the node the probe runs in) for the clone's roles. */
  readonly crmResource?: string;
  /** Also poll the Redis Sentinels (one per node, on this port) for the master they name. */
  readonly sentinel?: { readonly port: number; readonly master: string };
  /** writer.py check: the primary whose keys are compared with the acknowledged ones. */
  readonly primary?: string;
  /** writer.py check: the fault's time (epoch ms), to count what was acknowledged before it apart. */
  readonly faultAt?: number;
}

/** One Redis as the probe saw it (INFO replication and keyspace). */
export interface RedisView {
  readonly reachable: boolean;
  readonly role?: 'master' | 'slave';
  readonly masterHost?: string;
  readonly masterPort?: number;
  readonly link?: 'up' | 'down';
  /** Replicas attached to a primary. */
  readonly replicas?: number;
  readonly keys?: number;
}

/** The clone's instances per node in crm_mon: "Promoted", "Unpromoted", "Promoted (failed)"... */
export type CrmRoles = Readonly<Record<string, string>>;

/** The address each Sentinel names as the master (by Sentinel's node), null when it does not answer. */
export type SentinelMasters = Readonly<Record<string, string | null>>;

/**
 * Observations, each written when it differs from the previous one of its kind (and node). `t` is
 * when the answer came; a crm sample also carries when its crm_mon was started (`asked`): crm_mon
 * takes a few hundred ms to exec and answer, and what it says is true somewhere in between.
 */
export type ProbeEvent =
  | { readonly t: number; readonly kind: 'redis'; readonly node: string; readonly view: RedisView }
  | { readonly t: number; readonly kind: 'crm'; readonly roles: CrmRoles; readonly asked?: number }
  | { readonly t: number; readonly kind: 'sentinel'; readonly masters: SentinelMasters };

/** How often each loop of the watcher really sampled (ms between the answers of one loop). */
export interface LoopStats {
  readonly samples: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/** What the watcher prints when it stops: its real resolution, per loop ("redis node2", "crm", "sentinel"). */
export type WatchStats = Readonly<Record<string, LoopStats>>;

/** What writer.py check prints. */
export interface KeyCheck {
  readonly acknowledged: number;
  readonly missing: number;
  /** Of those, acknowledged before the fault (the writes a failover puts at risk). */
  readonly acknowledgedBeforeFault: number;
  readonly missingBeforeFault: number;
  /** The first few missing keys, for the failure message. */
  readonly examples: readonly string[];
}

/** What writer.py write prints when it stops. */
export interface WriterSummary {
  readonly attempted: number;
  readonly acknowledged: number;
  readonly failed: number;
}

export const EVENTS_FILE = 'events.jsonl';
/** One line per acknowledged key: "k17 1795547201191" (key, epoch ms of the acknowledgement). */
export const ACKS_FILE = 'acks.txt';
export const STOP_FILE = 'stop';
