// The secrets of one call, and the masking every output point applies: the exit reason, each log
// line (every sink), the trace file. Exit reasons are copied into the CIB, crm_mon and crm_report
// bundles, so masking happens where text leaves the agent, not in each message an action writes.

/** What a secret is replaced with. */
export const MASK = '***';

/**
 * `scheme://user:password@` and `scheme://token@`: the userinfo of any URL, wherever it comes
 * from (a parameter, a service's log line, a library's error). Greedy up to the authority's last
 * `@`, as URL parsers split it, so a password holding a raw `@` is masked whole.
 */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*(?:@[^\s/?#@]*)*)@/gi;

export function maskUserinfo(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(USERINFO, (_all, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    // a user name alone is often the token itself (https://TOKEN@host)
    return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:${MASK}` : MASK}@`;
  });
}

export interface Secrets {
  /** Register a secret (ignored when empty or blank); returns it, so `const pw = secrets.add(read())` reads. */
  add(value: string | undefined): string | undefined;
  /**
   * Register the secrets `source` gives, read on the first `mask`: a monitor with nothing to say
   * never pays for them (monitor is the hot path).
   */
  addLater(source: () => Iterable<string>): void;
  /** `text` with every registered secret and every URL's userinfo replaced by `***`. */
  mask(text: string): string;
}

/**
 * The forms a secret takes in our output: as is, trimmed, inside a JSON string (log fields are
 * rendered as JSON when they hold blanks or quotes) and percent-encoded (inside a URL).
 */
function forms(value: string): string[] {
  const all = [value, value.trim(), JSON.stringify(value).slice(1, -1)];
  try {
    all.push(encodeURIComponent(value));
  } catch {
    // a lone surrogate has no percent-encoded form, so no URL of ours holds it that way
  }
  return all.filter((form) => form !== '');
}

export function createSecrets(): Secrets {
  const known = new Set<string>();
  let longestFirst: string[] | undefined = [];
  const pending: Array<() => Iterable<string>> = [];
  const add = (value: string | undefined) => {
    if (value === undefined || value.trim() === '') return value; // blanks alone would mask every gap
    for (const form of forms(value)) {
      if (!known.has(form)) {
        known.add(form);
        longestFirst = undefined;
      }
    }
    return value;
  };
  return {
    add,
    addLater: (source) => void pending.push(source),
    mask(text) {
      for (let source = pending.shift(); source; source = pending.shift()) for (const value of source()) add(value);
      // longest first: a secret that contains another is masked whole, not around the shorter one
      longestFirst ??= [...known].sort((a, b) => b.length - a.length);
      let out = text;
      for (const secret of longestFirst) if (out.includes(secret)) out = out.split(secret).join(MASK);
      return maskUserinfo(out);
    },
  };
}
