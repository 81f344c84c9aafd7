import { spawnSync } from 'node:child_process';
import { runOcfTester } from '../../ocf-tester.ts';
import { CLEAN_PATH } from '../../pacemaker-env.ts';
import type { Check } from '../types.ts';

const installed = () => spawnSync('sh', ['-c', 'command -v ocf-tester'], { env: { PATH: CLEAN_PATH } }).status === 0;

export const ocfTesterChecks: Check[] = [
  {
    id: 'ocf-tester',
    title: "resource-agents' ocf-tester passes",
    expected: '"passed all tests" and exit 0 from ocf-tester -n NAME -o key=value... AGENT',
    skip: (run) => (run.options.ocfTester === false ? 'ocf-tester not requested' : installed() ? undefined : 'ocf-tester is not installed (resource-agents)'),
    async run(run) {
      const result = await runOcfTester(run.options.executable, {
        name: `${run.options.instance ?? 'kit-test'}-ocftest`,
        params: run.options.params(),
        env: run.options.env?.(),
        cgroupProcs: typeof run.cgroup === 'string' ? undefined : run.cgroup.procs,
      });
      const ok = result.code === 0 && /passed all tests/.test(result.output);
      const complaints = result.output.split('\n').filter((l) => /^\* rc=|^\* Your agent|failed|error/i.test(l.trim()));
      return { ok, observed: ok ? 'passed all tests' : `exit ${result.code}: ${(complaints.length ? complaints : result.output.trim().split('\n').slice(-3)).join(' | ').slice(0, 600)}` };
    },
  },
];
