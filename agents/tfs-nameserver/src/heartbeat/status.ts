/**
 * What a NameServer reports about itself in a heartbeat reply. The same on master and slave:
 * the role is not part of the answer.
 */
export const NS_STATUS = {
  NONE: -1,
  UNINITIALIZED: 0,
  INITIALIZED: 1,
} as const;

const NAMES = new Map<number, string>([
  [NS_STATUS.NONE, 'none'],
  [NS_STATUS.UNINITIALIZED, 'uninitialised'],
  [NS_STATUS.INITIALIZED, 'initialised'],
]);

/** "1 (initialised)": for reasons and log lines. */
export function describeStatus(status: number): string {
  const name = NAMES.get(status);
  return name === undefined ? String(status) : `${status} (${name})`;
}
