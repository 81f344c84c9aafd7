/**
 * POSIX getopt(3) as glibc does it, for tools that must take the same command lines as the C
 * originals: clustered flags (`-ni 10.0.0.5`), attached values (`-p3100`), `--` ends the
 * options, and operands anywhere are skipped over (glibc permutes them to the end).
 */
export type GetoptResult =
  | { ok: true; options: Array<{ name: string; value?: string }>; operands: string[] }
  | { ok: false; message: string };

/** `spec` as getopt's optstring: "ni:p:s:" (a letter followed by ':' takes a value). */
export function getopt(argv: readonly string[], spec: string, program: string): GetoptResult {
  const options: Array<{ name: string; value?: string }> = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const name = arg[j]!;
      const at = name === ':' ? -1 : spec.indexOf(name);
      if (at < 0) return { ok: false, message: `${program}: invalid option -- '${name}'` };
      if (spec[at + 1] !== ':') {
        options.push({ name });
        continue;
      }
      // the value is the rest of this word, or the next word whatever it looks like
      let value = arg.slice(j + 1);
      if (value === '') {
        if (i + 1 >= argv.length) return { ok: false, message: `${program}: option requires an argument -- '${name}'` };
        value = argv[++i]!;
      }
      options.push({ name, value });
      break;
    }
  }
  return { ok: true, options, operands };
}

/**
 * C's atoi: leading blanks, a sign, digits up to the first non-digit; no digits is 0. The value
 * wraps to 32 bits like glibc's (int)strtol, so "3100x" is 3100 and "abc" is 0, as ha_monitor reads them.
 */
export function atoi(text: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(text);
  const digits = match?.[2] ?? '';
  if (digits === '') return 0;
  let value = BigInt(digits);
  if (match?.[1] === '-') value = -value;
  const LONG_MAX = 2n ** 63n - 1n;
  if (value > LONG_MAX) value = LONG_MAX;
  if (value < -LONG_MAX - 1n) value = -LONG_MAX - 1n;
  return Number(BigInt.asIntN(32, value));
}
