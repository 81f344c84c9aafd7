import type { RedisInfo } from '../info.ts';

// How much of the replication stream a server holds: its replication id and offset. Offsets are
// comparable only within one history (the same replid): replicas of one primary share its id.
// PAF's protocol, applied to Redis: in the pre-promote notification every replica records its
// position as a private attribute; promote compares its own with the others' before REPLICAOF NO ONE.

export interface Position {
  readonly replid: string;
  readonly offset: number;
  /** Keys held: a replica that never synced still reports an offset (1), but no keys. */
  readonly keys: number;
  /** When it was recorded (epoch ms): values from an older promotion are not evidence. */
  readonly at: number;
}

export function positionOf(info: RedisInfo, now: number): Position | undefined {
  const offset = info.role === 'slave' ? (info.slaveReplOffset ?? info.masterReplOffset) : info.masterReplOffset;
  if (info.masterReplid === undefined || offset === undefined) return undefined;
  return { replid: info.masterReplid, offset, keys: info.keys, at: now };
}

export function formatPosition(position: Position): string {
  return `${position.replid}:${position.offset}:${position.keys}:${position.at}`;
}

export function parsePosition(text: string): Position | undefined {
  const match = /^([0-9a-f]{40}):(\d+):(\d+):(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  return { replid: match[1]!, offset: Number(match[2]), keys: Number(match[3]), at: Number(match[4]) };
}

/** How old a recorded position may be and still count: pre-promote runs seconds before promote. */
export const POSITION_MAX_AGE_MS = 120_000;

export interface Ahead {
  node: string;
  position: Position;
}

/**
 * The peer that holds more of this history than `own`, if any (the furthest ahead). Peers on
 * another history, or with stale or missing records, cannot be compared and are left out.
 */
export function furthestAhead(own: Position, peers: ReadonlyMap<string, string>, candidates: readonly string[], now: number): Ahead | undefined {
  let best: Ahead | undefined;
  for (const node of candidates) {
    const text = peers.get(node);
    const position = text === undefined ? undefined : parsePosition(text);
    if (!position || position.replid !== own.replid || now - position.at > POSITION_MAX_AGE_MS) continue;
    if (position.offset > own.offset && (!best || position.offset > best.position.offset)) best = { node, position };
  }
  return best;
}

/** The private node attribute where each replica records its position (pre-promote). */
export function positionAttribute(ctx: { instance: string }): string {
  return `${ctx.instance}-repl-position`;
}
