import { ocfCodeName } from '@ocfkit/runtime';
import { describeResult, stderrTail, type KitCallOptions, type KitRun } from '../kit-run.ts';
import type { Check } from '../types.ts';

// The lifecycle Pacemaker drives, in order, against one instance: probes, idempotent start and
// stop, monitors, and whatever optional actions the metadata advertises.

interface Step {
  id: string;
  title: string;
  action: string;
  codes: number[];
  why: string;
  extra?: (run: KitRun) => KitCallOptions;
  skip?: (run: KitRun) => string | undefined;
}

const recurring = { meta: { interval: 10000 } };
const expectedCodes = (codes: number[]) => codes.map((c) => `${c} (${ocfCodeName(c)})`).join(' or ');

function step(s: Step): Check {
  return {
    id: s.id,
    title: s.title,
    expected: `exit ${expectedCodes(s.codes)}: ${s.why}`,
    skip: s.skip,
    async run(run) {
      const result = await run.call(s.action, { label: s.title, ...s.extra?.(run) });
      const ok = result.signal === null && s.codes.includes(result.code ?? -1);
      const tail = ok || result.reason ? '' : stderrTail(result);
      return { ok, observed: tail ? `${describeResult(result)}; stderr: ${tail}` : describeResult(result) };
    },
  };
}

const unlessPromotable = (run: KitRun) => (run.options.promotable ? undefined : 'not run as a promotable clone (--promotable)');
const unlessAdvertised = (action: string) => (run: KitRun) => (run.advertises(action) ? undefined : `${action} is not advertised`);

/** CRM_meta_* of a pre-start notification to a clone instance, empty lists as Pacemaker sends them (" "). */
function notifyMeta(run: KitRun): KitCallOptions {
  const instance = `${run.options.instance ?? 'kit-test'}:0`;
  const empty = ' ';
  const meta: Record<string, string | number | boolean> = { clone: 0, clone_max: 1, clone_node_max: 1, globally_unique: false, notify: true, notify_type: 'pre', notify_operation: 'start' };
  for (const list of ['start', 'stop', 'promote', 'demote', 'active', 'inactive', 'promoted', 'unpromoted', 'master', 'slave']) {
    meta[`notify_${list}_resource`] = list === 'start' || list === 'active' ? instance : empty;
    meta[`notify_${list}_uname`] = list === 'start' || list === 'active' ? 'node1' : empty;
  }
  meta.notify_all_uname = 'node1';
  meta.notify_available_uname = 'node1';
  return { meta, label: 'notify (pre-start)' };
}

export const lifecycleChecks: Check[] = [
  step({ id: 'probe-stopped', title: 'probe of a stopped resource: 7', action: 'monitor', codes: [7], why: 'a probe that says "running" makes Pacemaker stop the resource everywhere' }),
  step({
    id: 'probe-binaries-missing',
    title: 'probe with binaries "missing": 7 or 5',
    action: 'monitor',
    codes: [7, 5],
    why: 'a probe must answer on a node without the software (OCF_TESTER_FAIL_HAVE_BINARY=1)',
    extra: () => ({ env: { OCF_TESTER_FAIL_HAVE_BINARY: '1' } }),
  }),
  step({ id: 'monitor-stopped', title: 'recurring monitor of a stopped resource: 7', action: 'monitor', codes: [7], why: 'monitor must tell cleanly stopped from failed', extra: () => recurring }),
  step({ id: 'stop-stopped', title: 'stop of a stopped resource: 0', action: 'stop', codes: [0], why: 'stop must succeed when already stopped, or the node gets fenced' }),
  step({ id: 'validate-all', title: 'validate-all of a working configuration: 0', action: 'validate-all', codes: [0], why: 'the configuration given works on this node', skip: unlessAdvertised('validate-all') }),
  step({ id: 'start', title: 'start: 0', action: 'start', codes: [0], why: 'start returns once monitor would succeed' }),
  step({ id: 'start-again', title: 'start of a running resource: 0', action: 'start', codes: [0], why: 'start must succeed when already running' }),
  step({ id: 'monitor-running', title: 'recurring monitor of the running resource: 0', action: 'monitor', codes: [0], why: 'start does not return before monitor succeeds', extra: () => recurring }),
  step({ id: 'probe-running', title: 'probe of the running resource: 0', action: 'monitor', codes: [0], why: 'a probe finds a resource that runs' }),
  step({ id: 'notify', title: 'notify: 0', action: 'notify', codes: [0], why: 'notify must never fail', skip: unlessAdvertised('notify'), extra: notifyMeta }),
  step({ id: 'reload', title: 'reload of the running resource: 0', action: 'reload', codes: [0], why: 'advertised, so Pacemaker may call it', skip: unlessAdvertised('reload') }),
  step({ id: 'reload-agent', title: 'reload-agent of the running resource: 0', action: 'reload-agent', codes: [0], why: 'advertised (OCF 1.1), so Pacemaker calls it when a reloadable parameter changes', skip: unlessAdvertised('reload-agent') }),
  step({ id: 'promote', title: 'promote: 0', action: 'promote', codes: [0], why: 'a promotable clone instance starts unpromoted and can be promoted', skip: unlessPromotable }),
  step({ id: 'monitor-promoted', title: 'monitor of the promoted instance: 8', action: 'monitor', codes: [8], why: 'OCF_RUNNING_PROMOTED tells Pacemaker where the promoted instance is', skip: unlessPromotable, extra: () => ({ meta: { interval: 9000, role: 'Promoted' } }) }),
  step({ id: 'promote-again', title: 'promote of a promoted instance: 0', action: 'promote', codes: [0], why: 'promote is idempotent', skip: unlessPromotable }),
  step({ id: 'demote', title: 'demote: 0', action: 'demote', codes: [0], why: 'a promoted instance can be demoted', skip: unlessPromotable }),
  step({ id: 'monitor-demoted', title: 'monitor after demote: 0', action: 'monitor', codes: [0], why: 'a demoted instance runs unpromoted', skip: unlessPromotable, extra: () => recurring }),
  step({ id: 'demote-again', title: 'demote of an unpromoted instance: 0', action: 'demote', codes: [0], why: 'demote is idempotent', skip: unlessPromotable }),
  step({ id: 'stop', title: 'stop: 0', action: 'stop', codes: [0], why: 'a failed stop gets the node fenced' }),
  step({ id: 'stop-again', title: 'stop of a stopped resource (after running): 0', action: 'stop', codes: [0], why: 'stop must succeed when already stopped' }),
  step({ id: 'probe-after-stop', title: 'probe after stop: 7', action: 'monitor', codes: [7], why: 'stop really stopped it' }),
];
