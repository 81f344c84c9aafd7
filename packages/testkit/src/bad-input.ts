import { expect } from 'vitest';
import type { ExecutableResult } from './run-executable.ts';

/**
 * An agent's answer to input it cannot use: an exit code of its own (no signal: it was not killed
 * at the deadline), in time, and no crash (no stack trace on stderr, no "crashed" reason).
 */
export function expectAnswered(result: ExecutableResult, budgetMs = 20_000): ExecutableResult {
  expect(result.signal).toBeNull();
  expect(result.wallMs).toBeLessThan(budgetMs);
  expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(result.reason ?? '').not.toMatch(/crashed|unexpectedly/);
  return result;
}

/**
 * A malformed parameter value, as ocf-rarun's policy wants it answered: validate-all and start
 * refuse it with 6 and `reason` (which names the parameter), a probe says 7 (nothing can run with
 * it) and stop 0, and nothing is left running. `run` calls one action with that value set.
 */
export async function expectMalformedRefused(run: (action: string) => Promise<ExecutableResult>, reason: string, leftovers: () => readonly unknown[]): Promise<void> {
  for (const action of ['validate-all', 'start']) {
    const result = expectAnswered(await run(action));
    expect([result.code, result.reason], action).toEqual([6, reason]);
  }
  expect(expectAnswered(await run('monitor')).code, 'probe').toBe(7);
  expect(expectAnswered(await run('stop')).code, 'stop').toBe(0);
  expect(leftovers()).toEqual([]);
}
