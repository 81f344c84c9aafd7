import { splitWords } from '@ocfkit/runtime';

// Which parts of http-service's parameters are secret, for the runtime to mask in exit reasons
// and logs (params.ts declares them with `secret:`). Operators put credentials in a probe's
// headers (the documented "Authorization: Bearer ...") and in the service's environment
// (API_TOKEN=..., DATABASE_URL=postgres://user:pass@...), so those values are masked, all of them
// except what cannot be a credential: masking a port number would make every reason that names
// the probe URL unreadable.

/** Headers that carry no credential: their values stay readable (a Host header names the probe's target). */
const PLAIN_HEADERS = new Set(['host', 'accept', 'accept-encoding', 'accept-language', 'user-agent', 'content-type', 'cache-control', 'connection', 'pragma']);

/** Too short, a small number (a port, a count) or a yes/no word: never a credential, often elsewhere in a reason. */
function couldBeCredential(value: string): boolean {
  return value.length >= 4 && !/^\d{1,5}$/.test(value) && !/^(yes|no|true|false|on|off)$/i.test(value);
}

/**
 * Each header's value. A piece without a colon after a header may be the rest of its value (one
 * that held a `|`, the separator), so it is secret whole.
 */
export function headerSecrets(raw: string): string[] {
  const parts: string[] = [];
  let afterHeader = false;
  for (const piece of raw.split('|')) {
    const colon = piece.indexOf(':');
    const name = colon > 0 ? piece.slice(0, colon).trim().toLowerCase() : undefined;
    const value = colon > 0 ? piece.slice(colon + 1).trim() : piece.trim();
    const secret = name === undefined ? afterHeader : !PLAIN_HEADERS.has(name);
    if (name !== undefined) afterHeader = true;
    if (secret && couldBeCredential(value)) parts.push(value);
  }
  return parts;
}

/**
 * Each KEY=VALUE word's value, and a word that is not KEY=VALUE after one (the rest of a value
 * whose blank was not quoted). Unbalanced quotes: undefined, the whole parameter is secret.
 */
export function environmentSecrets(raw: string): string[] | undefined {
  const words = splitWords(raw);
  if (words === undefined) return undefined;
  const parts: string[] = [];
  let afterValue = false;
  for (const word of words) {
    const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
    const value = assignment ? word.slice(word.indexOf('=') + 1) : word;
    if ((assignment || afterValue) && couldBeCredential(value)) parts.push(value);
    afterValue ||= assignment;
  }
  return parts;
}

/** The password (or the token given as user name) of a URL with credentials, as written and decoded. */
export function urlSecrets(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return []; // not a URL: nothing to find, and the runtime masks any scheme://user:pass@ anyway
  }
  const secret = url.password || url.username;
  if (secret === '') return [];
  const decoded = (() => {
    try {
      return decodeURIComponent(secret);
    } catch {
      return secret;
    }
  })();
  return [secret, decoded];
}
