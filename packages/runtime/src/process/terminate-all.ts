import { OcfError } from '../ocf-error.ts';
import { errnoOf } from './errno.ts';
import { isAliveAs, type ProcessIdentity } from './process-identity.ts';

export interface TerminateAllOptions {
  /** How long the processes may take to exit after SIGTERM before they get SIGKILL. */
  graceMs: number;
  /** When it fires (the action's deadline is near), the rest of the grace is skipped: SIGKILL now. */
  signal?: AbortSignal;
}

export interface TerminatedAll {
  /** gone: nothing to stop; term: all exited after SIGTERM; kill: some needed SIGKILL. */
  how: 'gone' | 'term' | 'kill';
  /** Every process signalled. */
  signalled: ProcessIdentity[];
}

const POLL_MS = 100;
/** During the grace period, how often the targets are looked for again (a child forked while shutting down). */
const RESCAN_MS = 1000;
/** After SIGKILL a process in D state (stuck on NFS, a dying disk) may take a while to go. */
const KILL_WAIT_MS = 5000;

/**
 * Signal one exact process: only if it still has the start time we know it by (between a scan and
 * the signal it may exit and its pid go to a stranger). false when it is gone.
 */
function send(target: ProcessIdentity, sig: NodeJS.Signals): boolean {
  if (target.pid <= 1 || target.pid === process.pid || !isAliveAs(target)) return false;
  try {
    process.kill(target.pid, sig);
    return true;
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ESRCH') return false;
    if (code === 'EPERM') throw OcfError.perm(`cannot send ${sig} to pid ${target.pid}: permission denied`, { cause: error });
    throw OcfError.generic(`cannot send ${sig} to pid ${target.pid}: ${String(error)}`, { cause: error });
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

const key = (target: ProcessIdentity) => `${target.pid}:${target.starttime}`;

/**
 * Stop a set of processes the way a stop action must: SIGTERM to all, wait up to `graceMs`,
 * SIGKILL to what is left, wait until everything is gone. `targets` (a /proc scan) is asked again
 * now and then, and once more before "gone" is believed, so a child forked during shutdown is
 * caught too; between scans only the known processes are polled (cheap). A stop that fails gets
 * the node fenced: the grace ends early at the deadline rather than the stop failing, and the
 * only failure is a process that survives SIGKILL (or one we may not signal).
 */
export async function terminateAll(targets: () => ProcessIdentity[], options: TerminateAllOptions): Promise<TerminatedAll> {
  const signalled = new Map<string, ProcessIdentity>();
  let known: ProcessIdentity[] = [];
  // SIGTERM goes once to each process (a second one makes some services skip their clean
  // shutdown); SIGKILL to whatever is left, every round
  // SIGCONT right after SIGTERM (as systemd does): a stopped process (SIGSTOP, a debugger, a
  // hung VM's thaw) acts on SIGTERM only once it runs, and would otherwise wait out the grace
  const deliver = (sig: NodeJS.Signals, list: ProcessIdentity[]) => {
    for (const target of list) {
      if (sig === 'SIGTERM' && signalled.has(key(target))) continue;
      if (send(target, sig)) {
        signalled.set(key(target), target);
        if (sig === 'SIGTERM') send(target, 'SIGCONT');
      }
    }
  };
  /** Known processes still alive; when none are, one fresh scan decides. */
  const remaining = (): ProcessIdentity[] => {
    known = known.filter(isAliveAs);
    if (known.length === 0) known = targets();
    return known;
  };

  known = targets();
  deliver('SIGTERM', known);
  if (signalled.size === 0) return { how: 'gone', signalled: [] };
  const graceEnds = Date.now() + options.graceMs;
  let lastScan = Date.now();
  for (;;) {
    await pause(Math.min(POLL_MS, Math.max(0, graceEnds - Date.now())), options.signal);
    if (remaining().length === 0) return { how: 'term', signalled: [...signalled.values()] };
    if (Date.now() >= graceEnds || options.signal?.aborted) break;
    if (Date.now() - lastScan >= RESCAN_MS) {
      known = targets();
      lastScan = Date.now();
      deliver('SIGTERM', known);
    }
  }

  known = targets();
  deliver('SIGKILL', known);
  const killEnds = Date.now() + KILL_WAIT_MS;
  for (;;) {
    await pause(POLL_MS / 5);
    const left = remaining();
    if (left.length === 0) return { how: 'kill', signalled: [...signalled.values()] };
    if (Date.now() >= killEnds) throw OcfError.generic(`pid ${left.map((p) => p.pid).join(', ')} did not exit after SIGKILL`);
    deliver('SIGKILL', left);
  }
}
