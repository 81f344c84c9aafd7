import { spawn } from 'node:child_process';
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

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cliPath, args, { env: labEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => {}); // the command may exit without reading its input
    child.stdin.end(options.input ?? '');
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill(options.killSignal ?? 'SIGKILL');
          }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // A command may leave a background process holding our pipes: give the output a moment to
      // arrive, then stop waiting for it.
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        if (timedOut) {
          reject(new Error(`cluster-lab ${args.join(' ')}: no result within ${options.timeoutMs} ms\n${stderr}`));
          return;
        }
        resolve({ code: code ?? 128 + (signal ? constants.signals[signal] : 0), stdout, stderr });
      };
      if (child.stdout.readableEnded && child.stderr.readableEnded) return finish();
      const grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, 200);
      child.on('close', () => {
        clearTimeout(grace);
        finish();
      });
    });
  });
}
