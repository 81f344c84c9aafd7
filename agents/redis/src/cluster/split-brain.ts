import type { PromotionRecord } from './promotion-record.ts';
import type { Transition } from './transition.ts';
import { describeRecord } from './promotion-record.ts';

// After a partition heals without fencing, Pacemaker can find two promoted instances: the one the
// quorate side promoted (recorded in the CIB, whose copy wins the merge), and a stale one that
// never learnt it was replaced (its node's corosync was frozen, the whole node hung). Redis would
// happily resynchronise the newer primary from the stale one and discard every write acknowledged
// in between. These rules keep the newest promotion's data, whatever Pacemaker decides first.

/** For a running primary: the newer promotion that replaced it, if the cluster recorded one. */
export function replacedBy(record: PromotionRecord | undefined, node: string): PromotionRecord | undefined {
  return record !== undefined && record.node !== node ? record : undefined;
}

/** Why the primary that replaced this one makes it a failed primary (the monitor's exit reason). */
export function replacedReason(record: PromotionRecord, node: string): string {
  return `this primary on ${node} is stale: the cluster promoted ${record.node} after it (${describeRecord(record)}), while ${node} was cut off; its writes since then are not replicated and will be discarded when it resynchronises from ${record.node}`;
}

/**
 * For a replica told to follow `primary`: the newer promotion that following it would throw away,
 * if any. Only while the node recorded as promoted last still runs an instance (its data is still
 * there to keep); once it is gone, following whoever Pacemaker promoted is all there is to do.
 */
export function staleTarget(record: PromotionRecord | undefined, primary: string, transition: Transition | undefined): PromotionRecord | undefined {
  if (record === undefined || record.node === primary) return undefined;
  const running = transition === undefined ? [] : [...transition.active, ...transition.promoted, ...transition.unpromoted];
  return running.includes(record.node) ? record : undefined;
}

export function refusalReason(record: PromotionRecord, primary: string): string {
  return `not following ${primary}: ${record.node} was promoted after it (${describeRecord(record)}); following ${primary} would discard the writes made on ${record.node}. Waiting for Pacemaker to demote ${primary}`;
}
