import type { ConversationErrorCode } from '@ocfkit/runtime';

/** The connection's codes (the runtime's, as every agent's), and what is HTTP's own. */
export type ProbeErrorCode =
  | ConversationErrorCode
  /** Something answered, but not HTTP/1.x as we can read it. */
  | 'HTTP_BAD_RESPONSE';

/** A failed health check, with a stable code and words for the exit reason. */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  constructor(
    readonly code: ProbeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
