import { formatDuration, isRunning, OcfError, sleep } from '@ocfkit/runtime';
import type { RedisInfo } from '../info.ts';
import type { Instance, RedisContext } from '../instance.ts';
import type { RedisClient } from '../resp/client.ts';
import { isNotListening, RedisError } from '../resp/errors.ts';
import { connectLocal, readInfo } from './connect.ts';
import { daemonPid, whyItDied, type Launched } from './launch.ts';

/** How often start says how the loading goes (a large dataset takes minutes). */
const PROGRESS_EVERY_MS = 5000;

export interface Ready {
  client: RedisClient;
  info: RedisInfo;
  pid: number;
}

/**
 * Wait, within the action's deadline, until our server answers INFO and has loaded its dataset;
 * log the loading's progress; fail early, with its last words, if it dies. The caller owns (and
 * closes) the returned connection.
 */
export async function waitReady(ctx: RedisContext, instance: Instance, launched: Launched | undefined): Promise<Ready> {
  const started = Date.now();
  let lastProgress = started;
  let lastProblem = 'no answer yet';
  let interval = 20;
  for (;;) {
    const pid = await daemonPid(instance);
    // the launcher exits once the daemon forked, and the daemon writes the pidfile right after
    const launcherGone = launched !== undefined && !(await isRunning(launched.launcher));
    if (pid === undefined && launcherGone && Date.now() - started > 1000 && (await noServer(ctx, instance))) {
      throw OcfError.generic(`redis-server exited during start: ${await whyItDied(instance, launched!.logOffset)}`);
    }
    if (pid !== undefined) {
      try {
        const client = await connectLocal(ctx, instance);
        try {
          const info = await readInfo(client, instance);
          if (!info.loading) return { client, info, pid };
          lastProblem = `loading the dataset: ${info.loadingLoadedPerc ?? '?'}% done`;
          if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = Date.now();
            const eta = info.loadingEtaSeconds === undefined ? '' : `, about ${info.loadingEtaSeconds} s left`;
            ctx.log.info(`${lastProblem}${eta} (${formatDuration(Date.now() - started)} into start)`);
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
        if (error.code === 'REDIS_ABORTED') break;
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
  throw OcfError.generic(`redis did not become ready within ${formatDuration(Date.now() - started)} (${lastProblem})`);
}

/** Neither a live pid in the pidfile nor anything on the socket. */
async function noServer(ctx: RedisContext, instance: Instance): Promise<boolean> {
  if ((await daemonPid(instance)) !== undefined) return false;
  try {
    const client = await connectLocal(ctx, instance, 500);
    client.close();
    return false;
  } catch (error) {
    return isNotListening(error);
  }
}
