import { HeartbeatConnection } from './connection.ts';
import { TfsError, formatEndpoint } from './errors.ts';
import { NS_STATUS } from './status.ts';

export interface CheckOptions {
  /** Address or name of the NameServer (names resolve to IPv4, as ha_monitor's do). */
  host: string;
  port: number;
  /** 1 asks the NameServer to re-check its role at once (the switch); default 0. */
  switchFlag?: number;
  /** Requests sent before giving up (ha_monitor: 3). */
  tries?: number;
  /** How long each try waits for the answer (ha_monitor: 500 ms). */
  tryTimeoutMs?: number;
  /** The action's deadline: when it fires the check stops at once with ABORTED. */
  signal?: AbortSignal;
  /** Told about every failed try (ha_monitor logs "send packet error" for each). */
  onTryFailed?: (error: TfsError, attempt: number) => void;
}

export interface CheckResult {
  /** The NameServer's own state: -1 none, 0 uninitialised, 1 initialised. */
  status: number;
}

/** ha_monitor's first request carries id 2 (captured); the NameServer ignores id 0. */
const FIRST_ID = 2n;

function abortedError(endpoint: string, signal: AbortSignal): TfsError {
  return new TfsError('ABORTED', endpoint, 'heartbeat check aborted', { cause: signal.reason });
}

/** The error that ends a check: the last try's, saying how often a timeout was tried. */
function finalError(last: TfsError, tries: number): TfsError {
  if ((last.code !== 'NO_ANSWER' && last.code !== 'CONNECT_TIMEOUT') || tries === 1) return last;
  return new TfsError(last.code, last.endpoint, `${last.detail} (${tries} tries)`, { cause: last.cause });
}

/**
 * Ask a NameServer for its status the way ha_monitor does: one TCP connection, up to `tries`
 * requests of `tryTimeoutMs` each, and another try only while there is no status (an error, or
 * an answer of -1). Resolves with the status the NameServer gave, whatever it is; throws
 * TfsError when it never answered.
 */
export async function checkNameServer(options: CheckOptions): Promise<CheckResult> {
  const { host, port, switchFlag = 0, tries = 3, tryTimeoutMs = 500, signal, onTryFailed } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`port ${port}: expected 1-65535`);
  if (!Number.isInteger(tries) || tries < 1) throw new RangeError(`tries ${tries}: expected at least 1`);
  const endpoint = formatEndpoint(host, port);
  if (signal?.aborted) throw abortedError(endpoint, signal);

  const connection = new HeartbeatConnection(host, port, endpoint);
  const onAbort = () => connection.abort(abortedError(endpoint, signal!));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let last: TfsError | undefined;
    let answered = false;
    for (let attempt = 1; attempt <= tries; attempt++) {
      try {
        const status = await connection.exchange(FIRST_ID + BigInt(attempt - 1), switchFlag, tryTimeoutMs);
        if (status !== NS_STATUS.NONE) return { status };
        answered = true;
      } catch (error) {
        if (!(error instanceof TfsError)) throw error;
        if (error.code === 'ABORTED') throw error;
        last = error;
        onTryFailed?.(error, attempt);
      }
    }
    if (answered || last === undefined) return { status: NS_STATUS.NONE };
    throw finalError(last, tries);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    connection.close();
  }
}
