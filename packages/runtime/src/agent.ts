import { agentNameProblem } from './agent-name.ts';
import type { MonitorStatus } from './exit-codes.ts';
import type { ParamMap } from './params/declare.ts';
import type { Context } from './context.ts';
import type { Role } from './env/crm-meta.ts';

/** A monitor's answer: a status, or a status with a reason (Pacemaker shows it for degraded). */
export type MonitorResult = MonitorStatus | { code: MonitorStatus; reason: string };

/** Every action but monitor either succeeds or throws an OcfError. */
export type Action<P extends ParamMap> = (ctx: Context<P>) => Promise<void>;
export type MonitorAction<P extends ParamMap> = (ctx: Context<P>) => Promise<MonitorResult>;

/** One `<action>` line of the metadata. Durations as operators write them ("20s"). */
export interface ActionMeta {
  timeout: string;
  interval?: string;
  depth?: number;
  role?: Role;
  startDelay?: string;
}

export interface ActionSpec<F> extends ActionMeta {
  run: F;
  /** Further metadata lines for the same action (role-specific monitors, deeper checks). */
  variants?: ActionMeta[];
}

export interface Actions<P extends ParamMap> {
  start: ActionSpec<Action<P>>;
  stop: ActionSpec<Action<P>>;
  monitor: ActionSpec<MonitorAction<P>>;
  /** Checks the configuration and the node; also run before `start`. */
  'validate-all'?: ActionSpec<Action<P>>;
  promote?: ActionSpec<Action<P>>;
  demote?: ActionSpec<Action<P>>;
  /** Must never fail: the runtime turns any failure into success with a logged warning. */
  notify?: ActionSpec<Action<P>>;
  /** OCF 1.1: apply changed `reloadable` parameters without a restart. */
  'reload-agent'?: ActionSpec<Action<P>>;
  /** Legacy: reload the service's own configuration. */
  reload?: ActionSpec<Action<P>>;
  migrate_to?: ActionSpec<Action<P>>;
  migrate_from?: ActionSpec<Action<P>>;
}

export interface AgentDeclaration<P extends ParamMap> {
  /** Lower case, words separated by dashes: installed as ocf:ocfkit:<name>. */
  name: string;
  /** The agent's own version (metadata `version` attribute). */
  version: string;
  shortdesc: string;
  longdesc: string;
  params: P;
  actions: Actions<P>;
}

export type Agent<P extends ParamMap = ParamMap> = Readonly<AgentDeclaration<P>>;

/** Declare an agent. Checks the declaration itself, so mistakes fail at build and test time. */
export function defineAgent<P extends ParamMap>(declaration: AgentDeclaration<P>): Agent<P> {
  const badName = agentNameProblem(declaration.name);
  if (badName) throw new Error(badName);
  const { promote, demote } = declaration.actions;
  if (Boolean(promote) !== Boolean(demote)) {
    throw new Error(`agent ${declaration.name}: promote and demote go together (OCF)`);
  }
  for (const [name, spec] of Object.entries(declaration.params)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(`parameter '${name}': must be a valid environment name part`);
    }
    if (spec.required && spec.default !== undefined) {
      throw new Error(`parameter ${name}: required parameters have no default`);
    }
    if (typeof spec.default === 'function' && !spec.defaultText) {
      throw new Error(`parameter ${name}: a computed default needs defaultText for the metadata`);
    }
    if (spec.kind === 'path' && typeof spec.default === 'string' && !spec.default.startsWith('/')) {
      throw new Error(`parameter ${name}: the default of a path must be absolute`);
    }
    const target = spec.deprecated?.replacedWith;
    if (target && !(target in declaration.params)) {
      throw new Error(`parameter ${name}: replacedWith names unknown parameter ${target}`);
    }
  }
  return Object.freeze({ ...declaration });
}

/** Any agent, whatever its parameters: for code that only reads the declaration. */
export type AnyAgent = Agent<any>;
