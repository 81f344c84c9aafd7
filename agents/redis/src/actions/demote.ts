import { formatDuration, sleep, localNodeName } from '@ocfkit/runtime';
import type { RedisInfo } from '../info.ts';
import { loadInstance, type Instance, type RedisContext } from '../instance.ts';
import { applyScore } from '../replication/apply-score.ts';
import { requireCommand, follow } from '../replication/follow.ts';
import { desiredScore } from '../replication/score.ts';
import type { RedisClient } from '../resp/client.ts';
import { RedisError } from '../resp/errors.ts';
import { readInfo } from '../server/local-client.ts';
import { readState, writeState } from '../state.ts';
import { connectRunning, requirePromotable } from './promote.ts';

/** At most this much of the demote budget goes to letting replicas catch up. */
const CATCH_UP_SHARE = 0.5;
const CATCH_UP_MAX_MS = 10_000;

function behind(info: RedisInfo): string[] {
  const head = info.masterReplOffset ?? 0;
  return info.replicas.filter((r) => r.state === 'online' && r.offset < head).map((r) => `${r.ip}:${r.port} (${head - r.offset} bytes behind)`);
}

/**
 * Before a primary steps down, hold writes (CLIENT PAUSE WRITE: reads go on) and let its online
 * replicas receive everything it has, polling INFO rather than sleeping a fixed time (heartbeat
 * spent 2-3 s per replica on CLIENT PAUSE 2000 and sleep 1). The one about to be promoted then
 * holds every acknowledged write, and promote's position check passes.
 */
async function pauseAndCatchUp(ctx: RedisContext, client: RedisClient, instance: Instance, info: RedisInfo): Promise<void> {
  const budget = Math.min(CATCH_UP_MAX_MS, Math.floor(ctx.deadline.remaining() * CATCH_UP_SHARE));
  const clientCommand = requireCommand(instance.config, 'CLIENT');
  try {
    await client.command([clientCommand, 'PAUSE', String(budget + 1000), 'WRITE'], { label: 'CLIENT PAUSE' });
  } catch (error) {
    if (!(error instanceof RedisError) || error.code !== 'REDIS_ERR') throw error;
    // before Redis 6.2 there is no WRITE mode: pausing every client is the next best thing
    await client.command([clientCommand, 'PAUSE', String(budget + 1000)], { label: 'CLIENT PAUSE' });
  }
  const until = Date.now() + budget;
  let current = info;
  let interval = 5;
  while (behind(current).length > 0 && Date.now() < until) {
    await sleep(interval, ctx.signal);
    interval = Math.min(100, interval * 2);
    current = await readInfo(client, instance);
  }
  const lagging = behind(current);
  if (lagging.length > 0) ctx.log.warn(`demoting while replicas are behind after ${formatDuration(budget)}: ${lagging.join(', ')}`);
}

/**
 * Demote: the primary becomes a replica waiting for the next primary (the post-promote
 * notification points it there). Not at the promotion candidate yet: following a replica that
 * is behind would make this server drop the writes only it has.
 */
export async function demote(ctx: RedisContext): Promise<void> {
  requirePromotable(ctx, 'demote');
  const instance = await loadInstance(ctx);
  const node = await localNodeName(ctx);
  const client = await connectRunning(ctx, instance, 'demote');
  const state = await readState(instance.paths.state);
  try {
    let info = await readInfo(client, instance);
    if (info.role === 'master') {
      await pauseAndCatchUp(ctx, client, instance, info);
      await follow(client, instance, info, null);
      await client.command([requireCommand(instance.config, 'CLIENT'), 'UNPAUSE'], { label: 'CLIENT UNPAUSE' }).catch(() => undefined);
      info = await readInfo(client, instance);
      ctx.log.info('demoted: replica waiting for the next primary');
      const next = { target: null, targetSince: Date.now(), promoted: false, lastPrimary: state?.lastPrimary ?? node };
      const decision = desiredScore(info, next, {
        node,
        maxLagMs: ctx.params.max_replica_lag,
        waitLastKnownPrimary: ctx.params.wait_last_known_master,
        replicaPriority: instance.config.replicaPriority,
      });
      const score = await applyScore(ctx, node, decision, state?.score);
      await writeState(instance.paths.state, { ...next, score });
    } else {
      // already a replica: demoting a demoted resource succeeds (and changes nothing)
      if (state?.promoted) await writeState(instance.paths.state, { ...state, promoted: false });
    }
  } finally {
    client.close();
  }
}
