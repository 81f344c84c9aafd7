import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asRoot, freePort, pidIn, runExecutable, type Availability, type ExecutableResult } from '@ocfkit/testkit';
import { expect, vi, type ExpectStatic } from 'vitest';
import { AGENT } from '../helpers/instance.ts';
import { describeProc, family, listeners, proc, processes, type Proc } from './proc.ts';

export { freePort };

/**
 * The built agent, as Pacemaker runs it. OCFKIT_HTTP_SERVICE runs the battery against another
 * build instead (an installed package's /usr/lib/ocf/resource.d/ocfkit/http-service, an older release).
 */
export const AGENT_UNDER_TEST = process.env.OCFKIT_HTTP_SERVICE || AGENT;

/**
 * Programs nobody here wrote, from Debian's packages, for `describe.skipIf(unavailable(needs(NGINX), 'nginx'))`:
 * missing ones skip their tests on a developer's machine and fail them under CI. Root: the agent's
 * default user=root, and servers that bind as root and then run as www-data.
 */
export function needs(...paths: string[]): Availability {
  const root = asRoot();
  if (!root.ok) return { ok: false, why: 'needs root (services started as root that drop to www-data)' };
  for (const path of paths) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      return { ok: false, why: `${path} is not installed (tools/setup.sh installs it)` };
    }
  }
  return { ok: true };
}

/** A directory of its own under /tmp; readable by www-data, which serves files from it. */
export function workDir(name: string): string {
  const dir = mkdtempSync(`/tmp/ocfkit-real-${name}-`);
  chmodSync(dir, 0o755);
  return dir;
}

export function write(path: string, text: string, mode = 0o644): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** A directory USER may write to (a server that opens its logs after dropping privileges). */
export function dirOwnedBy(path: string, user: string): string {
  mkdirSync(path, { recursive: true });
  const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
  chownSync(path, id('-u'), id('-g'));
  return path;
}

/** A document root with the file the health check asks for. */
export function htdocs(dir: string): string {
  const root = join(dir, 'htdocs');
  write(join(root, 'health'), 'ok\n');
  chmodSync(root, 0o755);
  return root;
}

export type Params = Record<string, string>;

/** Exit code, reason and the end of stderr: what an assertion prints when the agent did not do it. */
export function told(action: string, r: ExecutableResult): string {
  const tail = r.stderr.trim().split('\n').slice(-6).join('\n');
  return `${action} exited ${r.code ?? r.signal} (reason: ${r.reason ?? 'none'})\n${tail}`;
}

/**
 * One configured instance of a real program under the built agent, and every process it was ever
 * seen to own: the agent's pidfile's process and its descendants, whatever holds the listening
 * socket, their sessions, and anything naming the instance's directory on its command line.
 */
export class RealService {
  private readonly seen = new Map<number, number>();
  private readonly sessions = new Set<number>();
  /** What the agent said last, per action: quoted when something is left running. */
  readonly said = new Map<string, string>();

  constructor(
    readonly name: string,
    readonly dir: string,
    readonly port: number,
    readonly params: Params,
  ) {}

  run(action: string, timeoutMs = 20_000): Promise<ExecutableResult> {
    return runExecutable(AGENT_UNDER_TEST, action, { params: this.params, instance: this.name, timeoutMs });
  }

  /** Runs ACTION and asserts its exit code (one of CODES), printing what the agent said otherwise. */
  async expect(action: string, ...codes: number[]): Promise<ExecutableResult> {
    return this.check(expect, action, codes);
  }

  /** Like expect(), but the test goes on after a mismatch (to see what the next action does then). */
  async soft(action: string, ...codes: number[]): Promise<ExecutableResult> {
    return this.check(expect.soft, action, codes);
  }

  private async check(assert: ExpectStatic['soft'], action: string, codes: number[]): Promise<ExecutableResult> {
    const result = await this.run(action);
    this.said.set(action, told(action, result));
    this.note();
    assert(codes, told(action, result)).toContain(result.code);
    if (result.code !== 0 && result.code !== 7) assert(result.reason, `${action} exited ${result.code} without a reason`).toBeTruthy();
    return result;
  }

  /** The process the agent's pidfile names (the launched one, or a daemon's own pid). */
  recorded(): Proc | undefined {
    const pid = pidIn(this.params.pidfile!);
    return pid === undefined ? undefined : proc(pid);
  }

  /** The processes serving our port, in the network namespace where they run. */
  serving(all: Proc[] = processes()): Proc[] {
    return listeners(this.port, all.filter((p) => p.pid !== process.pid));
  }

  /**
   * The process to kill for a crash: the top-most process that holds the listening socket, among
   * those that descend from what the agent recorded (a foreground program and its children, or a
   * daemon and its workers). Never a process outside that family.
   */
  target(): Proc {
    const all = processes();
    const root = this.recorded();
    expect(root, `${this.params.pidfile} names no running process`).toBeDefined();
    const descendants = family(root!.pid, all);
    const serving = new Set(this.serving(descendants).map((p) => p.pid));
    const found = descendants.find((p) => serving.has(p.pid));
    expect(found, `no process below ${describeProc(root!)} listens on ${this.port}: ${descendants.map(describeProc).join('; ')}`).toBeDefined();
    return found!;
  }

  /** Remember every process that is ours now, so that a later scan finds them even renamed or orphaned. */
  note(): void {
    const all = processes();
    const ours: Proc[] = [];
    const root = this.recorded();
    if (root && root.cmdline.includes(this.dir)) ours.push(...family(root.pid, all));
    for (const p of this.serving(all)) ours.push(...family(p.pid, all));
    for (const p of all) if (p.cmdline.includes(this.dir)) ours.push(...family(p.pid, all));
    for (const p of ours) {
      this.seen.set(p.pid, p.starttime);
      if (p.sid > 0) this.sessions.add(p.sid);
    }
  }

  /** Everything of this instance still running: what a stop must have ended. */
  leftovers(): Proc[] {
    const all = processes();
    const me = proc(process.pid);
    const serving = new Set(this.serving(all).map((p) => p.pid));
    return all.filter(
      (p) =>
        p.pid !== process.pid &&
        p.sid !== me?.sid &&
        (this.seen.get(p.pid) === p.starttime ||
          this.sessions.has(p.sid) ||
          p.cmdline.includes(this.dir) ||
          serving.has(p.pid)),
    );
  }

  /** Last resort after a failed test: SIGKILL what the leftovers scan proves ours, nothing else. */
  clean(): void {
    for (const p of this.leftovers()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Waits (bounded) until PID has exited; says what still runs when it does not. */
export async function gone(p: Proc, ms = 15_000): Promise<void> {
  await vi.waitFor(() => expect(proc(p.pid)?.starttime === p.starttime, `${describeProc(p)} still running after SIGKILL`).toBe(false), { timeout: ms, interval: 50 });
}

/** Fails, listing each process in full, when anything of SERVICE still runs. */
export function nothingLeft(service: RealService): void {
  const left = service.leftovers();
  if (left.length > 0) {
    const said = [...service.said.values()].join('\n');
    throw new Error(`left running after stop: ${left.map(describeProc).join('; ')}\nwhat the agent said last, per action:\n${said}`);
  }
}
