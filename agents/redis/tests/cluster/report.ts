import type { Fault, ScenarioResult } from './scenario.ts';

// The numbers as one line each, for the test output and the README.

export const FAULT_NAME: Record<Fault, string> = {
  kill: 'kill -9',
  crash: 'node crash',
  freeze: 'node freeze',
  isolate: 'isolation (link down)',
  'isolate-nft': 'isolation (nftables)',
  split: 'corosync freeze (split brain)',
};
const AGENT_NAME = { ocfkit: 'ocfkit', heartbeat: 'heartbeat/redis' } as const;

const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

function lost(r: ScenarioResult): string {
  if (!r.keys) return `${r.writer.acknowledged} writes acknowledged, none checked (no primary)`;
  const k = r.keys;
  return `${k.missing} of ${k.acknowledged} acknowledged writes lost (${k.missingBeforeFault} of the ${k.acknowledgedBeforeFault} acknowledged before the fault)`;
}

/** "failover kill -9 (ocfkit): node1 -> node2, new primary 3.7 s (crm_mon 3.9 s), replicas linked 4.1 s, 1 promotion, 0 of 412 acknowledged writes lost" */
export function describeResult(r: ScenarioResult): string {
  const t = r.timeline;
  const problems = t.problems.length > 0 ? `; at the end: ${t.problems.join('; ')}` : '';
  const back = r.rejoin;
  const rejoin = back
    ? `; after the end of the fault: ${back.primary ?? 'no primary'} primary (${back.primary === t.primary ? 'kept' : 'changed'}), all ${back.problems.length === 0 ? '' : 'not '}linked ${seconds(back.linkedAfterMs)}, crm_mon settled ${seconds(back.crmSettledAfterMs)}` +
      (back.problems.length > 0 ? `; at the end: ${back.problems.join('; ')}` : '')
    : '';
  return (
    `failover ${FAULT_NAME[r.fault]} (${AGENT_NAME[r.agent]}): ${r.oldPrimary} -> ${t.primary ?? 'no primary'}, ` +
    `failure seen by Pacemaker ${seconds(t.detectedAfterMs)}, new primary ${seconds(t.primaryAfterMs)} (crm_mon ${seconds(t.crmPromotedAfterMs)}), replicas linked ${seconds(t.linkedAfterMs)}, ` +
    `${t.promotions} promotion${t.promotions === 1 ? '' : 's'}${problems}${rejoin}, ${lost(r)}`
  );
}

function summary(r: ScenarioResult | undefined): string {
  if (!r) return 'not measured';
  const t = r.timeline;
  const where = t.primary === r.oldPrimary ? ' (same node)' : '';
  return `new primary ${seconds(t.primaryAfterMs)}${where}, replicas linked ${seconds(t.linkedAfterMs)}, lost ${r.keys ? `${r.keys.missing}/${r.keys.acknowledged}` : '?'} acknowledged writes`;
}

/** "failover kill -9: ocfkit new primary 3.7 s, ... | heartbeat/redis new primary 8.1 s, ..." */
export function sideBySide(fault: Fault, ours: ScenarioResult | undefined, stock: ScenarioResult | undefined): string {
  return `failover ${FAULT_NAME[fault]}: ocfkit ${summary(ours)} | heartbeat/redis ${summary(stock)}`;
}
