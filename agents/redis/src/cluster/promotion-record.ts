import { runTool, runToolOrThrow, type ToolContext } from '@ocfkit/runtime';

// Which promotion is the newest, as the cluster recorded it: promote writes the next generation,
// its node and the replication id Redis gave the new primary into a cluster property
// (`<resource>-promotion` in the `redis_replication` set, beside heartbeat's _REPL_INFO).
//
// Why a crm_config property: it lives in the CIB's configuration section, so writing it raises the
// CIB's epoch. When a partition heals, Pacemaker keeps the CIB with the highest epoch, and the side
// that promoted (it had quorum, the other side could not write its configuration) is the one that
// wrote. So after the heal every node, the stale primary included, reads the newest promotion.
// A transient node attribute would not do: attrd lets each node's own value win for itself.

export interface PromotionRecord {
  /** 1 for the first promotion ever recorded, then +1 per promotion. */
  readonly generation: number;
  readonly node: string;
  /** master_replid of the new primary right after its promotion: the history it started ('-': not known yet). */
  readonly replid: string;
  /** When it was written (epoch ms), for the operator's reading only: clocks may differ. */
  readonly at: number;
}

const name = (ctx: ToolContext) => `${ctx.instance}-promotion`;
const BASE = (ctx: ToolContext) => ['--type', 'crm_config', '--name', name(ctx), '-s', 'redis_replication'];

/** `7:<replid>:<epoch ms>:<node>`; the node last, whatever characters its name holds. */
export function formatRecord(record: PromotionRecord): string {
  return `${record.generation}:${record.replid}:${record.at}:${record.node}`;
}

export function parseRecord(text: string): PromotionRecord | undefined {
  const match = /^(\d{1,15}):([0-9a-f]{40}|-):(\d{1,15}):(.+)$/.exec(text.trim());
  if (!match) return undefined;
  return { generation: Number(match[1]), replid: match[2]!, at: Number(match[3]), node: match[4]! };
}

/** The newest recorded promotion; undefined when none was ever recorded (or the value is not ours). */
export async function readPromotionRecord(ctx: ToolContext): Promise<PromotionRecord | undefined> {
  // a CIB that does not answer is no evidence either way: the caller goes on as before
  const result = await runTool(ctx, 'crm_attribute', [...BASE(ctx), '--query', '-q']).catch(() => undefined);
  if (result?.code !== 0) return undefined; // 105: never written
  return parseRecord(result.stdout);
}

/** Records `node` as promoted now, one generation after the newest record; returns what was written. */
export async function recordPromotion(ctx: ToolContext, node: string, replid: string, previous: PromotionRecord | undefined): Promise<PromotionRecord> {
  const record = { generation: (previous?.generation ?? 0) + 1, node, replid, at: Date.now() };
  await runToolOrThrow(ctx, 'crm_attribute', [...BASE(ctx), '-v', formatRecord(record)], 'record the promotion');
  return record;
}

/** "promotion 7 of node2 (replication id 1a2b3c4d...)", for reasons and logs. */
export function describeRecord(record: PromotionRecord): string {
  return `promotion ${record.generation} of ${record.node}${record.replid === '-' ? '' : ` (replication id ${record.replid.slice(0, 12)}...)`}`;
}
