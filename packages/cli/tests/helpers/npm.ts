import { execaSync } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The environment of a user's shell, without what `npm test` adds for its own scripts. */
export function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
  // the machine's CA bundle variable costs ~70 ms per node start and nothing here needs it
  return { ...env, NODE_EXTRA_CA_CERTS: '', ...extra };
}

export interface ShResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command with exactly `env` (a user's shell by default); throws only when it does not run or hangs. */
export function sh(command: string, args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): ShResult {
  const run = execaSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? userEnv(), extendEnv: false, input: options.input, timeout: 300_000, maxBuffer: 64 << 20, stripFinalNewline: false, reject: false });
  if (run.timedOut || (run.exitCode === undefined && run.signal === undefined)) throw run;
  return { status: run.exitCode ?? null, stdout: run.stdout, stderr: run.stderr };
}

export interface Packed {
  name: string;
  filename: string;
  files: string[];
}

/**
 * `npm pack` of workspaces, as a release would run it (each package's prepack builds it). Lifecycle
 * scripts print to the same stdout as --json, so the JSON is the part from the line "[" on.
 */
export function pack(workspaces: string[], destination: string): Packed[] {
  const run = sh('npm', ['pack', '--offline', '--json', '--pack-destination', destination, ...workspaces.flatMap((w) => ['-w', w])]);
  if (run.status !== 0) throw new Error(`npm pack failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  const start = run.stdout.search(/^\[$/m);
  const parsed = JSON.parse(run.stdout.slice(start)) as Array<{ name: string; filename: string; files: Array<{ path: string }> }>;
  return parsed.map((p) => ({ name: p.name, filename: join(destination, p.filename), files: p.files.map((f) => f.path).sort() }));
}
