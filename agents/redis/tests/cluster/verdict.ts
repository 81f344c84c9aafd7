import { PORT } from './redis-lab.ts';
import { ENDS, type ScenarioResult } from './scenario.ts';
import type { ProbeNode } from './probe/protocol.ts';

// What a fault scenario must end with, whatever manages Redis: exactly one primary, not the node
// hit by the fault; every surviving replica linked to it; the manager's view saying so (crm_mon, or
// every Sentinel naming it); after a fault that ends, the primary promoted meanwhile (or a replica
// holding its data) still the primary and every node linked to it; no acknowledged write lost.
// The faults test asserts it for ocfkit; the side-by-side run reports it for every agent.

/** Writes acknowledged before the fault, so that there was something to lose. */
export const MIN_WRITES_BEFORE = 20;

/** What is wrong with a run's end state and writes; empty when it held. */
export function verdict(r: Omit<ScenarioResult, 'dir'>, nodes: readonly ProbeNode[]): string[] {
  const wrong: string[] = [];
  const hostOf = (node: string | undefined) => nodes.find((n) => n.name === node)?.host;
  const t = r.timeline;
  if (t.problems.length > 0) wrong.push(`after the fault: ${t.problems.join('; ')}`);
  // a killed server restarted by Pacemaker is empty (no snapshots): promoting it would drop every write
  if (t.primary === r.oldPrimary) wrong.push(`the faulty ${r.oldPrimary} stayed the primary`);
  const end = r.rejoin;
  if (ENDS.has(r.fault)) {
    if (!end) wrong.push('no state after the end of the fault');
    else {
      if (end.problems.length > 0) wrong.push(`after the end of the fault: ${end.problems.join('; ')}`);
      // the stale primary never wins; the one promoted meanwhile stays, or (when Pacemaker demoted
      // it first: see the redis README, Partitions) a replica holding its data is promoted after it
      if (end.primary === r.oldPrimary) wrong.push(`after the end of the fault the stale ${r.oldPrimary} is the primary again`);
      // the problems already name each node that is not linked, when there is a primary to link to
      for (const node of end.problems.length > 0 ? [] : nodes.map((n) => n.name).filter((n) => n !== end.primary)) {
        const view = end.end[node];
        // heartbeat/redis points replicas at node names, the others at addresses
        if (!(view?.role === 'slave' && view.link === 'up' && (view.masterHost === hostOf(end.primary) || view.masterHost === end.primary) && view.masterPort === PORT)) {
          wrong.push(`${node} is not a linked replica of ${end.primary ?? 'the primary'}: ${JSON.stringify(view)}`);
        }
      }
    }
  }
  if (!r.keys) wrong.push('no primary to check the writes on');
  else {
    if (r.keys.missing > 0) wrong.push(`${r.keys.missing} of ${r.keys.acknowledged} acknowledged writes lost (${r.keys.examples.join(', ')})`);
    if (r.keys.acknowledgedBeforeFault < MIN_WRITES_BEFORE) wrong.push(`only ${r.keys.acknowledgedBeforeFault} writes acknowledged before the fault`);
  }
  return wrong;
}
