import { splitList } from '@ocfkit/runtime';

// Who is primary, per Pacemaker itself: with notify=true, Pacemaker passes the transition's notify
// lists to notify actions and also to start, promote and demote (observed on 2.1.5). Lists use
// the OCF 1.1 names, with the legacy master/slave ones as fallback.

type Env = Readonly<Record<string, string | undefined>>;

const META = 'OCF_RESKEY_CRM_meta_notify_';

function list(env: Env, name: string, legacy?: string): string[] {
  const raw = env[`${META}${name}_uname`] ?? (legacy ? env[`${META}${legacy}_uname`] : undefined);
  return splitList(raw);
}

export interface Transition {
  /** Promoted before the transition. */
  readonly promoted: readonly string[];
  readonly promote: readonly string[];
  readonly demote: readonly string[];
  readonly stop: readonly string[];
  readonly start: readonly string[];
  readonly active: readonly string[];
  readonly unpromoted: readonly string[];
}

/** The transition's lists, or undefined when Pacemaker sent none (notify=false, a run by hand). */
export function readTransition(env: Env): Transition | undefined {
  if (env[`${META}promoted_uname`] === undefined && env[`${META}master_uname`] === undefined) return undefined;
  return {
    promoted: list(env, 'promoted', 'master'),
    promote: list(env, 'promote'),
    demote: list(env, 'demote'),
    stop: list(env, 'stop'),
    start: list(env, 'start'),
    active: list(env, 'active'),
    unpromoted: list(env, 'unpromoted', 'slave'),
  };
}

/**
 * The primary replicas should follow at this point of the transition: one promoted before it and
 * neither demoted nor stopped in it; after the promotion (post-promote), the newly promoted one.
 */
export function primaryNow(t: Transition, promotionDone: boolean): string | undefined {
  const leaving = new Set([...t.demote, ...t.stop]);
  const staying = t.promoted.filter((node) => !leaving.has(node));
  const candidates = promotionDone ? [...t.promote, ...staying] : staying;
  return candidates[0];
}
