import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { labNetnsNames } from './footprint.ts';
import { labEnv } from './run-cli.ts';

// What a client of the lab sees of a service, every 100 ms, from the lab's hub namespace (a host
// on the lab's bridge that no node fault touches): client-watch.mjs runs there and reports each
// change of each target's answer, so a test can say when a service stopped and started answering
// without trusting what Pacemaker claims.

const SCRIPT = fileURLToPath(new URL('./client-watch.mjs', import.meta.url));

export interface Answer {
  /** When the question was asked (epoch ms). */
  t: number;
  target: string;
  ok: boolean;
  /** The status, "refused", "no answer" (connected, nothing came back), "connect timeout", ... */
  what: string;
}

export interface Outage {
  from?: number;
  until?: number;
  failures: string[];
}

export interface ClientWatch {
  /** Every change seen so far, in the order the answers came. */
  readonly answers: readonly Answer[];
  /** The answer TARGET gave last (undefined before its first). */
  latest(target: string): Answer | undefined;
  /**
   * TARGET's outage since T0: from its first failed answer at or after T0 until the first ok
   * answer after its last failed one (undefined while it still fails), and what the failures were.
   * `from` is undefined when it never failed after T0.
   */
  outage(target: string, t0: number): Outage;
  /**
   * When TARGET answered well again after T0: its first ok answer after its last failed one, when
   * that is at or after T0 (a node the service moved to, a service restarted); undefined while it
   * fails, and when it has answered well since before T0 (never down).
   */
  answeringAgain(target: string, t0: number): number | undefined;
  stop(): Promise<void>;
}

/** An http:// target: GET, ok on 2xx. */
export const httpTarget = (host: string, port: number, path = '/') => `http://${host}:${port}${path}`;
/** A tcp:// target: SEND (bytes), ok when the reply starts with EXPECT. */
export const tcpTarget = (host: string, port: number, send: Buffer, expect: Buffer) =>
  `tcp://${host}:${port}?send=${send.toString('hex')}&expect=${expect.toString('hex')}`;

/** Starts the client in lab LAB's hub, asking TARGETS every INTERVALMS (each question bounded by TIMEOUTMS). */
export function watchFromHub(lab: string, targets: readonly string[], options: { intervalMs?: number; timeoutMs?: number } = {}): ClientWatch {
  const hub = labNetnsNames(lab).find((n) => n.endsWith('-hub'))!;
  const args = ['netns', 'exec', hub, process.execPath, SCRIPT, '--interval-ms', String(options.intervalMs ?? 100), '--timeout-ms', String(options.timeoutMs ?? 500), ...targets];
  // `ip netns exec` execs the command in place: the child's pid is the client's
  const child: ChildProcess = spawn('ip', args, { env: labEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const answers: Answer[] = [];
  let pending = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.trim()) answers.push(JSON.parse(line) as Answer);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const of = (target: string) => answers.filter((a) => a.target === target);
  return {
    answers,
    latest: (target) => of(target).at(-1),
    outage(target, t0) {
      const seen = of(target);
      const failures = seen.filter((a) => !a.ok && a.t >= t0);
      const lastFailure = failures.at(-1);
      if (!lastFailure) return { failures: [] };
      return {
        from: failures[0]!.t,
        until: seen.find((a) => a.ok && a.t > lastFailure.t)?.t,
        failures: [...new Set(failures.map((a) => a.what))],
      };
    },
    answeringAgain(target, t0) {
      const seen = of(target);
      const lastFailure = seen.filter((a) => !a.ok).at(-1);
      if (!lastFailure) return undefined;
      const ok = seen.find((a) => a.ok && a.t > lastFailure.t);
      return ok && ok.t >= t0 ? ok.t : undefined;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (answers.length === 0 && stderr.trim()) throw new Error(`the client in ${hub} failed: ${stderr.trim()}`);
    },
  };
}
