import type { Params } from '../pacemaker-env.ts';
import type { KitRun } from './kit-run.ts';

/** What a check found: whether it holds, and what was seen, in words an agent author can act on. */
export interface Verdict {
  ok: boolean;
  observed: string;
}

/** One rule of the OCF contract, as data: what it expects and how to observe it. */
export interface Check {
  /** Stable id, used in JSON reports and by tests: `probe-stopped`. */
  id: string;
  title: string;
  /** What a conforming agent does, in words. */
  expected: string;
  /** Why this check does not apply to this agent (an action it does not advertise), or undefined. */
  skip?: (run: KitRun) => string | undefined;
  run: (run: KitRun) => Promise<Verdict>;
}

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  expected: string;
  observed: string;
}

export interface KitReport {
  agent: string;
  checks: CheckResult[];
  summary: Record<CheckStatus, number>;
}

/** Parameters under which start cannot succeed, and what its exit reason must then say. */
export interface NeverStarts {
  params: () => Params;
  /** The exit reason must match (say what went wrong); any reason when absent. */
  reason?: RegExp;
  /** CRM_meta_timeout of that start (default 4000 ms: an agent that waits out its budget shows it quickly). */
  budgetMs?: number;
}

export interface KitOptions {
  /** The agent executable, any language. */
  executable: string;
  /** Parameters of an instance that works on this machine (`-o key=value`). */
  params: () => Params;
  /** OCF_RESOURCE_TYPE (default: the file's name) and OCF_RESOURCE_PROVIDER (default: its directory's). */
  agentName?: string;
  provider?: string;
  /** OCF_RESOURCE_INSTANCE of every call (default `kit-test`). */
  instance?: string;
  /** Extra environment for every call (a PATH with fake cluster tools, say). */
  env?: () => Record<string, string>;
  /** Run as an instance of a promotable clone: promote/demote pairs, monitor 8. */
  promotable?: boolean;
  /** Run the deadline check with these parameters. */
  neverStarts?: NeverStarts;
  /** Describe what of the resource still runs after the final stop, on top of the kit's own cgroup tracking. */
  leftovers?: () => Promise<string[]>;
  /** CRM_meta_timeout of each lifecycle action in ms (default 20000); the agent is SIGKILLed when it runs out. */
  timeoutMs?: number;
  /** Also run resource-agents' ocf-tester (default true). */
  ocfTester?: boolean;
}
