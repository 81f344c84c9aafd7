// The test kit's rule (packages/testkit/src/availability.ts), repeated here because the test kit
// depends on the runtime: the runtime's tests importing it would make the two packages a cycle in
// nx's graph. Keep the two the same.

/** Whether something a test needs (root, a program) is here, and if not, why. */
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
 * For `it.skipIf(unavailable(asRoot(), 'root'))`: skipped on a developer's machine that lacks
 * WHAT, a thrown error (the test file fails with the reason) under CI, which must never go green
 * having skipped tests that need root or a program.
 */
export function unavailable(available: Availability, what: string): boolean {
  if (available.ok) return false;
  if (inCI()) throw new Error(`${what} is needed under CI and is not available: ${available.why ?? 'no reason given'}`);
  return true;
}

/** Root: to switch users, chown, or read another user's /proc entries. */
export function asRoot(): Availability {
  return process.getuid?.() === 0 ? { ok: true } : { ok: false, why: 'needs root' };
}
