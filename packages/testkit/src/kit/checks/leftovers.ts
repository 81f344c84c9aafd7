import { describePid } from '../cgroup.ts';
import type { Check } from '../types.ts';

export const leftoverChecks: Check[] = [
  {
    id: 'leftovers',
    title: 'nothing the agent started still runs after the final stop',
    expected: "no process in the run's cgroup (every call of the agent ran in it) and nothing the test names",
    skip: (run) => (typeof run.cgroup === 'string' && !run.options.leftovers ? run.cgroup : undefined),
    async run(run) {
      const found = typeof run.cgroup === 'string' ? [] : run.cgroup.pids().map(describePid);
      found.push(...((await run.options.leftovers?.()) ?? []));
      const how = typeof run.cgroup === 'string' ? `(no cgroup: ${run.cgroup})` : '';
      return { ok: found.length === 0, observed: found.length ? `still running: ${found.join(', ')}` : `nothing ${how}`.trim() };
    },
  },
];
