// Durations the way Pacemaker operators write them: "10s", "500ms", "2min", "1m30s", "1h", or a
// bare number meaning seconds (Pacemaker's own rule for op timeouts).
const UNIT_MS: Record<string, number> = {
  ms: 1, msec: 1,
  s: 1000, sec: 1000, '': 1000,
  m: 60_000, min: 60_000,
  h: 3_600_000, hr: 3_600_000,
};

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLetter = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';

/**
 * Milliseconds, or undefined when the text is not a duration. Read by hand rather than by a
 * regex: every action parses a few durations, and compiling a regex costs a fresh process more
 * than the whole loop.
 */
export function parseDuration(text: string): number | undefined {
  const input = text.trim().toLowerCase();
  if (input === '') return undefined;
  let total = 0;
  let at = 0;
  let parts = 0;
  while (at < input.length) {
    // a number: digits, optionally a fraction
    const start = at;
    while (isDigit(input[at])) at++;
    if (at === start) return undefined;
    if (input[at] === '.' && isDigit(input[at + 1])) {
      at++;
      while (isDigit(input[at])) at++;
    }
    const number = Number(input.slice(start, at));
    while (input[at] === ' ' || input[at] === '\t') at++;
    const unitStart = at;
    while (isLetter(input[at])) at++;
    const unit = input.slice(unitStart, at);
    const ms = Object.hasOwn(UNIT_MS, unit) ? UNIT_MS[unit] : undefined;
    if (ms === undefined) return undefined;
    // a unit-less number is only allowed alone ("30" = 30 s), never inside "1m30"
    if (unit === '' && (parts > 0 || at < input.length)) return undefined;
    total += number * ms;
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
