import { describeResult } from '../kit-run.ts';
import type { Check } from '../types.ts';

export const callingChecks: Check[] = [
  {
    id: 'unknown-action',
    title: 'an unknown action is answered with 3 (OCF_ERR_UNIMPLEMENTED)',
    expected: 'exit 3: Pacemaker reads it as "this agent does not do that", not as a failure of the resource',
    async run(run) {
      // printing usage here is the convention, so this call is exempt from the stdout and reason checks
      const result = await run.call('frobnicate', { label: 'unknown action frobnicate', exempt: true });
      return { ok: result.code === 3, observed: describeResult(result) };
    },
  },
];
