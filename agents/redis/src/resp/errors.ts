import type { ConversationErrorCode } from '@ocfkit/runtime';

// Every failure of a Redis conversation has a stable `code` (callers branch on it, never on message
// text) and a message an operator can act on. Messages name the endpoint and the command, never a
// command's arguments: those may be passwords.

/** The connection's codes (the runtime's, as every agent's), and what is Redis's own. */
export type RedisErrorCode =
  | ConversationErrorCode
  /** What came back is not RESP: another service on that port, or a corrupt stream. */
  | 'REDIS_PROTOCOL'
  /** The server wants a password and none was sent. */
  | 'REDIS_NOAUTH'
  /** Wrong password, unknown or disabled ACL user. */
  | 'REDIS_WRONGPASS'
  /** A password was sent to a server that has none configured. */
  | 'REDIS_AUTH_NOT_REQUIRED'
  /** The ACL user may not run this command. */
  | 'REDIS_NOPERM'
  /** The server is loading its dataset and answers only a few commands (INFO among them). */
  | 'REDIS_LOADING'
  /** A script or module command is running; only SCRIPT KILL / SHUTDOWN NOSAVE are served. */
  | 'REDIS_BUSY'
  /** replica-serve-stale-data no and the link to the primary is down. */
  | 'REDIS_MASTERDOWN'
  /** A write on a read-only replica. */
  | 'REDIS_READONLY'
  /** The last RDB save failed and stop-writes-on-bgsave-error is on. */
  | 'REDIS_MISCONF'
  /** Protected mode refused a non-loopback client without a password. */
  | 'REDIS_DENIED'
  /** maxclients reached: the server refuses new connections. */
  | 'REDIS_MAXCLIENTS'
  /** Unknown command: renamed or disabled with rename-command, or too old a server. */
  | 'REDIS_UNKNOWN_COMMAND'
  /** Any other error reply. */
  | 'REDIS_ERR';

export class RedisError extends Error {
  override readonly name = 'RedisError';
  constructor(
    readonly code: RedisErrorCode,
    message: string,
    options?: {
      cause?: unknown;
      /** The server's own error text (secrets removed), for error replies. */
      serverMessage?: string;
    },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.serverMessage = options?.serverMessage;
  }
  readonly serverMessage?: string;
}

/** An error element nested in an array reply (EXEC, pipelines): a value, not a rejection. */
export class ReplyError {
  constructor(readonly message: string) {}
}

/** True when the failure means "no server there": the caller may report "not running". */
export function isNotListening(error: unknown): boolean {
  return error instanceof RedisError && (error.code === 'CONNECT_REFUSED' || error.code === 'SOCKET_MISSING');
}

const PREFIX_CODES: Record<string, RedisErrorCode> = {
  NOAUTH: 'REDIS_NOAUTH',
  WRONGPASS: 'REDIS_WRONGPASS',
  NOPERM: 'REDIS_NOPERM',
  LOADING: 'REDIS_LOADING',
  BUSY: 'REDIS_BUSY',
  MASTERDOWN: 'REDIS_MASTERDOWN',
  READONLY: 'REDIS_READONLY',
  MISCONF: 'REDIS_MISCONF',
  DENIED: 'REDIS_DENIED',
};

/** The code of an error reply, from its first word and, for plain ERR, its well-known texts. */
export function serverErrorCode(text: string): RedisErrorCode {
  const prefix = text.slice(0, text.search(/\s|$/));
  const known = PREFIX_CODES[prefix];
  if (known) return known;
  // Redis 6+: "ERR AUTH <password> called without any password configured..."; before 6:
  // "ERR Client sent AUTH, but no password is set"
  if (/^ERR (AUTH .*without any password configured|Client sent AUTH, but no password is set)/.test(text)) {
    return 'REDIS_AUTH_NOT_REQUIRED';
  }
  // Redis before 6 answered a wrong password with a plain ERR
  if (/^ERR invalid password/.test(text)) return 'REDIS_WRONGPASS';
  if (/^ERR max number of clients reached/.test(text)) return 'REDIS_MAXCLIENTS';
  if (/^ERR unknown (sub)?command/.test(text)) return 'REDIS_UNKNOWN_COMMAND';
  return 'REDIS_ERR';
}

/** Replace every secret in a server text: an unknown-command error echoes its arguments. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== '') out = out.split(secret).join('(hidden)');
  }
  return out;
}
