// What Pacemaker tells an action about itself through OCF_RESKEY_CRM_meta_*. Names and shapes
// follow what pacemaker-execd 2.1.5 was observed to send (docs/ocf-primer.md, "The environment").

type Env = Readonly<Record<string, string | undefined>>;

export type Role = 'Promoted' | 'Unpromoted';

/** One notify list pair: resource ids (`h:0`) and node names, index for index. */
export interface NotifyPeers {
  readonly resources: readonly string[];
  readonly unames: readonly string[];
}

export interface Notification {
  readonly type: 'pre' | 'post';
  readonly operation: 'start' | 'stop' | 'promote' | 'demote';
  readonly start: NotifyPeers;
  readonly stop: NotifyPeers;
  readonly promote: NotifyPeers;
  readonly demote: NotifyPeers;
  readonly active: NotifyPeers;
  readonly inactive: NotifyPeers;
  /** Currently promoted instances (`notify_promoted_*`, falling back to legacy `master`). */
  readonly promoted: NotifyPeers;
  /** Currently unpromoted instances (`notify_unpromoted_*`, falling back to legacy `slave`). */
  readonly unpromoted: NotifyPeers;
  readonly all: readonly string[];
  readonly available: readonly string[];
}

export interface CrmMeta {
  /** The action's budget in ms (`CRM_meta_timeout`); undefined when run by hand. */
  readonly timeoutMs?: number;
  /** Recurring monitor interval in ms; 0 for a probe or a one-off action. */
  readonly intervalMs: number;
  /** A monitor with no interval: Pacemaker asking "is it running here?" */
  readonly isProbe: boolean;
  /** Role of a role-specific recurring monitor. */
  readonly role?: Role;
  readonly onNode?: string;
  readonly clone?: number;
  readonly cloneMax?: number;
  readonly cloneNodeMax?: number;
  readonly globallyUnique: boolean;
  /** Pacemaker 2.1.5 does not export `promotable`: it is promoted_max (or master_max) > 0. */
  readonly promotable: boolean;
  readonly promotedMax?: number;
  readonly notifyEnabled: boolean;
  readonly notification?: Notification;
}

const META = 'OCF_RESKEY_CRM_meta_';

function int(env: Env, key: string): number | undefined {
  const raw = env[META + key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number.parseInt(raw, 10);
  return Number.isFinite(value) ? value : undefined;
}

function bool(env: Env, key: string): boolean {
  return /^(true|yes|1|on)$/i.test(env[META + key]?.trim() ?? '');
}

/** Pacemaker sends an empty list as a single space: trim before splitting. */
export function splitList(raw: string | undefined): string[] {
  const text = raw?.trim() ?? '';
  return text === '' ? [] : text.split(/\s+/);
}

function peers(env: Env, name: string, legacy?: string): NotifyPeers {
  const get = (n: string, kind: string) => env[`${META}notify_${n}_${kind}`];
  const pick = (kind: string) => get(name, kind) ?? (legacy ? get(legacy, kind) : undefined);
  return { resources: splitList(pick('resource')), unames: splitList(pick('uname')) };
}

function parseRole(raw: string | undefined): Role | undefined {
  switch (raw?.trim()) {
    case 'Promoted':
    case 'Master':
      return 'Promoted';
    case 'Unpromoted':
    case 'Slave':
      return 'Unpromoted';
    default:
      return undefined;
  }
}

function parseNotification(env: Env): Notification | undefined {
  const type = env[`${META}notify_type`]?.trim();
  const operation = env[`${META}notify_operation`]?.trim();
  if ((type !== 'pre' && type !== 'post') || !operation) return undefined;
  if (!['start', 'stop', 'promote', 'demote'].includes(operation)) return undefined;
  return {
    type,
    operation: operation as Notification['operation'],
    start: peers(env, 'start'),
    stop: peers(env, 'stop'),
    promote: peers(env, 'promote'),
    demote: peers(env, 'demote'),
    active: peers(env, 'active'),
    inactive: peers(env, 'inactive'),
    promoted: peers(env, 'promoted', 'master'),
    unpromoted: peers(env, 'unpromoted', 'slave'),
    all: splitList(env[`${META}notify_all_uname`]),
    available: splitList(env[`${META}notify_available_uname`]),
  };
}

export function parseCrmMeta(env: Env): CrmMeta {
  const intervalMs = int(env, 'interval') ?? 0;
  const promotedMax = int(env, 'promoted_max') ?? int(env, 'master_max');
  return {
    timeoutMs: int(env, 'timeout'),
    intervalMs,
    isProbe: intervalMs === 0,
    role: parseRole(env[`${META}role`]),
    onNode: env[`${META}on_node`],
    clone: int(env, 'clone'),
    cloneMax: int(env, 'clone_max'),
    cloneNodeMax: int(env, 'clone_node_max'),
    globallyUnique: bool(env, 'globally_unique'),
    promotable: (promotedMax ?? 0) > 0,
    promotedMax,
    notifyEnabled: bool(env, 'notify'),
    notification: parseNotification(env),
  };
}
