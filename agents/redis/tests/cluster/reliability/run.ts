import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '../../../../../tools/cluster-lab/src/lab.ts';
import { EVENTS_FILE, type ProbeEvent } from '../probe/protocol.ts';
import { describeResult } from '../report.ts';
import { RedisLab, type AgentName } from '../redis-lab.ts';
import { failover, type Fault } from '../scenario.ts';
import { CONDITIONS_FILE, recordFile, type Conditions, type RunRecord } from './record.ts';

// The side-by-side run: every scenario, for every agent, on a fresh 3-node lab each time (a run
// never inherits what the previous one left), scenario by scenario so that an interrupted run
// still compares the agents on what it got through. Each run leaves a record (record.ts).

export const FAULTS: readonly Fault[] = ['kill', 'crash', 'freeze', 'isolate', 'split'];
export const AGENTS: readonly AgentName[] = ['ocfkit', 'heartbeat', 'sentinel'];

/** A corosync freeze is a Pacemaker fault: under Sentinel, corosync carries nothing. */
export const applies = (fault: Fault, agent: AgentName) => !(fault === 'split' && agent === 'sentinel');

export interface SideBySideOptions {
  readonly out: string;
  readonly runs: number;
  readonly faults: readonly Fault[];
  readonly agents: readonly AgentName[];
  /** The bundled probe (probe/main.ts), in a directory every node sees. */
  readonly probe: string;
  /** The ocfkit agents to mount in the nodes (dist/resource.d/ocfkit). */
  readonly agentsDir: string;
  /** Lab names are PREFIX + a number; temporary directories /tmp/PREFIX-reliability-*. */
  readonly labPrefix: string;
}

function version(cmd: string, args: string[], pattern: RegExp): string {
  try {
    return pattern.exec(execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

function conditions(runs: number): Conditions {
  return {
    started: new Date().toISOString(),
    runsPerRow: runs,
    cpus: cpus().length,
    node: process.version,
    versions: {
      pacemaker: version('pacemakerd', ['--version'], /Pacemaker (\S+)/),
      corosync: version('corosync', ['-v'], /version '([^']+)'/),
      'redis-server': version('redis-server', ['--version'], /v=(\S+)/),
      'resource-agents': version('dpkg-query', ['-W', '-f', '${Version}', 'resource-agents'], /(\S+)/),
    },
  };
}

function readEvents(dir: string): ProbeEvent[] {
  const file = join(dir, EVENTS_FILE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ProbeEvent);
}

function readAcks(dir: string): number[] {
  const file = join(dir, 'acks.txt');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => Number(line.split(' ')[1]));
}

async function once(options: SideBySideOptions, work: string, fault: Fault, agent: AgentName, run: number, labName: string): Promise<RunRecord> {
  let lab: Lab | undefined;
  const load = loadavg()[0];
  try {
    lab = await startLab({ nodes: 3, agentsDir: options.agentsDir, name: labName });
    // a directory per run: the watcher's and the writer's files of one run only
    const dir = join(work, labName);
    mkdirSync(dir);
    const redis = new RedisLab(lab, agent, dir, options.probe);
    await redis.deploy();
    const { dir: watched, ...result } = await failover(redis, fault, lab.nodeNames);
    console.log(describeResult({ dir: watched, ...result }));
    return { agent, fault, run, load, result, events: readEvents(watched), acks: readAcks(watched) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.log(`${fault} ${agent} run ${run}: not carried out: ${message}`);
    return { agent, fault, run, load, error: message, events: [], acks: [] };
  } finally {
    await lab?.down().catch((error: unknown) => console.log(`lab ${labName}: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/** Runs everything asked, writing one record per run into `options.out` as it goes. */
export async function sideBySide(options: SideBySideOptions): Promise<void> {
  mkdirSync(options.out, { recursive: true });
  // a directory's records are one run's: the document is made from all of them
  for (const f of readdirSync(options.out)) if (f.endsWith('.json')) rmSync(join(options.out, f));
  const stated = conditions(options.runs);
  writeFileSync(join(options.out, CONDITIONS_FILE), `${JSON.stringify(stated, null, 2)}\n`);
  // under /tmp: the nodes share the host's /tmp (not its /run); the watcher and the writer meet there
  const work = mkdtempSync(`/tmp/${options.labPrefix}-reliability-`);
  let labs = 0;
  try {
    for (const fault of options.faults) {
      for (const agent of options.agents.filter((a) => applies(fault, a))) {
        for (let run = 1; run <= options.runs; run += 1) {
          labs += 1;
          console.log(`${new Date().toISOString()} ${fault} / ${agent} / run ${run} of ${options.runs}`);
          const record = await once(options, work, fault, agent, run, `${options.labPrefix}rel${labs}`);
          writeFileSync(join(options.out, recordFile(fault, agent, run)), `${JSON.stringify(record)}\n`);
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    writeFileSync(join(options.out, CONDITIONS_FILE), `${JSON.stringify({ ...stated, finished: new Date().toISOString() }, null, 2)}\n`);
  }
}
