import {
  OcfError,
  adoptFromPidfile,
  fileSize,
  formatDuration,
  identify,
  isAliveAs,
  launchOwned,
  listenerHolder,
  loadPidfile,
  lookupUser,
  notYet,
  removePidfile,
  shorten,
  sleep,
  splitWords,
  stopOwned,
  tailFile,
  waitFor,
  writePidfile,
  type Context,
  type OwnedLaunch,
  type ProcessIdentity,
} from '@ocfkit/runtime';
import { checkHealth } from '../health.ts';
import { findService, listenerOf, recordOf } from '../service.ts';
import type { Params } from '../params.ts';

type P = Context<Params>['params'];

/** After the first healthy answer, how long our process must still be running for the answer to count as its own. */
const ANSWER_SETTLE_MS = 200;
/** Time a failed start gives what it launched to exit on SIGTERM before SIGKILL. */
const FAILED_START_GRACE_MS = 2000;

function serviceEnvironment(p: P, home: string): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
  for (const word of splitWords(p.environment) ?? []) {
    const eq = word.indexOf('=');
    env[word.slice(0, eq)] = word.slice(eq + 1);
  }
  env.HOME ??= home;
  return env;
}

/** What the service wrote to its log during this start (never a previous run's words). */
async function diedReason(p: P, what: string, logOffset: number): Promise<string> {
  const last = await tailFile(p.log_file, 3, { since: logOffset });
  return last.length ? `${what}: ${last.join(' | ')}` : `${what}; nothing in ${p.log_file}`;
}

/**
 * The main process of a self-daemonizing service: the pid its own pidfile names, once that is a
 * process started by this launch. The launcher exiting 0 is normal (that is daemonizing);
 * exiting non-zero means it failed, and the log says why.
 */
async function waitForDaemon(p: P, launch: OwnedLaunch, logOffset: number, signal: AbortSignal): Promise<ProcessIdentity> {
  return waitFor(
    async () => {
      const main = await adoptFromPidfile(launch, p.pidfile);
      if (main) return main;
      const exit = launch.exited();
      if (exit && exit.exitCode !== 0) {
        throw OcfError.generic(`${await diedReason(p, `${p.service_path} (pid ${launch.pid}) exited during start`, logOffset)} (exit code ${exit.exitCode})`);
      }
      return undefined;
    },
    { signal, what: `${p.pidfile} to name the process this start launched` },
  );
}

/** Wait until the health check passes, failing early (with the log's words) if the service dies. */
async function waitHealthy(ctx: Context<Params>, main: ProcessIdentity, logOffset: number, signal: AbortSignal): Promise<void> {
  const p = ctx.params;
  // "timed out" alone does not say why: the last health check does, and what the service itself
  // last wrote during this start ("waiting for the database ...") says more, so it goes first
  // (Pacemaker keeps 128 characters of a reason)
  const explain = async (lastProblem: string, elapsedMs: number) => {
    const gaveUp = `start gave up after ${formatDuration(elapsedMs)}`;
    const said = await tailFile(p.log_file, 1, { since: logOffset });
    return said.length > 0 ? `${gaveUp}, its log says: ${said[0]}; ${lastProblem}` : `${lastProblem} (${gaveUp})`;
  };
  await waitFor(
    async () => {
      if (!isAliveAs(main)) throw OcfError.generic(await diedReason(p, `${p.service_path} (pid ${main.pid}) exited during start`, logOffset));
      try {
        await checkHealth(ctx, { deep: false, timeoutMs: 1000, signal });
      } catch (error) {
        if (!(error instanceof OcfError)) throw error;
        return notYet(error.reason);
      }
      // whose answer was it? The kernel says who holds the listening socket: ours counts at once;
      // a program running since before this start means the port is taken (ours is on its way
      // to dying of EADDRINUSE, or waits for the port), so no answer of it counts
      const listener = listenerOf(p);
      if (listener) {
        const holder = listenerHolder(recordOf(p), listener);
        if (holder.by === 'ours') return true;
        if (holder.by === 'older') {
          const what = 'port' in listener ? `port ${listener.port}` : listener.path;
          return notYet(`${p.probe_url} is answered by pid ${holder.pids.join(', ')}, which ran before this start: another program holds ${what}`);
        }
      }
      // holder unseen (another network namespace): the answer counts only while our process
      // still runs, so one that died at once (its port taken) does not pass on another's word
      await sleep(ANSWER_SETTLE_MS, signal);
      if (!isAliveAs(main)) throw OcfError.generic(await diedReason(p, `${p.service_path} (pid ${main.pid}) exited during start`, logOffset));
      return true;
    },
    { signal, what: `${p.probe_url} to answer`, intervalMs: 100, maxIntervalMs: 500, explain },
  );
}

/**
 * A pidfile left naming no live process is garbage to clear before launching; one naming a live
 * process is left alone (it may be another program's): the new daemon's pid is only ever taken
 * from a process started by this launch.
 */
async function clearStalePidfile(p: P): Promise<void> {
  const content = await loadPidfile(p.pidfile);
  if (content.kind === 'missing') return;
  if (content.kind === 'pid' && identify(content.pid)) return;
  await removePidfile(p.pidfile);
}

/** Launch the program as configured, healthy before this returns; on any failure nothing launched is left running. */
async function launchHealthy(ctx: Context<Params>, home: string, signal: AbortSignal): Promise<void> {
  const p = ctx.params;
  if (p.daemonize) await clearStalePidfile(p);
  const logOffset = await fileSize(p.log_file);
  const launch = await launchOwned(recordOf(p), {
    command: p.service_path,
    args: splitWords(p.service_args) ?? [],
    cwd: p.workdir,
    user: p.user,
    group: p.group,
    env: serviceEnvironment(p, home),
    logFile: p.log_file,
    daemonizes: p.daemonize,
  });
  try {
    const main = p.daemonize ? await waitForDaemon(p, launch, logOffset, signal) : launch.launcher;
    if (!p.daemonize) await writePidfile(p.pidfile, main.pid);
    ctx.log.info('service launched', { pid: main.pid, program: p.service_path });
    await waitHealthy(ctx, main, logOffset, signal);
  } catch (error) {
    // a failed start leaves nothing running: Pacemaker's recovery must not find a half-started copy
    const { signalled } = await stopOwned(launch.record, { graceMs: FAILED_START_GRACE_MS, signal: ctx.signal });
    if (signalled.length > 0) ctx.log.warn(`start failed: stopped what it launched (pid ${signalled.map((id) => id.pid).join(', ')})`);
    if (!p.daemonize) await removePidfile(p.pidfile).catch(() => undefined);
    throw error;
  }
}

/**
 * Start returns only when the health check passes: returning earlier makes Pacemaker's first
 * monitor see a failure. Already running (and ours) means success once healthy.
 */
export async function start(ctx: Context<Params>): Promise<void> {
  const p = ctx.params;
  const user = await lookupUser(p.user);
  if (!user) throw OcfError.installed(`user ${p.user} does not exist on this node`);
  const signal = shorten(ctx.signal, p.start_timeout, 'start');
  let running: ProcessIdentity | undefined;
  try {
    running = await findService(p);
  } catch (error) {
    // what is left of a dead service is cleared before a new one starts next to it
    if (!(error instanceof OcfError)) throw error;
    ctx.log.warn(`${error.reason}: stopping them before start`);
    await stopOwned(recordOf(p), { graceMs: FAILED_START_GRACE_MS, signal });
  }
  if (running) {
    await waitHealthy(ctx, running, await fileSize(p.log_file), signal);
  } else {
    await launchHealthy(ctx, user.home, signal);
  }
  ctx.log.info('service healthy');
}
