/** The exit reason an action printed: the last `ocf-exit-reason:` line wins, as in Pacemaker. */
export function exitReason(stderr: string, prefix = 'ocf-exit-reason:'): string | undefined {
  const lines = stderr.split('\n').filter((line) => line.startsWith(prefix));
  return lines.length ? lines[lines.length - 1]!.slice(prefix.length) : undefined;
}
