import type { ConversationErrorCode } from '@ocfkit/runtime';

/**
 * Why a heartbeat check failed. The code is stable (tests, callers and scripts branch on it);
 * the message is for the operator: "nameserver 10.0.0.5:3100: connection refused".
 */
export type TfsErrorCode =
  /** The connection's codes (the runtime's, as every agent's): CONNECT_REFUSED, NO_ANSWER, CLOSED, ABORTED... */
  | ConversationErrorCode
  /** Something answered, but not a heartbeat reply: bad flag, checksum, pcode. */
  | 'TFS_BAD_REPLY';

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
