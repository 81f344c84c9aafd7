import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { LoopStats } from '../probe/protocol.ts';
import { AGENT_NAME, FAULT_NAME } from '../report.ts';
import { managerOf } from '../redis-lab.ts';
import { ENDS, GIVE_UP_MS, type Fault } from '../scenario.ts';
import { DOWN_AFTER_MS } from '../sentinel.ts';
import { twoMasters } from '../timeline.ts';
import { verdict } from '../verdict.ts';
import { loadRecords, type Conditions, type RunRecord } from './record.ts';
import { AGENTS, applies, FAULTS } from './run.ts';
import { timelineSvg } from './svg.ts';

// docs/reliability.md and docs/reliability/<fault>.svg, from the records of a side-by-side run and
// nothing else: `npm run reliability -- docs DIR` makes the same document from the same records.

const DOC = 'docs/reliability.md';
const PICTURES = 'docs/reliability';

const WHAT: Record<Fault, string> = {
  kill: "`kill -9` of the primary's redis-server",
  crash: "Crash of the primary's node (SIGKILL of every process in it)",
  freeze: "Freeze of the primary's node (SIGSTOP of every process in it, a hung VM), thawed once the others have settled",
  isolate: "Isolation of the primary's node (its link down), healed once the others have settled",
  'isolate-nft': "Isolation of the primary's node (nftables drops), healed once the others have settled",
  split: "Freeze of only the primary node's corosync (its Pacemaker and Redis go on, unaware: a split brain without fencing), thawed once the others have settled",
};

const EXPECTED: Record<Fault, string> = {
  kill: 'a replica promoted (the restarted server is empty), the others linked to it, nothing acknowledged lost',
  crash: 'a replica promoted, the other linked to it, nothing acknowledged lost',
  freeze: 'a replica promoted; after the thaw it stays primary (or a replica holding its data does) and the stale one resyncs from it; nothing acknowledged lost',
  isolate: 'as for a freeze, after the heal',
  'isolate-nft': 'as for a freeze, after the heal',
  split: 'as for a freeze, after the thaw; never two primaries once the cluster has quorum again',
};

/** The table's short form of EXPECTED. */
const EXPECTED_SHORT: Record<Fault, string> = {
  kill: 'another node primary, all linked, 0 lost',
  crash: 'another node primary, all linked, 0 lost',
  freeze: 'another node primary and kept after the thaw, all linked, 0 lost',
  isolate: 'another node primary and kept after the heal, all linked, 0 lost',
  'isolate-nft': 'another node primary and kept after the heal, all linked, 0 lost',
  split: 'another node primary and kept after the thaw, all linked, 0 lost',
};

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

const NEVER = `not within ${GIVE_UP_MS / 1000} s`;

/** "4.2 s", "4.2 s (3.9-4.8)" over several runs, "not within 45 s" (in 1 of 2) for runs that did not get there. */
function spread(values: ReadonlyArray<number | undefined>): string {
  const got = values.filter((v): v is number => v !== undefined);
  if (got.length === 0) return NEVER;
  const range = got.length > 1 ? ` (${s(Math.min(...got)).replace(' s', '')}–${s(Math.max(...got))})` : '';
  const missing = values.length - got.length;
  return `${s(median(got))}${range}${missing > 0 ? `, ${NEVER} in ${missing} of ${values.length}` : ''}`;
}

function nodesOf(record: RunRecord) {
  const names = [...new Set(record.events.flatMap((e) => (e.kind === 'redis' ? [e.node] : [])))].sort();
  return names.map((name) => ({ name, host: `198.18.0.${name.replace(/\D/g, '')}` }));
}

/** The end of what a record watched: its last observation. */
const lastSeen = (r: RunRecord) => Math.max(...r.events.map((e) => e.t), ...r.acks, r.result?.faultAt ?? 0);

function row(fault: Fault, agent: RunRecord['agent'], runs: RunRecord[]): string {
  const done = runs.filter((r) => r.result !== undefined);
  const cells = [FAULT_NAME[fault], AGENT_NAME[agent], EXPECTED_SHORT[fault], `${done.length}${done.length < runs.length ? ` (+${runs.length - done.length} not carried out)` : ''}`];
  if (done.length === 0) return `| ${cells.join(' | ')} | not carried out: ${runs.map((r) => r.error).join('; ').replace(/\|/g, '\\|')} | | | | | | |`;
  const observed = done.map((r) => {
    const wrong = verdict(r.result!, nodesOf(r));
    // the missing keys' names are for a failing test's message, not for the table
    return wrong.length === 0 ? 'held' : wrong.join('; ').replace(/ \(k\d+(, k\d+)*\)/g, '');
  });
  const same = observed.every((o) => o === observed[0]);
  const results = done.map((r) => r.result!);
  const ends = ENDS.has(fault);
  const lost = results.map((r) => (r.keys ? `${r.keys.missing} of ${r.keys.acknowledged}` : 'not checked (no primary)')).join(', ');
  const shown = (ms: number) => (ms === 0 ? 'never' : s(ms));
  // during the fault, and after its end (when the cluster has its quorum again) apart
  const overlap = done.map((r) => {
    const { faultAt, endedAt } = r.result!;
    const during = twoMasters(r.events, faultAt, endedAt ?? lastSeen(r)).totalMs;
    return endedAt === undefined ? shown(during) : `${shown(during)} / ${shown(twoMasters(r.events, endedAt, lastSeen(r)).totalMs)}`;
  });
  cells.push(
    (same ? observed[0]! : observed.map((o, i) => `run ${i + 1}: ${o}`).join('<br>')).replace(/\|/g, '\\|'),
    spread(results.map((r) => r.timeline.primaryAfterMs)),
    spread(results.map((r) => r.timeline.crmPromotedAfterMs)),
    spread(results.map((r) => r.timeline.linkedAfterMs)),
    ends ? spread(results.map((r) => r.rejoin?.linkedAfterMs)) : '–',
    lost,
    overlap.join(', '),
  );
  return `| ${cells.join(' | ')} |`;
}

/** The watcher's real resolution over all records: the median and the worst 95th percentile per kind of loop. */
function resolution(records: RunRecord[]): string {
  const loops = new Map<string, LoopStats[]>();
  for (const r of records) {
    for (const [loop, stats] of Object.entries(r.result?.stats ?? {})) {
      const kind = loop.startsWith('redis') ? 'Redis (each node)' : loop === 'crm' ? 'crm_mon' : 'Sentinels';
      loops.set(kind, [...(loops.get(kind) ?? []), stats]);
    }
  }
  return [...loops]
    .map(([kind, stats]) => `${kind}: a sample every ${Math.round(median(stats.map((x) => x.medianMs)))} ms (median), 95% within ${Math.max(...stats.map((x) => x.p95Ms))} ms, longest gap ${Math.max(...stats.map((x) => x.maxMs))} ms`)
    .join('; ');
}

function conditionsText(c: Conditions, records: RunRecord[]): string {
  const loads = records.map((r) => r.load).filter((l): l is number => l !== undefined);
  const load = loads.length > 0 ? `; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} at the start of the runs (other work shared the machine)` : '';
  const v = c.versions;
  return [
    `- Measured ${c.started.slice(0, 16).replace('T', ' ')}–${(c.finished ?? '?').slice(11, 16)} UTC on **one machine** with **${c.cpus} cores**${load}.`,
    `- Each run on a fresh 3-node cluster of tools/cluster-lab: every node a set of Linux namespaces on that one machine (network, mount, UTS), a bridge between them, no real network, all nodes sharing the CPUs.`,
    `- Pacemaker ${v.pacemaker}, Corosync ${v.corosync} (knet, token 1000 ms), redis-server ${v['redis-server']}, resource-agents ${v['resource-agents']}, Node ${c.node}.`,
    '- **No fencing** (`stonith-enabled=false`), `no-quorum-policy=stop`. Without fencing nothing stops a node cut off from the others from serving clients: see the redis README ([Partitions and split brain](../agents/redis/README.md#partitions-and-split-brain)) for what holds without it and what needs it.',
    '- Pacemaker clones (ocfkit and heartbeat/redis): the same redis.conf (no snapshots, a password), the same `pcs resource create ... promotable notify=true`, monitors every 5 s (Promoted) and 6 s (Unpromoted).',
    `- Redis Sentinel: Debian's redis-sentinel, one per node, quorum 2, \`down-after-milliseconds ${DOWN_AFTER_MS}\` (the Promoted monitor interval), everything else its default (failover-timeout 180 s, parallel-syncs 1); plain redis-server instances with the same redis.conf, Pacemaker running but managing nothing. Nothing restarts a killed server under Sentinel.`,
    '- The writer (`agents/redis/tests/cluster/writer/writer.py`, Debian\'s python3-redis, not our code) writes to whichever server answers role:master with the most replicas, and counts a write as acknowledged only when `WAIT 1` says a replica has it. After the run every acknowledged key is read back from the final primary. It runs beside the watcher, in a node the fault does not touch: it reaches an isolated primary no more than the cluster does (clients on the minority side of a partition, which Jepsen\'s Sentinel test had, are not modelled); in the corosync-only freeze the stale primary stays reachable, and the writer may write to it.',
    `- **${c.runsPerRow} run(s) per row** (each row of the table is that many runs, not an average over many): the times say what happened here, not a distribution. The fault falls at a random moment of the monitor interval (0–6 s after the writes start).`,
  ].join('\n');
}

export function writeDocument(dir: string, root: string): void {
  const { conditions, records } = loadRecords(dir);
  const pictures = join(root, PICTURES);
  mkdirSync(pictures, { recursive: true });
  for (const f of readdirSync(pictures)) if (f.endsWith('.svg')) rmSync(join(pictures, f));
  const faults = FAULTS.filter((f) => records.some((r) => r.fault === f));
  const rows: string[] = [];
  const sections: string[] = [];
  for (const fault of faults) {
    const panels: Array<{ record: RunRecord; title: string }> = [];
    for (const agent of AGENTS.filter((a) => applies(fault, a))) {
      const runs = records.filter((r) => r.fault === fault && r.agent === agent).sort((a, b) => a.run - b.run);
      if (runs.length === 0) continue;
      rows.push(row(fault, agent, runs));
      const shown = runs.find((r) => r.result !== undefined);
      if (shown) panels.push({ record: shown, title: `${AGENT_NAME[agent]} (run ${shown.run}): ${shown.result!.oldPrimary} hit` });
    }
    if (panels.length === 0) continue;
    writeFileSync(join(pictures, `${fault}.svg`), timelineSvg(panels));
    sections.push(`### ${FAULT_NAME[fault]}\n\n${WHAT[fault]}. Expected: ${EXPECTED[fault]}.\n\n![${FAULT_NAME[fault]}: timelines](reliability/${fault}.svg)\n`);
  }
  const inTree = relative(root, resolve(dir));
  const where = inTree.startsWith('..') ? 'RECORDS_DIR' : inTree;
  const text = `# Reliability: the redis agent under faults, side by side

<!-- Generated by \`npm run reliability -- docs ${where}\` from the records of \`npm run reliability -- run\`: do not edit by hand. -->

ocf:ocfkit:redis, the stock ocf:heartbeat:redis and Redis Sentinel, each under the same faults on the
same lab, while an independent client writes and counts what was acknowledged. A watcher in the lab
(\`agents/redis/tests/cluster/probe/\`, run in a node the fault does not touch: one of the replicas')
records what clients see (who answers, as what, replicating from whom: \`INFO replication\` of every
server over the lab network) and what the manager claims (\`crm_mon\` of that node, or the master each
Sentinel names), each change stamped with the wall clock the fault commands also use; the table and
the pictures are made from its records.

## Conditions

${conditionsText(conditions, records)}

## Results

Times are from the fault (the moment the fault command acted) until the state held for good; the
run waits ${GIVE_UP_MS / 1000} s for the cluster to settle after the fault (and again after its end), and what
was not reached by then is "${NEVER}".
*New primary*: a surviving server answers role:master and keeps doing so. *Manager agrees*: crm_mon
shows it, and only it, Promoted (Sentinel: every answering Sentinel names it). *All linked*: every
surviving replica reports \`master_link_status:up\` to it. *Linked after the end*: for faults that
end (thaw, heal), from the end of the fault until every node, the returning one included, is a
linked replica of one primary. *Two masters visible*: how long two servers answered role:master to the
watcher at once (what a client picking any master could have written to), from the fault to its
end / from its end to the end of the run. *Observed* is checked against *expected* (in full below each picture) by the same
code that grades the CI tests (\`agents/redis/tests/cluster/verdict.ts\`).

| scenario | agent | expected | runs | observed | new primary | manager agrees | all linked | linked after the end | acknowledged writes lost | two masters visible |
|---|---|---|---:|---|---|---|---|---|---|---|
${rows.join('\n')}

The watcher's real resolution in these runs: ${resolution(records)}. crm_mon is run in a loop of
its own, as fast as it answers (each sample stamped when it answered); its exec takes most of that
time on this machine, so crm_mon's view is known to within that gap. A server that answers is
sampled at the median rate; one that does not (frozen, isolated, dead) costs each poll its timeout
(300 ms to connect, 1 s for a reply), which is where the long gaps of the Redis and Sentinel loops
come from: a frozen node's return is known to within about a second, every answering server's
state to within about 100 ms.

## Timelines

One run per agent (the first), on one time axis from the fault. For each node: what its Redis
answered (primary; replica and of whom; link down; no answer) and, in the thin lane under it, what
the manager said of it; below, the writes acknowledged; in red, when two servers answered role:master.

${sections.join('\n')}
## Known gaps

- kill -9 of the primary's server: Pacemaker recovers the failed instance where it failed (stop,
  start) and orders the promotion of another after that instance's start, so the new primary waits
  for a restart that is of no use to it (Sentinel restarts nothing). In this run the dead
  primary also kept its promotion score, so Pacemaker first planned to promote it again (demote,
  stop, start), and only the next transition promoted a replica: 16.3 s under load. Since then the
  monitor withdraws the score of a primary whose server is gone before it answers 7; one rerun of
  this row afterwards (load average 3) had the new primary at 8.0 s (failure seen at 3.7 s), in the
  first transition. The restart in between is Pacemaker's order; \`migration-threshold=1\` on the
  clone skips it, at the cost of that node's replica until a cleanup.
- After a heal, Pacemaker sometimes demotes the newest primary first and promotes a replica that
  holds its data (nothing acknowledged is lost, but the primary moves once more than needed).
- The failover during a split brain can take 20–43 s under load instead of about 5: a replica a
  few bytes ahead of the one Pacemaker picked makes the promote refuse (and raise the other's
  score), then Pacemaker retries with the better one. Meanwhile the replicas follow no primary, and
  nothing can be acknowledged (the gap in the writes of the split-brain picture).
- After a thaw, the stale primary answers role:master until Pacemaker, which hears from its node
  again, demotes it (*two masters visible* after the end). Without a replica it acknowledges no
  \`WAIT 1\`, so nothing acknowledged is lost; a client that does not wait for a replica could
  write to it in those seconds and lose the write. The agent's isolation guard
  (\`isolation_guard=true\`: \`min-replicas-to-write 1\`, see the redis README) makes such a primary
  refuse writes once no replica has acknowledged it for \`isolation_guard_max_lag\`. It was off here.
- Everything here is without fencing. With fencing, a node cut off from the others is powered off
  before anything is promoted elsewhere, and the two-masters periods of a partition cannot happen.
- Few runs per row, on a shared 2-core machine: the times vary by a few seconds between runs and
  with the moment the fault falls in the monitor interval.

## Running it

\`\`\`sh
node tools/bundle/src/cli.mjs redis                  # the agent as the nodes will run it
npm run reliability -- run --runs 1 --out docs/reliability/records   # as root; every scenario, every agent
npm run reliability -- docs docs/reliability/records                  # this document and its pictures again
\`\`\`

\`run\` takes two to four minutes per scenario run (a fresh lab each time, and up to 45 s of waiting
twice for a cluster that does not settle), so the whole battery with one run per row about 40 minutes
on this machine. The records used here are committed in \`docs/reliability/records/\`. The records (one JSON file per run: the numbers and everything
the watcher saw) go to \`--out DIR\` (\`--faults\`, \`--agents\` and \`--runs\` choose what to run);
\`run\` then writes this document from them. The CI tests
(\`agents/redis/tests/cluster/\`) assert ocfkit's end states on the same scenarios.
`;
  writeFileSync(join(root, DOC), text);
  console.log(`wrote ${DOC} and ${faults.length} picture(s) in ${PICTURES}/ from ${records.length} record(s) in ${dir}`);
}
