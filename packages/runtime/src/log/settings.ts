// What one call logs and where, read once from the environment Pacemaker (or an operator running
// the agent by hand) gives: the same variables resource-agents' ocf-shellfuncs reads.
type Env = Readonly<Record<string, string | undefined>>;

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

/** A line is written when its level's rank is at least the call's. */
export const LEVEL_RANK: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

const ON = /^(1|yes|true|on)$/i;

export interface LogSettings {
  /** `agent(instance)[pid]`, as resource-agents' shell agents tag their lines. */
  tag: string;
  agent: string;
  instance: string;
  level: Level;
  /** Where `trace` lines go when OCF_TRACE_RA is on: a path, or a file descriptor number. */
  traceTo?: string;
  /** OCFKIT_JSON_LOG: a file that also gets every line as one JSON object, for log shippers. */
  jsonLog?: string;
  env: Env;
  /** Applied to every line before it is written anywhere: the call's secrets become `***`. */
  mask?: (text: string) => string;
}

export function logSettings(env: Env, agent: string, instance: string, pid = process.pid, mask?: (text: string) => string): LogSettings {
  const tracing = ON.test(env.OCF_TRACE_RA ?? '') || ON.test(env.OCF_RESKEY_trace_ra ?? '');
  const debugging = ON.test(env.HA_debug ?? '') || ON.test(env.PCMK_debug ?? '');
  return {
    tag: `${agent}(${instance})[${pid}]`,
    agent,
    instance,
    level: tracing ? 'trace' : debugging ? 'debug' : 'info',
    traceTo: tracing ? (env.OCF_TRACE_FILE ?? '2') : undefined,
    jsonLog: env.OCFKIT_JSON_LOG || undefined,
    env,
    mask,
  };
}
