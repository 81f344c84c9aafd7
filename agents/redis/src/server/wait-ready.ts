import { adoptFromPidfile, formatDuration, isAliveAs, OcfError, sleep, type ProcessIdentity } from '@ocfkit/runtime';
import type { RedisInfo } from '../info.ts';
import type { Instance, RedisContext } from '../instance.ts';
import type { RedisClient } from '../resp/client.ts';
import { RedisError } from '../resp/errors.ts';
import { connectLocal, readInfo } from './local-client.ts';
import { whyItDied, type Launched } from './launch.ts';

/** After the launcher exited 0, how long the daemon has to write its pidfile (redis writes it at once). */
const PIDFILE_GRACE_MS = 5000;

/** The launcher failed, or exited long enough ago that a daemon would have written its pidfile. */
function launcherGaveUp(launched: Launched, since: number): boolean {
  const exit = launched.launch.exited();
  // a known failure ends the wait at once; an exit not reported yet (the launcher is a zombie
  // until Node reaps it) or a clean one gives the daemon its time to write the pidfile
  if (exit !== undefined && exit.exitCode !== 0) return true;
  if (exit === undefined && isAliveAs(launched.launch.launcher)) return false;
  return Date.now() - since > PIDFILE_GRACE_MS;
}

/** How often start says how the loading goes (a large dataset takes minutes). */
const PROGRESS_EVERY_MS = 5000;

export interface Ready {
  client: RedisClient;
  info: RedisInfo;
  server: ProcessIdentity;
}

/**
 * Wait, within the action's deadline, until our server answers INFO and has loaded its dataset;
 * log the loading's progress; fail early, with its last words, if it dies. The caller owns (and
 * closes) the returned connection.
 */
export async function waitReady(ctx: RedisContext, instance: Instance, started: { launched: Launched } | { running: ProcessIdentity }): Promise<Ready> {
  const launched = 'launched' in started ? started.launched : undefined;
  let server = 'running' in started ? started.running : undefined;
  const since = Date.now();
  let lastProgress = since;
  let lastProblem = 'no answer yet';
  let interval = 20;
  for (;;) {
    // the launcher exits once the daemon forked, and the daemon writes the pidfile right after:
    // only a process started by this launch is taken from it
    if (!server && launched) server = await adoptFromPidfile(launched.launch, instance.paths.pidfile);
    const diedOrGone = server ? !isAliveAs(server) : launched !== undefined && launcherGaveUp(launched, since);
    if (diedOrGone) {
      const last = launched ? `: ${await whyItDied(instance, launched.logOffset)}` : '';
      throw OcfError.generic(`redis-server exited during start${last}`);
    }
    if (server) {
      try {
        const client = await connectLocal(ctx, instance);
        try {
          const info = await readInfo(client, instance);
          if (!info.loading) return { client, info, server };
          lastProblem = `loading the dataset: ${info.loadingLoadedPerc ?? '?'}% done`;
          if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = Date.now();
            const eta = info.loadingEtaSeconds === undefined ? '' : `, about ${info.loadingEtaSeconds} s left`;
            ctx.log.info(`${lastProblem}${eta} (${formatDuration(Date.now() - since)} into start)`);
          }
        } catch (error) {
          client.close();
          throw error;
        }
        client.close();
      } catch (error) {
        if (!(error instanceof RedisError)) throw error;
        // a wrong password will not get better by waiting
        if (error.code === 'REDIS_WRONGPASS' || error.code === 'REDIS_NOAUTH' || error.code === 'REDIS_NOPERM') {
          throw OcfError.generic(`redis-server started but the agent cannot log in: ${error.message}`);
        }
        if (error.code === 'ABORTED') break;
        lastProblem = error.message;
      }
    }
    try {
      await sleep(interval, ctx.signal);
    } catch {
      break;
    }
    interval = Math.min(500, interval * 2);
  }
  throw OcfError.generic(`redis did not become ready within ${formatDuration(Date.now() - since)} (${lastProblem})`);
}
