import { execa } from 'execa';
import { basename } from 'node:path';
import { exitReason } from './reason.ts';
import { pacemakerEnv, type CallOptions } from './pacemaker-env.ts';

export interface ExecutableResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last exit reason line, without its prefix. */
  reason?: string;
  stdout: string;
  stderr: string;
  wallMs: number;
}

export interface ExecutableOptions extends CallOptions {
  /** Run as this uid/gid (meta-data as `nobody`, like ocf-tester). */
  uid?: number;
  gid?: number;
  /** Kill the agent after this long, like Pacemaker would (default: the action budget + 5 s). */
  killAfterMs?: number;
  /** Agent name for OCF_RESOURCE_TYPE (default: the file's name). */
  agentName?: string;
  /**
   * A cgroup's `cgroup.procs` file: the agent joins it before it runs, so every process it starts,
   * daemonized or not, stays findable there (how the kit finds leftovers of any agent).
   */
  cgroupProcs?: string;
}

/**
 * Run a built agent as pacemaker-execd would: a fresh process, `agent ACTION`, a clean environment
 * with parameters as OCF_RESKEY_*, cwd /, and SIGKILL (no SIGTERM) when the budget runs out.
 */
export async function runExecutable(path: string, action: string, options: ExecutableOptions = {}): Promise<ExecutableResult> {
  const env = pacemakerEnv(options.agentName ?? basename(path), options);
  const args = action === '' ? [] : [action];
  // `sh -c` joins the cgroup, then exec's the agent: the same process, same argv, from its first instruction
  const [command, argv] = options.cgroupProcs ? ['/bin/sh', ['-c', 'echo 0 > "$0" && exec "$@"', options.cgroupProcs, path, ...args]] : [path, args];
  const started = Date.now();
  const result = await execa(command, argv, {
    env,
    extendEnv: false, // exactly pacemakerEnv's variables, as pacemaker-execd passes them
    cwd: '/',
    uid: options.uid,
    gid: options.gid,
    stdin: 'ignore',
    timeout: options.killAfterMs ?? (options.timeoutMs ?? 20_000) + 5000,
    killSignal: 'SIGKILL', // pacemaker-execd sends no SIGTERM first when an action's timeout runs out
    forceKillAfterDelay: false,
    stripFinalNewline: false, // an agent's output byte for byte
    reject: false,
  });
  // the agent could not be started at all (missing, not executable): not an agent's answer
  if (result.exitCode === undefined && result.signal === undefined) throw result;
  const { stdout, stderr } = result;
  return { code: result.exitCode ?? null, signal: result.signal ?? null, reason: exitReason(stderr, env.OCF_EXIT_REASON_PREFIX), stdout, stderr, wallMs: Date.now() - started };
}
