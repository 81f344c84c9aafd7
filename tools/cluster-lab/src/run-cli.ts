import { execa } from 'execa';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

// Every lab operation goes through the shell CLI, so the script stays the one place that knows how
// a lab is laid out.
export const cliPath = fileURLToPath(new URL('../bin/cluster-lab', import.meta.url));

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the command's stdin (closed right after). */
  input?: string;
  /** Kill the command when it has not finished after this long (default: no limit). */
  timeoutMs?: number;
  /** Signal for that kill; `up` gets SIGTERM so that it can take its half-built lab apart. */
  killSignal?: NodeJS.Signals;
  /** Added to the environment. */
  env?: Record<string, string>;
}

// The CA bundle variable of these machines makes every Node process in a node parse a bundle
// (~70 ms); the lab daemons never see it, and commands run in a node shouldn't either.
export function labEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
  const subprocess = execa(cliPath, args, {
    env: labEnv(options.env),
    extendEnv: false,
    input: options.input ?? '',
    timeout: options.timeoutMs,
    killSignal: options.killSignal ?? 'SIGKILL',
    forceKillAfterDelay: false,
    stripFinalNewline: false,
    reject: false,
  });
  // A command may leave a background process holding our pipes: give the output a moment to
  // arrive after the command exits, then stop waiting for it.
  subprocess.once('exit', () => {
    setTimeout(() => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    }, 200).unref();
  });
  const result = await subprocess;
  const { stdout, stderr } = result;
  if (result.timedOut) throw new Error(`cluster-lab ${args.join(' ')}: no result within ${options.timeoutMs} ms\n${stderr}`);
  if (result.exitCode === undefined && result.signal === undefined) throw result; // not started at all
  return { code: result.exitCode ?? 128 + (result.signal ? constants.signals[result.signal] : 0), stdout, stderr };
}
