// INFO is the one command a Redis answers in every state (even while loading its dataset), so the
// agent reads its whole view of a server from it: role, replication link, offsets, loading.
// Format: "# Section" headers, then "key:value" lines, CRLF separated. Values may contain ':'
// (an IPv6 master_host reads "master_host:::1"), so only the first ':' splits.

/** One `slaveN:ip=...,port=...,state=...,offset=...,lag=...` line of a primary's INFO. */
export interface ReplicaLine {
  /** N in `slaveN`. */
  readonly index: number;
  readonly ip: string;
  readonly port: number;
  /** `online`, `wait_bgsave`, `send_bulk`... */
  readonly state: string;
  readonly offset: number;
  /** Seconds since the replica's last ack. */
  readonly lag: number;
}

export interface RedisInfo {
  /** Every key:value line, whatever its section. */
  readonly fields: ReadonlyMap<string, string>;
  /** Lines by section; section names lower-cased (`replication`, `persistence`). */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly version?: string;
  /** Redis still says `master`/`slave` in INFO, whatever its commands are called. */
  readonly role?: 'master' | 'slave';
  readonly connectedClients?: number;

  /** The dataset is still being read from disk: only INFO and a few commands work. */
  readonly loading: boolean;
  readonly loadingEtaSeconds?: number;
  readonly loadingLoadedPerc?: number;
  readonly rdbBgsaveInProgress: boolean;
  readonly aofRewriteInProgress: boolean;

  /** Replica side: whom it follows and how the link is. */
  readonly masterHost?: string;
  readonly masterPort?: number;
  /** `up` only once the initial sync has completed. */
  readonly masterLinkStatus?: 'up' | 'down';
  /** Seconds since the last byte from the primary; undefined when there is no link (Redis says -1). */
  readonly masterLastIoSecondsAgo?: number;
  readonly masterSyncInProgress: boolean;
  /** Present while the link is down: how long it has been down (-1: never up since start). */
  readonly masterLinkDownSinceSeconds?: number;
  /** How much of the primary's stream this replica has processed. */
  readonly slaveReplOffset?: number;
  readonly slavePriority?: number;

  /** Both sides: this server's replication id and offset in it. */
  readonly masterReplid?: string;
  readonly masterReplOffset?: number;

  /** Primary side: attached replicas. */
  readonly connectedSlaves: number;
  readonly replicas: readonly ReplicaLine[];

  /** Keys in all databases (the `dbN:keys=...` lines of the keyspace section): 0 for an empty dataset. */
  readonly keys: number;
  readonly uptimeSeconds?: number;
  /** `rdb_last_bgsave_status:err`: the last snapshot failed (writes may be refused: MISCONF). */
  readonly rdbLastSaveFailed: boolean;
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function parseReplicaLine(index: number, value: string): ReplicaLine | undefined {
  const parts = new Map<string, string>();
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) parts.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const ip = parts.get('ip');
  const port = number(parts.get('port'));
  if (ip === undefined || port === undefined) return undefined;
  return {
    index,
    ip,
    port,
    state: parts.get('state') ?? '',
    offset: number(parts.get('offset')) ?? 0,
    lag: number(parts.get('lag')) ?? 0,
  };
}

function sectionsOf(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section = new Map<string, string>();
  sections.set('', section);
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const name = line.slice(1).trim().toLowerCase();
      section = sections.get(name) ?? new Map();
      sections.set(name, section);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) section.set(line.slice(0, colon), line.slice(colon + 1));
  }
  if (sections.get('')!.size === 0) sections.delete('');
  return sections;
}

/** Parse the text of an `INFO` reply (all sections or some). Unknown lines are kept in `fields`. */
export function parseInfo(text: string): RedisInfo {
  // the whole reply is read on every monitor: one map of the lines, no more; sections only on demand
  const fields = new Map<string, string>();
  const replicas: ReplicaLine[] = [];
  let keys = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith('#')) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    fields.set(key, value);
    if (key.startsWith('slave')) {
      const match = /^slave(\d+)$/.exec(key);
      const replica = match ? parseReplicaLine(Number(match[1]), value) : undefined;
      if (replica) replicas.push(replica);
    } else if (key.startsWith('db') && /^db\d+$/.test(key)) {
      keys += number(/(?:^|,)keys=(\d+)/.exec(value)?.[1]) ?? 0;
    }
  }
  replicas.sort((a, b) => a.index - b.index);

  const role = fields.get('role');
  const link = fields.get('master_link_status');
  const lastIo = number(fields.get('master_last_io_seconds_ago'));
  let sections: Map<string, Map<string, string>> | undefined;
  return {
    fields,
    get sections() {
      return (sections ??= sectionsOf(text));
    },
    version: fields.get('redis_version'),
    role: role === 'master' || role === 'slave' ? role : undefined,
    connectedClients: number(fields.get('connected_clients')),
    loading: fields.get('loading') === '1',
    loadingEtaSeconds: number(fields.get('loading_eta_seconds')),
    loadingLoadedPerc: number(fields.get('loading_loaded_perc')),
    rdbBgsaveInProgress: fields.get('rdb_bgsave_in_progress') === '1',
    aofRewriteInProgress: fields.get('aof_rewrite_in_progress') === '1',
    masterHost: fields.get('master_host'),
    masterPort: number(fields.get('master_port')),
    masterLinkStatus: link === 'up' || link === 'down' ? link : undefined,
    masterLastIoSecondsAgo: lastIo === undefined || lastIo < 0 ? undefined : lastIo,
    masterSyncInProgress: fields.get('master_sync_in_progress') === '1',
    masterLinkDownSinceSeconds: number(fields.get('master_link_down_since_seconds')),
    slaveReplOffset: number(fields.get('slave_repl_offset')),
    slavePriority: number(fields.get('slave_priority')),
    masterReplid: fields.get('master_replid'),
    masterReplOffset: number(fields.get('master_repl_offset')),
    connectedSlaves: number(fields.get('connected_slaves')) ?? 0,
    replicas,
    keys,
    uptimeSeconds: number(fields.get('uptime_in_seconds')),
    rdbLastSaveFailed: fields.get('rdb_last_bgsave_status') === 'err',
  };
}
