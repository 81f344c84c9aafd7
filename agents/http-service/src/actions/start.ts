import {
  OcfError,
  isAlive,
  lookupUser,
  readPidfile,
  removePidfile,
  spawnService,
  formatDuration,
  shorten,
  splitWords,
  tailFile,
  waitFor,
  writePidfile,
  type Context,
  type LaunchedService,
} from '@ocfkit/runtime';
import { checkHealth } from '../health.ts';
import { findService } from '../service.ts';
import type { Params } from '../params.ts';

type P = Context<Params>['params'];

function serviceEnvironment(p: P, home: string): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
  for (const word of splitWords(p.environment) ?? []) {
    const eq = word.indexOf('=');
    env[word.slice(0, eq)] = word.slice(eq + 1);
  }
  env.HOME ??= home;
  return env;
}

async function diedReason(p: P, pid: number | undefined): Promise<string> {
  const last = await tailFile(p.log_file, 3);
  const what = pid === undefined ? `${p.service_path} exited during start` : `${p.service_path} (pid ${pid}) exited during start`;
  return last.length ? `${what}: ${last.join(' | ')}` : `${what}; nothing in ${p.log_file}`;
}

/**
 * The pid of a self-daemonizing service, once its own pidfile names a live process. The launcher
 * exiting 0 is normal (that is daemonizing) and says nothing about the daemon; exiting non-zero
 * means it failed, and the log says why.
 */
async function waitForDaemonPid(ctx: Context<Params>, launcher: LaunchedService, signal: AbortSignal): Promise<number> {
  const p = ctx.params;
  return waitFor(
    async () => {
      const pid = await readPidfile(p.pidfile);
      if (pid !== undefined && isAlive(pid)) return pid;
      const exit = launcher.exited();
      if (exit && exit.exitCode !== 0) {
        throw OcfError.generic(`${await diedReason(p, launcher.pid)} (exit code ${exit.exitCode})`);
      }
      return undefined;
    },
    { signal, what: `${p.pidfile} to name a running process` },
  );
}

/** Wait until the health check passes, failing early (with the log's last words) if the service dies. */
async function waitHealthy(ctx: Context<Params>, pid: number, signal: AbortSignal): Promise<void> {
  const p = ctx.params;
  let lastProblem: string | undefined;
  const started = Date.now();
  try {
    await waitFor(
      async () => {
        if (!isAlive(pid)) throw OcfError.generic(await diedReason(p, pid));
        try {
          await checkHealth({ ...ctx, signal }, { deep: false, timeoutMs: 1000 });
          return true;
        } catch (error) {
          if (!(error instanceof OcfError)) throw error;
          lastProblem = error.reason;
          return false;
        }
      },
      { signal, what: `${p.probe_url} to answer`, intervalMs: 100, maxIntervalMs: 500 },
    );
  } catch (error) {
    // "timed out" alone does not say why: the last health check does, and goes first (Pacemaker
    // keeps 128 characters of a reason)
    if (error instanceof OcfError && lastProblem && error.reason.startsWith('timed out')) {
      throw OcfError.generic(`${lastProblem} (start gave up after ${formatDuration(Date.now() - started)})`);
    }
    throw error;
  }
}

/** Launch the program as configured and return the pid that will run the service. */
async function launch(ctx: Context<Params>, home: string, signal: AbortSignal): Promise<number> {
  const p = ctx.params;
  // a pidfile naming a dead pid or a stranger is ours to clear: never signal what it names
  await removePidfile(p.pidfile);
  const child = await spawnService({
    command: p.service_path,
    args: splitWords(p.service_args) ?? [],
    cwd: p.workdir,
    user: p.user,
    group: p.group,
    env: serviceEnvironment(p, home),
    logFile: p.log_file,
  });
  let pid = child.pid;
  if (p.daemonize) pid = await waitForDaemonPid(ctx, child, signal);
  else await writePidfile(p.pidfile, pid);
  ctx.log.info('service launched', { pid, program: p.service_path });
  return pid;
}

/**
 * Start returns only when the health check passes: returning earlier makes Pacemaker's first
 * monitor see a failure. Already running (and ours) means success once healthy.
 */
export async function start(ctx: Context<Params>): Promise<void> {
  const p = ctx.params;
  const user = (await lookupUser(p.user))!;
  const signal = shorten(ctx.signal, p.start_timeout, 'start');
  const pid = (await findService(p, user.uid))?.pid ?? (await launch(ctx, user.home, signal));
  await waitHealthy(ctx, pid, signal);
  ctx.log.info('service healthy', { pid });
}
