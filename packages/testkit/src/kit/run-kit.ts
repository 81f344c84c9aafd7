import { CHECKS } from './checks/index.ts';
import { KitRun } from './kit-run.ts';
import type { Check, CheckResult, KitOptions, KitReport } from './types.ts';

/** Run one check: skipped when it does not apply, failed (never thrown) when it cannot run. */
export async function runCheck(check: Check, run: KitRun): Promise<CheckResult> {
  const base = { id: check.id, title: check.title, expected: check.expected };
  const skip = check.skip?.(run);
  if (skip !== undefined) return { ...base, status: 'skip', observed: skip };
  try {
    const verdict = await check.run(run);
    return { ...base, status: verdict.ok ? 'pass' : 'fail', observed: verdict.observed };
  } catch (error) {
    return { ...base, status: 'fail', observed: `the check could not run: ${(error as Error).message}` };
  }
}

/** Every check against one agent executable; stops the resource and clears what it left at the end. */
export async function runKit(options: KitOptions, onResult?: (result: CheckResult) => void): Promise<KitReport> {
  const run = new KitRun(options);
  const checks: CheckResult[] = [];
  try {
    await run.prepare();
    for (const check of CHECKS) {
      const result = await runCheck(check, run);
      checks.push(result);
      onResult?.(result);
    }
  } finally {
    await run.finish();
  }
  const summary = { pass: 0, fail: 0, skip: 0 };
  for (const c of checks) summary[c.status]++;
  return { agent: options.executable, checks, summary };
}
