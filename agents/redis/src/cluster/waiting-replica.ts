import { localNodeName, runTool } from '@ocfkit/runtime';
import type { RedisInfo } from '../info.ts';
import type { Instance, RedisContext } from '../instance.ts';
import { follow, follows } from '../replication/follow.ts';
import { describeTarget, resolveTarget } from '../replication/target.ts';
import { connectLocal } from '../server/local-client.ts';
import { readState, writeState, type InstanceState } from '../state.ts';
import { readPromotionRecord } from './promotion-record.ts';

// A replica told "no primary now" (demoted when its node lost quorum, cut off by a partition)
// hears of the next primary only through a post-promote notification. A node that rejoins after
// the promotion gets none: Pacemaker has nothing to do for an instance that is already
// Unpromoted, and the replica would wait on the placeholder forever while crm_mon shows it
// healthy. So a replica that has waited longer than a notification takes asks Pacemaker
// which instance is promoted, and follows it.

/** Longer than a post-promote notification takes to arrive after a demote or a start. */
const WAIT_BEFORE_ASKING_MS = 5_000;

/** Nodes where Pacemaker's status shows the resource promoted (`crm_resource --locate`). */
async function promotedNodes(ctx: RedisContext): Promise<string[] | undefined> {
  const result = await runTool(ctx, 'crm_resource', ['--locate', '--resource', ctx.instance]).catch(() => undefined);
  if (result?.code !== 0) return undefined;
  const nodes: string[] = [];
  for (const line of result.stdout.split('\n')) {
    const match = /^resource \S+ is running on: (\S+) (?:Promoted|Master)$/.exec(line.trim());
    if (match) nodes.push(match[1]!);
  }
  return nodes;
}

/** For the monitor of a replica: follow the promoted instance if it waited past a notification. */
export async function joinRunningPrimary(ctx: RedisContext, instance: Instance, info: RedisInfo, state: InstanceState | undefined): Promise<void> {
  if (!state || state.target !== null || state.refusedPrimary || state.unreachablePrimary) return;
  if (info.role !== 'slave' || !follows(info, null) || Date.now() - state.targetSince < WAIT_BEFORE_ASKING_MS) return;
  const promoted = await promotedNodes(ctx);
  const node = await localNodeName(ctx);
  if (promoted?.length !== 1 || promoted[0] === node) return;
  const primary = promoted[0]!;
  // never a primary older than the newest promotion: that one fails its own monitor first
  const record = await readPromotionRecord(ctx);
  if (record !== undefined && record.node !== primary) return;
  const target = await resolveTarget(ctx, instance.config, primary);
  const client = await connectLocal(ctx, instance);
  try {
    await follow(client, instance, info, target);
  } finally {
    client.close();
  }
  ctx.log.warn(`following ${describeTarget(target)}, promoted while this replica waited (no notification reached it: it was cut off or rejoined)`);
  // read again: the monitor may have recorded a new score meanwhile
  const current = (await readState(instance.paths.state)) ?? state;
  await writeState(instance.paths.state, { ...current, target, targetSince: Date.now(), lastPrimary: primary });
}
