import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { trackChild } from './children.ts';
import { formatDuration } from '../params/duration.ts';
import { OcfError } from '../ocf-error.ts';
import { errnoOf } from './errno.ts';

export interface RunOptions {
  /** Kills the command (its whole process group) when it fires, e.g. `ctx.signal`. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** The whole environment of the command (nothing of the agent's leaks in); default: the agent's. */
  env?: Record<string, string>;
  /** Written to the command's stdin; without it stdin is /dev/null. */
  input?: string;
  cwd?: string;
}

export interface RunResult {
  /** Exit code, or null when a signal ended the command. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Output beyond this is dropped (a runaway helper must not exhaust the agent's memory). */
const MAX_OUTPUT = 8 * 1024 * 1024;
/** After the command exits, how long a grandchild that kept stdout open may delay the result. */
const DRAIN_MS = 500;

function collect(stream: NodeJS.ReadableStream | null): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (size >= MAX_OUTPUT) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).toString('utf8');
}

async function spawnFailure(file: string, cwd: string | undefined, error: unknown): Promise<OcfError> {
  const code = errnoOf(error);
  // spawn reports a missing working directory as ENOENT of the program
  if (code === 'ENOENT' && cwd !== undefined && !(await stat(cwd).then((s) => s.isDirectory(), () => false))) {
    return OcfError.installed(`cannot run ${file}: working directory ${cwd} does not exist`, { cause: error });
  }
  if (code === 'ENOENT') return OcfError.installed(`${file}: not found`, { cause: error });
  if (code === 'EACCES' || code === 'EPERM') return OcfError.perm(`${file}: permission denied`, { cause: error });
  return OcfError.generic(`cannot run ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/**
 * Run a helper command (argv, never a shell string) and collect its output. The command gets its
 * own process group, registered with the runtime, so that on abort, timeout, or the action's
 * deadline the command and everything it started are SIGKILLed together. A non-zero exit is not
 * an error here: the caller knows what the command's codes mean.
 */
export function runCommand(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortError(file, signal.reason));

  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(file, args, {
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    const untrack = child.pid === undefined ? () => false : trackChild(child.pid);
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    let settled = false;
    let drain: NodeJS.Timeout | undefined;
    let stopped: OcfError | undefined;

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    const stop = (why: OcfError) => {
      stopped ??= why;
      killGroup();
    };
    const onAbort = () => stop(abortError(file, signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    // our own timer, not deadline.shorten: that leaves a listener on ctx.signal per call
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => stop(OcfError.generic(`${file} did not finish within ${formatDuration(options.timeoutMs!)}`)), options.timeoutMs);
    const cleanup = () => {
      settled = true;
      clearTimeout(timer);
      clearTimeout(drain);
      signal?.removeEventListener('abort', onAbort);
      untrack();
    };

    const finish = (exitCode: number | null, exitSignal: NodeJS.Signals | null) => {
      if (settled) return;
      cleanup();
      if (stopped) return reject(stopped);
      resolve({ code: exitCode, signal: exitSignal, stdout: stdout(), stderr: stderr() });
    };

    child.on('error', (error) => {
      if (settled) return;
      if (child.pid !== undefined) return; // a kill() failure after a successful spawn: exit still comes
      cleanup();
      spawnFailure(file, options.cwd, error).then(reject, reject);
    });
    child.on('exit', (exitCode, exitSignal) => {
      // 'close' waits for stdout/stderr to end; a daemon the command left behind may hold them open
      drain = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(exitCode, exitSignal);
      }, DRAIN_MS);
    });
    child.on('close', (exitCode, exitSignal) => finish(exitCode, exitSignal));

    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE: the command did not read all of it
      child.stdin.end(options.input);
    }
  });
}

function abortError(file: string, reason: unknown): OcfError {
  return reason instanceof OcfError ? reason : OcfError.generic(`${file} was aborted`);
}
