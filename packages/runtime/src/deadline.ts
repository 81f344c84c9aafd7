import { OcfError } from './ocf-error.ts';
import { formatDuration } from './params/duration.ts';

/**
 * Pacemaker SIGKILLs an agent whose action outlives CRM_meta_timeout: no exit reason, no cleanup,
 * children left behind. So every action gets its own deadline a little earlier, and a signal that
 * fires there, to fail on its own terms.
 */
export interface Deadline {
  /** The budget Pacemaker gave (ms). */
  readonly budgetMs: number;
  /** When our own deadline falls (epoch ms). */
  readonly at: number;
  /**
   * Fires at `at`. Made on first use: an AbortController costs a process about 1 ms of CPU (Node
   * loads its event-target machinery for it), which a monitor whose own timeouts end before the
   * deadline never needs to pay.
   */
  readonly signal: AbortSignal;
  /** Our deadline has passed. */
  readonly expired: boolean;
  /** Milliseconds left before our deadline (never negative). */
  remaining(): number;
}

/** Keep 10% of the budget in hand, at least 500 ms and at most 5 s: enough to exit cleanly. */
export function reserveFor(budgetMs: number): number {
  return Math.min(5000, Math.max(500, budgetMs * 0.1));
}

export interface OwnDeadline extends Deadline {
  /** Called once, with the deadline's error, when it passes (register before it does). */
  onExpire(listener: (reason: OcfError) => void): void;
  dispose(): void;
}

export function createDeadline(budgetMs: number, action = 'action', now = Date.now()): OwnDeadline {
  const ownMs = Math.max(100, budgetMs - reserveFor(budgetMs));
  const at = now + ownMs;
  let controller: AbortController | undefined;
  let reason: OcfError | undefined;
  const listeners: Array<(reason: OcfError) => void> = [];
  const timer = setTimeout(() => {
    reason = OcfError.generic(`${action} did not finish within ${formatDuration(ownMs)} of its ${formatDuration(budgetMs)} timeout`);
    controller?.abort(reason);
    for (const listener of listeners) listener(reason);
  }, Math.max(0, at - Date.now()));
  timer.unref();
  return {
    budgetMs,
    at,
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (reason) controller.abort(reason);
      }
      return controller.signal;
    },
    get expired() {
      return reason !== undefined;
    },
    remaining: () => Math.max(0, at - Date.now()),
    onExpire: (listener) => {
      listeners.push(listener);
    },
    dispose: () => clearTimeout(timer),
  };
}

/** Sleep that ends early (rejecting with the deadline's error) when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface WaitOptions {
  signal: AbortSignal;
  /** What we are waiting for, for the reason when the deadline comes first. */
  what: string;
  /** First poll after this many ms; doubles up to `maxIntervalMs`. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /**
   * The reason for a timeout after a check said notYet(problem), when the default ("<problem>
   * (timed out waiting for <what>: <the deadline's reason>)") is not the best words: `elapsedMs`
   * since the wait began.
   */
  explain?: (problem: string, elapsedMs: number) => string | Promise<string>;
}

/** A check's "not yet", saying what is still wrong. */
export interface NotYet {
  readonly notYet: string;
}

/** "Not yet, because <problem>": the last one is what a timeout reports first. */
export function notYet(problem: string): NotYet {
  return { notYet: problem };
}

function isNotYet(value: unknown): value is NotYet {
  return typeof value === 'object' && value !== null && typeof (value as { notYet?: unknown }).notYet === 'string';
}

/**
 * Poll `check` until it returns a value other than undefined, false or notYet(...), or the deadline
 * fires. Then it throws OCF_ERR_GENERIC: "timed out waiting for <what> (<the deadline's reason>)",
 * or, when the last check said what was wrong, "<that problem> (timed out waiting for <what>: <the
 * deadline's reason>)": the problem first, since Pacemaker keeps only 128 characters of a reason.
 * `check` may itself throw an OcfError to stop waiting (the service died, say).
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false | NotYet> | T | undefined | false | NotYet,
  options: WaitOptions,
): Promise<T> {
  let interval = options.intervalMs ?? 50;
  const max = options.maxIntervalMs ?? 1000;
  let problem: string | undefined;
  const started = Date.now();
  const timedOut = async () => {
    const reason = options.signal.reason;
    const why = reason instanceof OcfError ? reason.reason : undefined;
    if (problem === undefined) return OcfError.generic(`timed out waiting for ${options.what}${why ? ` (${why})` : ''}`);
    if (options.explain) return OcfError.generic(await options.explain(problem, Date.now() - started));
    return OcfError.generic(`${problem} (timed out waiting for ${options.what}${why ? `: ${why}` : ''})`);
  };
  for (;;) {
    let value: T | undefined | false | NotYet;
    try {
      value = await check();
    } catch (error) {
      // a check cut short by the deadline says less than what we were waiting for
      if (options.signal.aborted) throw await timedOut();
      throw error;
    }
    if (isNotYet(value)) problem = value.notYet;
    else if (value !== undefined && value !== false) return value;
    try {
      await sleep(interval, options.signal);
    } catch {
      throw await timedOut();
    }
    interval = Math.min(max, interval * 2);
  }
}

/**
 * A signal that fires with `signal` or after `ms`, whichever is first (AbortSignal.any is Node 20:
 * not on Debian 12's Node 18). The timer is unref'd and cleared when the parent fires.
 */
export function shorten(signal: AbortSignal, ms: number | undefined, what: string): AbortSignal {
  if (ms === undefined) return signal;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(OcfError.generic(`${what} did not finish within ${formatDuration(ms)}`)), ms);
  timer.unref();
  const follow = () => {
    clearTimeout(timer);
    controller.abort(signal.reason);
  };
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return controller.signal;
}
