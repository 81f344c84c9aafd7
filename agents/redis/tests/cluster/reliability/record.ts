import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeEvent } from '../probe/protocol.ts';
import type { AgentName } from '../redis-lab.ts';
import type { Fault, ScenarioResult } from '../scenario.ts';

// What one run of one scenario leaves in the results directory: the numbers, and everything the
// watcher saw, so that the document and its pictures can be made again from the records alone.

export interface RunRecord {
  readonly agent: AgentName;
  readonly fault: Fault;
  /** 1-based, per (fault, agent). */
  readonly run: number;
  /** The machine's 1-minute load average when the run started (the lab shares the machine's cores). */
  readonly load?: number;
  /** Set when the run could not be carried out (the lab did not come up, no steady primary...). */
  readonly error?: string;
  readonly result?: Omit<ScenarioResult, 'dir'>;
  /** The watcher's observations (events.jsonl). */
  readonly events: readonly ProbeEvent[];
  /** When each write was acknowledged (WAIT 1 answered >= 1), epoch ms. */
  readonly acks: readonly number[];
}

/** The conditions of a whole run, for the document. */
export interface Conditions {
  readonly started: string;
  readonly finished?: string;
  readonly runsPerRow: number;
  readonly cpus: number;
  readonly node: string;
  readonly versions: Readonly<Record<string, string>>;
}

export const CONDITIONS_FILE = 'conditions.json';

export const recordFile = (fault: Fault, agent: AgentName, run: number) => `${fault}-${agent}-${run}.json`;

export function loadRecords(dir: string): { conditions: Conditions; records: RunRecord[] } {
  const conditions = JSON.parse(readFileSync(join(dir, CONDITIONS_FILE), 'utf8')) as Conditions;
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== CONDITIONS_FILE)
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunRecord);
  return { conditions, records };
}
