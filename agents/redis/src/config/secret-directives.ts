// The redis.conf directives that hold credentials, and the secret words of a line. The agent
// registers them (ctx.secret) so the runtime masks them wherever they would be shown: a line
// redis-server refuses is quoted in its FATAL CONFIG FILE ERROR (">>> 'user alice on >pw ~* +@all
// nosuchrule'"), and start quotes that in its exit reason.

/**
 * Which words of a directive are secret (indexes into its arguments), or, for ACL rules, how.
 * - requirepass, masterauth: passwords; tls-key-file-pass, tls-client-key-file-pass: passphrases
 *   of the private keys;
 * - user NAME RULE...: `>pass` and `<pass` (add, remove a password), `#hash` and `!hash` (the
 *   same by SHA-256, which is as good as the password against offline guessing);
 * - rename-command CMD NEWNAME: a command renamed to an unguessable name is how operators keep
 *   CONFIG and FLUSHALL from anyone without it, so the new name is a credential too;
 * - sentinel auth-pass MASTER PASS, sentinel sentinel-pass PASS (a sentinel's own file).
 */
const SECRET_ARGS: Record<string, (args: readonly string[]) => number[]> = {
  requirepass: (args) => args.map((_, i) => i),
  masterauth: (args) => args.map((_, i) => i),
  'tls-key-file-pass': (args) => args.map((_, i) => i),
  'tls-client-key-file-pass': (args) => args.map((_, i) => i),
  'rename-command': (args) => (args.length >= 2 ? [1] : []),
  sentinel: (args) => {
    const what = args[0]?.toLowerCase();
    if (what === 'auth-pass') return args.length >= 3 ? [2] : [];
    if (what === 'sentinel-pass') return args.length >= 2 ? [1] : [];
    return [];
  },
};

/** ACL rule prefixes that carry a password or its hash. */
const ACL_SECRET_RULE = /^[><#!]/;

export function holdsSecrets(name: string): boolean {
  return name === 'user' || name in SECRET_ARGS;
}

/**
 * Where each word of a line starts and ends as written, with its quotes, the way sdssplitargs cuts
 * it: a word ends at a blank, or right after the quote that closes it (`"..."` with backslash
 * escapes, `'...'` with `\'`). A line this does not cut as Redis does was refused before.
 */
export function rawWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const start = i;
    let quote: string | undefined;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') {
          i++;
          break;
        }
      } else if (quote === "'") {
        if (c === '\\' && line[i + 1] === "'") i++;
        else if (c === "'") {
          i++;
          break;
        }
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') break;
      else if (c === '"' || c === "'") quote = c;
    }
    words.push(line.slice(start, i));
  }
  return words;
}

/**
 * The secret strings of one directive: each secret argument as Redis reads it, and as written in
 * the file (quotes, `\x` escapes), which is how redis-server quotes a line it refuses. `line` is
 * the line's text as read (one char per byte), `args` its words after the name.
 */
export function directiveSecrets(name: string, args: readonly string[], line: string): string[] {
  const indexes = name === 'user' ? args.map((arg, i) => (i > 0 && ACL_SECRET_RULE.test(arg) ? i : -1)).filter((i) => i >= 0) : SECRET_ARGS[name]?.(args) ?? [];
  if (indexes.length === 0) return [];
  const written = rawWords(line).slice(1);
  const secrets: string[] = [];
  for (const i of indexes) {
    const rule = name === 'user';
    const arg = args[i]!;
    // nothing to hide (`rename-command FLUSHALL ""` disables it), and '""' must not mask every pair of quotes
    if ((rule ? arg.slice(1) : arg) === '') continue;
    secrets.push(rule ? arg.slice(1) : arg);
    const raw = written[i];
    if (raw === undefined) continue;
    const text = Buffer.from(raw, 'latin1').toString('utf8');
    // `>"p w"`: the rule's sign stays readable, what follows it is the secret
    secrets.push(rule && text[0] === arg[0] ? text.slice(1) : text);
  }
  return secrets.filter((s) => s !== '');
}
