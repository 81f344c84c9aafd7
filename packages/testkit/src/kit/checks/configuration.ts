import type { ExecutableResult } from '../../run-executable.ts';
import { describeResult, type KitRun } from '../kit-run.ts';
import type { Check, Verdict } from '../types.ts';

// A required parameter left out (the ocf-rarun policy): validate-all says what is wrong, stop and
// probes report "nothing runs here" (nothing can run without it), a recurring monitor fails loudly.

const noRequired = (run: KitRun) => (run.required().length === 0 ? 'the metadata declares no required parameter' : undefined);

function withoutEach(run: KitRun, action: string, extra: { meta?: Record<string, number> }, judge: (r: ExecutableResult, name: string) => boolean): Promise<Verdict> {
  return (async () => {
    const observed: string[] = [];
    let ok = true;
    for (const name of run.required()) {
      const params = { ...run.options.params(), [name]: undefined };
      const result = await run.call(action, { label: `${action} without ${name}`, params, ...extra });
      const good = judge(result, name);
      ok &&= good;
      observed.push(`without ${name}: ${describeResult(result)}`);
    }
    return { ok, observed: observed.join('; ') };
  })();
}

export const configurationChecks: Check[] = [
  {
    id: 'missing-required-validate',
    title: 'validate-all without a required parameter: 6, naming it',
    expected: 'exit 6 (OCF_ERR_CONFIGURED) with an exit reason that names the parameter, for each required parameter',
    skip: (run) => noRequired(run) ?? (run.advertises('validate-all') ? undefined : 'validate-all is not advertised'),
    run: (run) => withoutEach(run, 'validate-all', {}, (r, name) => r.code === 6 && (r.reason ?? '').includes(name)),
  },
  {
    id: 'missing-required-stop',
    title: 'stop without a required parameter: 0',
    expected: 'exit 0: nothing can run without it, and a failed stop gets the node fenced',
    skip: noRequired,
    run: (run) => withoutEach(run, 'stop', {}, (r) => r.code === 0),
  },
  {
    id: 'missing-required-probe',
    title: 'probe without a required parameter: 7',
    expected: 'exit 7 (OCF_NOT_RUNNING): a probe answers truthfully, nothing runs',
    skip: noRequired,
    run: (run) => withoutEach(run, 'monitor', {}, (r) => r.code === 7),
  },
  {
    id: 'missing-required-monitor',
    title: 'recurring monitor without a required parameter: 1, naming it',
    expected: 'exit 1 (OCF_ERR_GENERIC) with an exit reason that names the parameter',
    skip: noRequired,
    run: (run) => withoutEach(run, 'monitor', { meta: { interval: 10000 } }, (r, name) => r.code === 1 && (r.reason ?? '').includes(name)),
  },
];
