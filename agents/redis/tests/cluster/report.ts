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
export const AGENT_NAME = { ocfkit: 'ocfkit', heartbeat: 'heartbeat/redis', sentinel: 'Redis Sentinel' } as const;

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
    ? `; after the end of the fault: ${back.primary ?? 'no primary'} primary (${back.primary === t.primary ? 'kept' : 'changed'}), all ${back.problems.length === 0 ? '' : 'not '}linked ${seconds(back.linkedAfterMs)}, ${r.agent === 'sentinel' ? 'Sentinels agree' : 'crm_mon settled'} ${seconds(back.crmSettledAfterMs)}` +
      (back.problems.length > 0 ? `; at the end: ${back.problems.join('; ')}` : '')
    : '';
  const detected = r.agent === 'sentinel' ? '' : `failure seen by Pacemaker ${seconds(t.detectedAfterMs)}, `;
  const view = r.agent === 'sentinel' ? 'named by the Sentinels' : 'crm_mon';
  return (
    `failover ${FAULT_NAME[r.fault]} (${AGENT_NAME[r.agent]}): ${r.oldPrimary} -> ${t.primary ?? 'no primary'}, ` +
    `${detected}new primary ${seconds(t.primaryAfterMs)} (${view} ${seconds(t.crmPromotedAfterMs)}), replicas linked ${seconds(t.linkedAfterMs)}, ` +
    `${t.promotions} promotion${t.promotions === 1 ? '' : 's'}${problems}${rejoin}, ${lost(r)}`
  );
}
