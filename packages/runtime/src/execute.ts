import type { Agent, AnyAgent, MonitorResult } from './agent.ts';
import type { Context } from './context.ts';
import { killTrackedChildren } from './process/children.ts';
import { createDeadline, reserveFor } from './deadline.ts';
import { parseCrmMeta, type CrmMeta } from './env/crm-meta.ts';
import { checkLevel, instanceName, wantsOcf11 } from './env/instance.ts';
import { OCF, ocfCodeName } from './exit-codes.ts';
import { createLogger, logSettings, type Logger } from './log/logger.ts';
import { createSecrets, type Secrets } from './log/secrets.ts';
import { renderMetadata } from './metadata/render.ts';
import { OcfError, toOcfError } from './ocf-error.ts';
import type { ParamMap, Values } from './params/declare.ts';
import { parseDuration } from './params/duration.ts';
import { parseParams } from './params/parse.ts';
import { declaredSecrets } from './params/secrets.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** What a run of one action produced; `run.ts` turns it into stdout, stderr and an exit code. */
export interface Outcome {
  code: number;
  /** The exit reason (written with OCF_EXIT_REASON_PREFIX). */
  reason?: string;
  stdout?: string;
}

const BUILTIN = ['meta-data', 'usage', 'help', 'methods'];
/** Used when Pacemaker gives no timeout (run by hand, ocf-tester) and the action declares none. */
const FALLBACK_TIMEOUT_MS = 20_000;

export function usage(agent: AnyAgent): string {
  return `usage: ${agent.name} {${[...Object.keys(agent.actions), 'meta-data', 'usage'].join('|')}}\n`;
}

function supported(agent: AnyAgent): string[] {
  return [...BUILTIN, ...Object.keys(agent.actions).filter((k) => agent.actions[k as keyof typeof agent.actions])];
}

/**
 * An invalid configuration (required parameter missing, value of the wrong type) is answered the
 * way resource-agents' ocf-rarun answers it: stop succeeds (nothing of ours can be running with
 * a configuration that never worked, and a failed stop gets the node fenced), a probe says "not
 * running", a recurring monitor is an error, anything else fails with the validation's code.
 */
function invalidEnvironment(action: string, meta: CrmMeta, error: OcfError, log: Logger): Outcome {
  if (action === 'stop') {
    log.info(`${error.reason}: resource considered stopped`);
    return { code: OCF.SUCCESS };
  }
  if (action === 'monitor') {
    if (meta.isProbe) {
      log.info(`${error.reason}: resource considered stopped`);
      return { code: OCF.NOT_RUNNING };
    }
    return { code: OCF.ERR_GENERIC, reason: error.reason };
  }
  return { code: error.code, reason: error.reason };
}

function monitorOutcome(result: MonitorResult): Outcome {
  return typeof result === 'number' ? { code: result } : { code: result.code, reason: result.reason };
}

export interface ExecuteOptions {
  /** The call's secrets, when the caller masks output of its own too (run.ts: a crash's reason). */
  secrets?: Secrets;
  /**
   * When Pacemaker's clock for this call started (epoch ms): the process's start for a real call
   * (run.ts), so Node's own start-up counts against the budget as it does for Pacemaker. Default now.
   */
  startedAt?: number;
}

/**
 * Run one action of an agent against an environment: the whole OCF contract except touching the
 * process (no exit, no writes to fd 1/2). The test kit calls this in process.
 */
export async function execute<P extends ParamMap>(agent: Agent<P>, action: string | undefined, env: Env, options: ExecuteOptions = {}): Promise<Outcome> {
  if (action === undefined || action === '') {
    return { code: OCF.ERR_ARGS, reason: `no action given; ${usage(agent).trim()}` };
  }
  // meta-data must work as any user, with no parameters and nothing installed. It depends on the
  // declaration and OCF_RA_VERSION_MAJOR/MINOR only, and must stay so: the bundler keeps the
  // answers for the usual versions in the executable and prints them without running this code
  // (tools/bundle/src/code-cache.mjs).
  if (action === 'meta-data') {
    return { code: OCF.SUCCESS, stdout: renderMetadata(agent, wantsOcf11(env) ? 'ocf-1.1' : 'dtd') };
  }
  if (action === 'usage' || action === 'help') return { code: OCF.SUCCESS, stdout: usage(agent) };
  if (action === 'methods') return { code: OCF.SUCCESS, stdout: `${supported(agent).join('\n')}\n` };

  const spec = agent.actions[action as keyof typeof agent.actions];
  if (!spec) {
    return { code: OCF.ERR_UNIMPLEMENTED, reason: `action '${action}' is not supported by ${agent.name}; supported: ${supported(agent).join(', ')}` };
  }

  const instance = instanceName(env, agent.name);
  // secrets declared by the parameters are read only once something is masked (Secrets.addLater)
  const secrets = options.secrets ?? createSecrets();
  secrets.addLater(() => declaredSecrets(agent.params, env));
  const log = createLogger(logSettings(env, agent.name, instance, process.pid, secrets.mask));
  const meta = parseCrmMeta(env);
  const budgetMs = meta.timeoutMs ?? parseDuration(spec.timeout) ?? FALLBACK_TIMEOUT_MS;
  const deadline = createDeadline(budgetMs, action, options.startedAt);
  log.trace(`${action} begins`, { budgetMs, interval: meta.intervalMs, checkLevel: checkLevel(env) });

  const finish = (outcome: Outcome): Outcome => {
    deadline.dispose();
    // the reason goes to the CIB: masked here, where it leaves the runtime
    if (outcome.reason !== undefined) outcome = { ...outcome, reason: secrets.mask(outcome.reason) };
    if (outcome.code !== OCF.SUCCESS) log.trace(`${action} ends`, { rc: outcome.code, name: ocfCodeName(outcome.code), reason: outcome.reason });
    else log.trace(`${action} ends`, { rc: 0 });
    return outcome;
  };

  let params: Values<P>;
  try {
    params = parseParams(agent.params, env, { instance, agent: agent.name });
  } catch (error) {
    return finish(invalidEnvironment(action, meta, toOcfError(error, action), log));
  }

  const ctx: Context<P> = {
    agent: { name: agent.name, version: agent.version },
    action,
    instance,
    params,
    meta,
    checkLevel: checkLevel(env),
    // a getter: the deadline makes its AbortController only for an action that asks for it
    get signal() {
      return deadline.signal;
    },
    deadline,
    log,
    secret: secrets.add as Context<P>['secret'],
    env,
  };

  // The deadline wins over an action that ignores its signal: we answer before Pacemaker's SIGKILL.
  const expired = new Promise<Outcome>((resolve) => {
    deadline.onExpire(({ reason }) => {
      // leave the action most of the reserve to arrive with its own, more precise error (and to
      // kill what a failed start launched); 200 ms are ours to answer before Pacemaker's SIGKILL
      const reserve = reserveFor(budgetMs);
      setTimeout(() => resolve({ code: OCF.ERR_GENERIC, reason }), Math.max(reserve / 2, reserve - 200)).unref();
    });
  });

  const run = async (): Promise<Outcome> => {
    const validate = agent.actions['validate-all'];
    // start must fail with the configuration's own code (5, 6, 4) before it touches anything
    if (validate && action === 'start') await validate.run(ctx);
    if (action === 'monitor') return monitorOutcome(await (spec.run as (c: Context<P>) => Promise<MonitorResult>)(ctx));
    await (spec.run as (c: Context<P>) => Promise<void>)(ctx);
    return { code: OCF.SUCCESS };
  };

  let outcome: Outcome;
  // an unexpected exception's stack goes to the log with its reason (never to the exit reason)
  let stack: string | undefined;
  try {
    outcome = await Promise.race([run(), expired]);
  } catch (error) {
    const failure = toOcfError(error, action);
    if (!(error instanceof OcfError) && error instanceof Error) stack = error.stack;
    outcome = { code: failure.code, reason: failure.reason };
  }
  if (deadline.expired) killTrackedChildren();

  // notify must never fail: Pacemaker ignores it anyway, and a failure only hides the warning
  if (action === 'notify' && outcome.code !== OCF.SUCCESS) {
    log.warn(`notify failed, reported as success: ${outcome.reason ?? ocfCodeName(outcome.code)}`);
    outcome = { code: OCF.SUCCESS };
  }
  if (outcome.code !== OCF.SUCCESS && outcome.reason === undefined && action !== 'monitor') {
    outcome.reason = `${action} failed (${ocfCodeName(outcome.code)})`;
  }
  if (outcome.reason && outcome.code !== OCF.SUCCESS) {
    const degraded = outcome.code === OCF.DEGRADED || outcome.code === OCF.DEGRADED_PROMOTED;
    log[degraded ? 'warn' : 'error'](outcome.reason, stack ? { rc: outcome.code, stack } : { rc: outcome.code });
  }
  return finish(outcome);
}
