/** Whether something a test needs (root, a program, the cluster lab) is here, and if not, why. */
export interface Availability {
  ok: boolean;
  why?: string;
}

/** CI=true (or any value but "" / "false" / "0"), as .ci/run and CI services set it. */
export function inCI(): boolean {
  const value = process.env.CI ?? '';
  return value !== '' && value !== 'false' && value !== '0';
}

/**
 * For `describe.skipIf(unavailable(x, 'the cluster lab'))`. On a developer's machine that lacks
 * WHAT, true: the tests are skipped (put `x.why` in the title). Under CI it throws instead, which
 * fails the test file with the reason: a CI run must never go green having run none of the tests
 * that need root, a real program or the lab.
 */
export function unavailable(available: Availability, what: string): boolean {
  if (available.ok) return false;
  if (inCI()) throw new Error(`${what} is needed under CI and is not available: ${available.why ?? 'no reason given'}`);
  return true;
}

/** Root: to switch users, chown, bind low ports, or make namespaces. */
export function asRoot(): Availability {
  return process.getuid?.() === 0 ? { ok: true } : { ok: false, why: 'needs root' };
}
