import type { CallRecord } from '../kit-run.ts';
import { describeResult } from '../kit-run.ts';
import type { Check } from '../types.ts';

// Rules every call must keep, judged over all the calls the other checks made.

/** stdout is for meta-data only (and usage); Pacemaker does not read it from any other action. */
const TALKATIVE = new Set(['meta-data', 'usage', 'help', 'methods']);
/** What monitor may answer without failing. */
const MONITOR_QUIET = new Set([0, 7, 8, 190, 191]);

const failed = (c: CallRecord) => c.result.signal === null && c.result.code !== 0 && !(c.action === 'monitor' && MONITOR_QUIET.has(c.result.code ?? -1));
const excerpt = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);

export const disciplineChecks: Check[] = [
  {
    id: 'stdout',
    title: 'nothing but meta-data writes to stdout',
    expected: 'an empty stdout from every action except meta-data (logs go to stderr)',
    async run(run) {
      const noisy = run.calls.filter((c) => !c.exempt && !TALKATIVE.has(c.action) && c.result.stdout !== '');
      return {
        ok: noisy.length === 0,
        observed: noisy.length ? noisy.map((c) => `${c.label} wrote ${excerpt(c.result.stdout)}`).join('; ') : `${run.calls.length} calls, stdout empty outside meta-data`,
      };
    },
  },
  {
    id: 'exit-reasons',
    title: 'every failure carries an exit reason',
    expected: 'an ocf-exit-reason: line on stderr from every action that failed (Pacemaker shows it in crm_mon and pcs status)',
    skip: (run) => (run.calls.some((c) => !c.exempt && failed(c)) ? undefined : 'no action failed, so there was no reason to check (declare a required parameter or give --never-starts)'),
    async run(run) {
      const failures = run.calls.filter((c) => !c.exempt && failed(c));
      const silent = failures.filter((c) => !c.result.reason);
      return {
        ok: silent.length === 0,
        observed: silent.length ? silent.map((c) => `${c.label}: ${describeResult(c.result)} without a reason`).join('; ') : `${failures.length} failures, each with a reason`,
      };
    },
  },
  {
    id: 'within-budget',
    title: 'every action ends before its CRM_meta_timeout',
    expected: 'no call killed when its budget ran out (Pacemaker SIGKILLs it: no reason, no clean-up)',
    async run(run) {
      const killed = run.calls.filter((c) => c.result.signal !== null);
      return { ok: killed.length === 0, observed: killed.length ? killed.map((c) => `${c.label}: killed after ${c.result.wallMs} ms (budget ${c.budgetMs} ms)`).join('; ') : `${run.calls.length} calls, none killed` };
    },
  },
];
