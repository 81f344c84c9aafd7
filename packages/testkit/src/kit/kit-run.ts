import { basename, dirname } from 'node:path';
import { ocfCodeName } from '@ocfkit/runtime';
import { promotableMeta } from '../pacemaker-env.ts';
import { runExecutable, type ExecutableOptions, type ExecutableResult } from '../run-executable.ts';
import { createRunCgroup, type RunCgroup } from './cgroup.ts';
import { parseMetadata, type MetadataFacts } from './metadata-facts.ts';
import type { KitOptions } from './types.ts';

/** One call the kit made, kept for the checks that judge every call (stdout, reasons, budgets). */
export interface CallRecord {
  action: string;
  /** What the call was for: `probe with binaries missing`. */
  label: string;
  result: ExecutableResult;
  budgetMs: number;
  /** Calls where printing usage on stdout or failing without a reason is the convention (unknown action). */
  exempt?: boolean;
}

export interface KitCallOptions extends ExecutableOptions {
  label?: string;
  exempt?: boolean;
}

/** The state one run of the checks shares: the agent, its metadata, every call made so far. */
export class KitRun {
  readonly options: KitOptions;
  readonly calls: CallRecord[] = [];
  metadata: MetadataFacts = { parameters: [], actions: [] };
  metadataXml = '';
  /** The run's cgroup, or why there is none. */
  cgroup: RunCgroup | string = 'not prepared';

  constructor(options: KitOptions) {
    this.options = options;
  }

  get agentName(): string {
    return this.options.agentName ?? basename(this.options.executable);
  }

  get timeoutMs(): number {
    return this.options.timeoutMs ?? 20_000;
  }

  /** Read the metadata once (as Pacemaker asks for it) and make the run's cgroup. */
  async prepare(): Promise<void> {
    this.cgroup = createRunCgroup(this.agentName.replace(/[^\w-]/g, '_'));
    const result = await this.call('meta-data', { label: 'meta-data (to learn the actions and parameters)', params: {} });
    this.metadataXml = result.stdout;
    this.metadata = parseMetadata(result.stdout);
  }

  /** Stop the resource and kill whatever this run started and left behind. */
  async finish(): Promise<void> {
    await this.call('stop', { label: 'clean-up stop' }).catch(() => undefined);
    if (typeof this.cgroup !== 'string') this.cgroup.dispose();
  }

  advertises(action: string): boolean {
    return this.metadata.actions.includes(action);
  }

  required(): string[] {
    return this.metadata.parameters.filter((p) => p.required).map((p) => p.name);
  }

  /** Run one action as pacemaker-execd would, killed (SIGKILL) when its CRM_meta_timeout runs out. */
  async call(action: string, extra: KitCallOptions = {}): Promise<ExecutableResult> {
    const { label, exempt, ...options } = extra;
    const budgetMs = options.timeoutMs ?? this.timeoutMs;
    const result = await runExecutable(this.options.executable, action, {
      agentName: this.agentName,
      instance: this.options.instance ?? 'kit-test',
      killAfterMs: budgetMs,
      cgroupProcs: typeof this.cgroup === 'string' || options.uid !== undefined ? undefined : this.cgroup.procs,
      ...options,
      timeoutMs: budgetMs,
      params: options.params ?? this.options.params(),
      meta: { ...(this.options.promotable ? promotableMeta() : {}), ...options.meta },
      env: { OCF_RESOURCE_PROVIDER: this.options.provider ?? basename(dirname(this.options.executable)), ...this.options.env?.(), ...options.env },
    });
    this.calls.push({ action, label: label ?? action, result, budgetMs, exempt });
    return result;
  }
}

/** `exit 7 (OCF_NOT_RUNNING), reason "..."`: a call's outcome in words. */
export function describeResult(result: ExecutableResult): string {
  if (result.signal) return `killed by ${result.signal} after ${result.wallMs} ms`;
  const parts = [`exit ${result.code} (${ocfCodeName(result.code ?? -1)})`];
  if (result.reason !== undefined) parts.push(`reason "${result.reason}"`);
  return parts.join(', ');
}

/** The tail of stderr, for when the exit code alone does not explain a failure. */
export function stderrTail(result: ExecutableResult, chars = 300): string {
  const text = result.stderr.trim();
  return text.length > chars ? `...${text.slice(-chars)}` : text;
}
