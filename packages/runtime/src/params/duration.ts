// Durations the way Pacemaker operators write them: "10s", "500ms", "2min", "1m30s", "1h", or a
// bare number meaning seconds (Pacemaker's own rule for op timeouts).
const UNIT_MS: Record<string, number> = {
  ms: 1, msec: 1,
  s: 1000, sec: 1000, '': 1000,
  m: 60_000, min: 60_000,
  h: 3_600_000, hr: 3_600_000,
};

const PART = /(\d+(?:\.\d+)?)\s*(ms|msec|sec|s|min|m|hr|h)?/gy;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const input = text.trim().toLowerCase();
  if (input === '') return undefined;
  let total = 0;
  let at = 0;
  let parts = 0;
  while (at < input.length) {
    PART.lastIndex = at;
    const match = PART.exec(input);
    if (!match || match[0] === '') return undefined;
    const unit = match[2] ?? '';
    // a unit-less number is only allowed alone ("30" = 30 s), never inside "1m30"
    if (unit === '' && (parts > 0 || PART.lastIndex < input.length)) return undefined;
    total += Number(match[1]) * (UNIT_MS[unit] ?? 1000);
    at = PART.lastIndex;
    while (input[at] === ' ') at++;
    parts++;
  }
  return Math.round(total);
}

/** "1.5s", "250ms", "2m": for reasons and logs. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  return `${Number((ms / 60_000).toFixed(1))}m`;
}
