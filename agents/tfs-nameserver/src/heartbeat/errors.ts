/**
 * Why a heartbeat check failed. The code is stable (tests, callers and scripts branch on it);
 * the message is for the operator: "nameserver 10.0.0.5:3100: connection refused".
 */
export type TfsErrorCode =
  /** Nothing listens on the port (the NameServer is not running there). */
  | 'TFS_CONNECT_REFUSED'
  /** Any other connect failure: unreachable host, name that does not resolve... */
  | 'TFS_CONNECT_FAILED'
  /** Connected (or connecting) but no answer in time: a frozen or overloaded NameServer. */
  | 'TFS_TIMEOUT'
  /** The peer closed or reset the connection before it answered. */
  | 'TFS_CLOSED'
  /** Something answered, but not a heartbeat reply: bad flag, checksum, pcode. */
  | 'TFS_BAD_REPLY'
  /** The caller's AbortSignal fired (the action's deadline); `cause` holds the signal's reason. */
  | 'TFS_ABORTED';

export class TfsError extends Error {
  override readonly name = 'TfsError';
  constructor(
    readonly code: TfsErrorCode,
    /** host:port, as in the message. */
    readonly endpoint: string,
    /** What went wrong, without the endpoint ("connection refused"). */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`nameserver ${endpoint}: ${detail}`, options);
  }
}

/** "10.0.0.5:3100", "[fd00::5]:3100". */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
