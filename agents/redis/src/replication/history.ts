import type { RedisInfo } from '../info.ts';

// Redis's own record of where its data came from. Every promotion (REPLICAOF NO ONE) starts a new
// replication id and keeps the previous one as master_replid2, valid up to second_repl_offset;
// replicas take both over from their primary when they sync. So a server "holds" the history of
// a promotion when its master_replid is that promotion's id (it is that primary, or replicates
// from it), or its master_replid2 is (it continued that history after a later promotion). A
// server that holds neither never saw the writes made after that promotion.

export interface History {
  readonly replid?: string;
  readonly replid2?: string;
  /** Where replid2's history ends (-1: none). */
  readonly secondOffset?: number;
}

const NO_ID = '0000000000000000000000000000000000000000';

export function historyOf(info: RedisInfo): History {
  const replid2 = info.fields.get('master_replid2');
  const second = Number(info.fields.get('second_repl_offset'));
  return {
    replid: info.masterReplid,
    replid2: replid2 === undefined || replid2 === NO_ID ? undefined : replid2,
    secondOffset: Number.isFinite(second) ? second : undefined,
  };
}

export function holdsHistory(history: History, replid: string): boolean {
  return history.replid === replid || (history.replid2 === replid && (history.secondOffset ?? -1) >= 0);
}
