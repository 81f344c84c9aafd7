import { describeResult } from '../kit-run.ts';
import type { Check } from '../types.ts';

// Pacemaker SIGKILLs an agent when CRM_meta_timeout runs out (no SIGTERM first): a killed agent
// logs nothing, sets no exit reason and leaves its children. An agent must give up on its own.

/** A short budget by default, so that an agent waiting for its whole budget shows it within seconds. */
const BUDGET_MS = 4000;

export const deadlineChecks: Check[] = [
  {
    id: 'deadline',
    title: 'a start that cannot succeed fails on its own, with a reason, before CRM_meta_timeout',
    expected: `with a short CRM_meta_timeout (${BUDGET_MS} ms unless set): a failure exit (not 0, not killed) before it runs out, an exit reason that says what went wrong, then stop 0`,
    skip: (run) => (run.options.neverStarts ? undefined : 'no parameters under which start cannot succeed (--never-starts key=value)'),
    async run(run) {
      const never = run.options.neverStarts!;
      const params = never.params();
      const result = await run.call('start', { label: 'start that cannot succeed', params, timeoutMs: never.budgetMs ?? BUDGET_MS });
      const stop = await run.call('stop', { label: 'stop after the failed start', params });
      const problems: string[] = [];
      if (result.signal) problems.push(`killed at the budget (${result.wallMs} ms)`);
      else if (result.code === 0 || result.code === 7) problems.push(`start said ${describeResult(result)}`);
      if (!result.signal && !result.reason) problems.push('no exit reason');
      if (result.reason && never.reason && !never.reason.test(result.reason)) problems.push(`reason "${result.reason}" does not match ${never.reason}`);
      if (stop.code !== 0) problems.push(`stop afterwards: ${describeResult(stop)}`);
      const observed = `${describeResult(result)} after ${result.wallMs} ms; stop: ${describeResult(stop)}`;
      return { ok: problems.length === 0, observed: problems.length ? `${problems.join('; ')} (${observed})` : observed };
    },
  },
];
