export type ProbeErrorCode =
  | 'PROBE_REFUSED'
  | 'PROBE_NO_SOCKET'
  | 'PROBE_DENIED'
  | 'PROBE_DNS'
  | 'PROBE_TIMEOUT'
  | 'PROBE_RESET'
  | 'PROBE_TLS'
  | 'PROBE_BAD_RESPONSE'
  | 'PROBE_ABORTED'
  | 'PROBE_NETWORK';

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
