import type { Deadline } from './deadline.ts';
import type { CrmMeta } from './env/crm-meta.ts';
import type { Logger } from './log/logger.ts';
import type { ParamMap, Values } from './params/declare.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Everything an action knows about its call. No globals: tests build one with the test kit. */
export interface Context<P extends ParamMap = ParamMap> {
  readonly agent: { readonly name: string; readonly version: string };
  /** The OCF action being run: `start`, `monitor`, `validate-all`... */
  readonly action: string;
  /** Resource id, with a `:N` clone suffix stripped. */
  readonly instance: string;
  /** Parameters, parsed, typed, defaults applied. */
  readonly params: Values<P>;
  /** What Pacemaker said about this call (timeout, interval, probe, clone, notify...). */
  readonly meta: CrmMeta;
  /** OCF_CHECK_LEVEL: 0 unless a deeper monitor was configured. */
  readonly checkLevel: number;
  /** Fires shortly before Pacemaker's timeout: pass it to every wait, request and child. */
  readonly signal: AbortSignal;
  readonly deadline: Deadline;
  readonly log: Logger;
  /**
   * Register a secret found while running (a password read from a file or from the service's
   * configuration): from now on it is masked as `***` in the exit reason, log lines and traces,
   * like the values of parameters declared `secret`. Returns the value.
   */
  secret(value: string): string;
  secret(value: string | undefined): string | undefined;
  /** The raw environment, for what the runtime does not interpret. */
  readonly env: Env;
}
