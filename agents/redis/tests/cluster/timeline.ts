import type { CrmRoles, ProbeEvent, ProbeNode, RedisView, SentinelMasters } from './probe/protocol.ts';

// From the probe's observations to the numbers of a failover: when the final primary became
// primary (in Redis and in crm_mon), and when every surviving replica was linked to it, measured
// from the fault. Each is the start of the last period in which the condition held, so a primary
// that flaps (promoted, demoted, promoted again) is counted from the promotion that stuck. The
// manager's view is crm_mon's roles under Pacemaker, and the master the Sentinels name under Sentinel.

export interface FailoverScene {
  /** The fault, epoch ms. */
  readonly t0: number;
  readonly nodes: readonly ProbeNode[];
  readonly port: number;
  /** Nodes expected to run Redis once it is over (a crashed node is not one). */
  readonly survivors: readonly string[];
  /** The primary hit by the fault: when crm_mon stops showing it Promoted, Pacemaker has noticed. */
  readonly oldPrimary?: string;
  /** Whose view the crm* numbers are: Pacemaker's (crm_mon, the default) or the Sentinels'. */
  readonly manager?: 'pacemaker' | 'sentinel';
}

export interface FailoverTimeline {
  /** The one reachable Redis primary among the survivors at the end, if there is exactly one. */
  readonly primary?: string;
  /**
   * Until crm_mon first showed the old primary other than plainly Promoted (failed, gone): the
   * detection, which for a killed server depends on where the fault fell in the monitor interval.
   */
  readonly detectedAfterMs?: number;
  /** From the fault until `primary` answered role:master for good. */
  readonly primaryAfterMs?: number;
  /** Until crm_mon showed `primary`, and only it, Promoted for good (Sentinel: every answering Sentinel named it). */
  readonly crmPromotedAfterMs?: number;
  /** Until every other survivor was a replica of `primary` with master_link_status:up, for good. */
  readonly linkedAfterMs?: number;
  /** Until crm_mon also showed every other survivor Unpromoted (nothing failed). */
  readonly crmSettledAfterMs?: number;
  /** How many times a server became a primary after the fault (1 in a clean failover). */
  readonly promotions: number;
  /** What is wrong at the end (empty when the failover is complete). */
  readonly problems: readonly string[];
  readonly end: Readonly<Record<string, RedisView>>;
  readonly endRoles: CrmRoles;
}

interface State {
  views: Map<string, RedisView>;
  roles: CrmRoles;
  sentinels: SentinelMasters;
}

function apply(state: State, event: ProbeEvent): void {
  if (event.kind === 'redis') state.views.set(event.node, event.view);
  else if (event.kind === 'crm') state.roles = event.roles;
  else state.sentinels = event.masters;
}

const isMaster = (view: RedisView | undefined) => view?.reachable === true && view.role === 'master';

function describe(node: string, view: RedisView | undefined): string {
  if (!view?.reachable) return `${node} does not answer`;
  if (view.role === 'master') return `${node} is a primary`;
  return `${node} replicates from ${view.masterHost ?? '?'}:${view.masterPort ?? '?'} (link ${view.link ?? '?'})`;
}

export function analyse(events: readonly ProbeEvent[], scene: FailoverScene): FailoverTimeline {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const before = sorted.filter((e) => e.t <= scene.t0);
  const after = sorted.filter((e) => e.t > scene.t0);
  const end: State = { views: new Map(), roles: {}, sentinels: {} };
  for (const event of sorted) apply(end, event);

  const masters = scene.survivors.filter((n) => isMaster(end.views.get(n)));
  const primary = masters.length === 1 ? masters[0] : undefined;
  const host = new Map(scene.nodes.map((n) => [n.name, n.host]));
  const others = scene.survivors.filter((n) => n !== primary);

  const isPrimary = (s: State) => primary !== undefined && isMaster(s.views.get(primary));
  const sentinel = scene.manager === 'sentinel';
  const named = (s: State) => {
    const answers = Object.values(s.sentinels).filter((m) => m !== null);
    return primary !== undefined && answers.length > 0 && answers.every((m) => m === `${host.get(primary)}:${scene.port}`);
  };
  const crmPromoted = (s: State) =>
    sentinel
      ? named(s)
      : primary !== undefined && s.roles[primary] === 'Promoted' && Object.entries(s.roles).every(([n, r]) => n === primary || !r.startsWith('Promoted'));
  const follows = (view: RedisView | undefined) =>
    view?.reachable === true &&
    view.role === 'slave' &&
    view.link === 'up' &&
    view.masterPort === scene.port &&
    (view.masterHost === primary || view.masterHost === host.get(primary!));
  // a link counts only while the primary is one: replicas may not have noticed a dead primary yet
  const linked = (s: State) => isPrimary(s) && others.every((n) => follows(s.views.get(n)));
  const crmSettled = (s: State) => crmPromoted(s) && (sentinel || others.every((n) => s.roles[n] === 'Unpromoted'));

  // replay: the state at the fault, then every change after it
  const state: State = { views: new Map(), roles: {}, sentinels: {} };
  for (const event of before) apply(state, event);
  const conditions = { isPrimary, crmPromoted, linked, crmSettled };
  const holding = Object.fromEntries(Object.entries(conditions).map(([k, c]) => [k, c(state)])) as Record<keyof typeof conditions, boolean>;
  const since: Partial<Record<keyof typeof conditions, number>> = Object.fromEntries(
    Object.entries(holding).filter(([, h]) => h).map(([k]) => [k, scene.t0]),
  );
  let promotions = 0;
  let detected: number | undefined;
  for (const event of after) {
    if (event.kind === 'crm' && detected === undefined && scene.oldPrimary !== undefined && event.roles[scene.oldPrimary] !== 'Promoted') detected = event.t;
    const wasMaster = event.kind === 'redis' && isMaster(state.views.get(event.node));
    apply(state, event);
    if (event.kind === 'redis' && !wasMaster && isMaster(event.view)) promotions += 1;
    for (const key of Object.keys(conditions) as Array<keyof typeof conditions>) {
      const now = conditions[key](state);
      if (now && !holding[key]) since[key] = event.t;
      holding[key] = now;
    }
  }
  const elapsed = (key: keyof typeof conditions) => (holding[key] && since[key] !== undefined ? since[key]! - scene.t0 : undefined);

  const problems: string[] = [];
  if (primary === undefined) {
    problems.push(masters.length === 0 ? 'no primary among the survivors' : `several primaries: ${masters.join(', ')}`);
  } else {
    for (const n of others) if (!follows(end.views.get(n))) problems.push(describe(n, end.views.get(n)));
    if (!crmSettled(end)) problems.push(sentinel ? `the Sentinels name ${JSON.stringify(end.sentinels)}` : `crm_mon shows ${JSON.stringify(end.roles)}`);
  }
  return {
    primary,
    detectedAfterMs: detected === undefined ? undefined : detected - scene.t0,
    primaryAfterMs: elapsed('isPrimary'),
    crmPromotedAfterMs: elapsed('crmPromoted'),
    linkedAfterMs: elapsed('linked'),
    crmSettledAfterMs: elapsed('crmSettled'),
    promotions,
    problems,
    end: Object.fromEntries(end.views),
    endRoles: end.roles,
  };
}

/** The time the last of the conditions started to hold, for "has it been stable for a while". */
export function settledAt(timeline: FailoverTimeline, t0: number): number | undefined {
  const { primaryAfterMs, crmPromotedAfterMs, linkedAfterMs, crmSettledAfterMs } = timeline;
  const all = [primaryAfterMs, crmPromotedAfterMs, linkedAfterMs, crmSettledAfterMs];
  if (timeline.problems.length > 0 || all.some((ms) => ms === undefined)) return undefined;
  return t0 + Math.max(...(all as number[]));
}

export interface TwoMasters {
  /** Total time during which the watcher saw two or more servers answer role:master. */
  readonly totalMs: number;
  /** The longest such period. */
  readonly longestMs: number;
  /** Each period [from, to] (epoch ms). */
  readonly periods: ReadonlyArray<readonly [number, number]>;
}

/**
 * How long clients could see two primaries between `from` and `to`: what a client that picks any
 * server saying role:master (as writer.py and most Sentinel-less clients do) could have written to.
 */
export function twoMasters(events: readonly ProbeEvent[], from: number, to: number): TwoMasters {
  const views = new Map<string, RedisView>();
  const periods: Array<[number, number]> = [];
  let since: number | undefined;
  const count = () => [...views.values()].filter(isMaster).length;
  for (const event of [...events].sort((a, b) => a.t - b.t)) {
    if (event.kind !== 'redis') continue;
    if (event.t > to) break;
    views.set(event.node, event.view);
    const t = Math.max(event.t, from);
    if (count() >= 2) since ??= t;
    else if (since !== undefined) {
      if (t > since) periods.push([since, t]);
      since = undefined;
    }
  }
  if (since !== undefined && to > since) periods.push([since, to]);
  const lengths = periods.map(([a, b]) => b - a);
  return { totalMs: lengths.reduce((a, b) => a + b, 0), longestMs: Math.max(0, ...lengths), periods };
}
