import { spawnSync } from 'node:child_process';
import { cliPath, labEnv, runCli, type ExecResult, type RunOptions } from './run-cli.ts';
import { waitFor } from './wait-for.ts';

export { labAvailable, remoteLabAvailable, unavailable, inCI, type Availability } from './lab-available.ts';
export { parseCrmMon, nodesRunning, type CrmMonView, type CrmMonNode, type CrmMonResource } from './crm-mon.ts';
export { labFootprint, labStateDir, labNetnsNames, survivors, type Footprint, type LabProcess } from './footprint.ts';
export { waitFor } from './wait-for.ts';
export { cliPath, type ExecResult, type RunOptions } from './run-cli.ts';

/** A node: its number (1..N) or its name ("node2", or "remote1" for a Pacemaker Remote node). */
export type NodeRef = number | string;

export interface StartLabOptions {
  /** 1 to 5. */
  nodes: number;
  /** Pacemaker Remote nodes remote1..remoteR (0 to 4; default 0): pacemaker-remoted only, connected by ocf:pacemaker:remote resources. */
  remotes?: number;
  /** Lab name (a-z, 0-9, '-', '_'; up to 24). Default: unique per process and call. */
  name?: string;
  /**
   * Directories seen in every node as /usr/lib/ocf/resource.d/PROVIDER; "PROVIDER=DIR", or a bare
   * DIR for provider ocfkit. Default: the repository's dist/resource.d/ocfkit, when it exists.
   */
  agentsDir?: string | readonly string[];
  /** How long `up` may wait for every node to be online (default 60 s). */
  timeoutS?: number;
}

export interface Lab {
  readonly name: string;
  readonly size: number;
  /** ["node1", ..., "nodeN"] */
  readonly nodeNames: readonly string[];
  /** ["remote1", ..., "remoteR"]: the Pacemaker Remote nodes (none unless `remotes` was given). */
  readonly remoteNames: readonly string[];
  /** The line `up` printed, e.g. "lab x: 3 node(s) online, DC node2, up in 5.6 s". */
  readonly upReport: string;
  /** Runs CMD inside NODE (its network, mount and UTS namespaces); never rejects on a non-zero exit. */
  exec(node: NodeRef, cmd: string, args?: readonly string[], options?: RunOptions): Promise<ExecResult>;
  // Faults resolve with the time they acted (epoch ms), as the command printed it.
  /** SIGKILL every process of NODE. */
  crash(node: NodeRef): Promise<number>;
  /** SIGKILL NODE's processes named PROGRAM (/proc/PID/comm), found inside the node only. */
  kill(node: NodeRef, program: string): Promise<number>;
  /** SIGSTOP every process of NODE. */
  freeze(node: NodeRef): Promise<number>;
  /** SIGCONT every process of NODE. */
  thaw(node: NodeRef): Promise<number>;
  /** SIGSTOP only NODE's corosync. */
  freezeCorosync(node: NodeRef): Promise<number>;
  /** SIGCONT only NODE's corosync. */
  thawCorosync(node: NodeRef): Promise<number>;
  /** Cut NODE off: its link down, or nftables drops on eth0 inside it (`{ nft: true }`). */
  isolate(node: NodeRef, options?: { nft?: boolean }): Promise<number>;
  /** Undo isolate, the same way. */
  heal(node: NodeRef, options?: { nft?: boolean }): Promise<number>;
  /** Stop NODE cleanly (pacemakerd, then corosync); resolves when both are gone. */
  stop(node: NodeRef): Promise<number>;
  /** Start corosync and pacemakerd again in a crashed or stopped NODE; resolves once it is online. */
  restart(node: NodeRef): Promise<number>;
  /** `crm_mon -1 --output-as=xml` from the first live node. */
  crmMon(): Promise<string>;
  /** See waitFor(): resolves with the predicate's first truthy value. */
  waitFor<T>(predicate: () => T | Promise<T>, timeoutMs: number, intervalMs?: number): Promise<NonNullable<T>>;
  /** Stops and removes the lab; rejects listing whatever could not be removed. */
  down(): Promise<void>;
}

const UP_GRACE_MS = 90_000; // on top of the online timeout: namespaces, mounts, daemon starts
const DOWN_TIMEOUT_MS = 120_000;

// Labs of this process still up: taken down when the process exits, even after a failed test.
const live = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const name of live) spawnSync(cliPath, ['--name', name, 'down'], { stdio: 'ignore', env: labEnv() });
  });
}

/** The time a fault command printed first ("2026-12-01T09:01:02.345Z node1: ..."), epoch ms. */
export function actedAt(stdout: string): number {
  const at = Date.parse(stdout.trim().split(' ', 1)[0] ?? '');
  if (!Number.isFinite(at)) throw new Error(`cluster-lab printed no time: ${JSON.stringify(stdout)}`);
  return at;
}

let counter = 0;
function defaultName(): string {
  counter += 1;
  return `t${process.pid}-${counter}`;
}

async function check(args: readonly string[], options?: RunOptions): Promise<ExecResult> {
  const result = await runCli(args, options);
  if (result.code !== 0) {
    throw new Error(`cluster-lab ${args.join(' ')}: exit ${result.code}: ${result.stderr.trim()}`);
  }
  return result;
}

class RunningLab implements Lab {
  readonly nodeNames: readonly string[];
  readonly remoteNames: readonly string[];

  constructor(
    readonly name: string,
    readonly size: number,
    readonly upReport: string,
    remotes = 0,
  ) {
    this.nodeNames = Array.from({ length: size }, (_, i) => `node${i + 1}`);
    this.remoteNames = Array.from({ length: remotes }, (_, i) => `remote${i + 1}`);
  }

  exec(node: NodeRef, cmd: string, args: readonly string[] = [], options?: RunOptions): Promise<ExecResult> {
    return runCli(['--name', this.name, 'exec', String(node), '--', cmd, ...args], options);
  }

  private async nodeCommand(command: string, node: NodeRef, extra: readonly string[] = [], timeoutMs = 30_000): Promise<number> {
    const { stdout } = await check(['--name', this.name, command, String(node), ...extra], { timeoutMs });
    return actedAt(stdout);
  }

  crash(node: NodeRef): Promise<number> {
    return this.nodeCommand('crash', node);
  }

  kill(node: NodeRef, program: string): Promise<number> {
    return this.nodeCommand('kill', node, [program]);
  }

  freeze(node: NodeRef): Promise<number> {
    return this.nodeCommand('freeze', node);
  }

  thaw(node: NodeRef): Promise<number> {
    return this.nodeCommand('thaw', node);
  }

  freezeCorosync(node: NodeRef): Promise<number> {
    return this.nodeCommand('freeze-corosync', node);
  }

  thawCorosync(node: NodeRef): Promise<number> {
    return this.nodeCommand('thaw-corosync', node);
  }

  isolate(node: NodeRef, options: { nft?: boolean } = {}): Promise<number> {
    return this.nodeCommand('isolate', node, options.nft ? ['--nft'] : []);
  }

  heal(node: NodeRef, options: { nft?: boolean } = {}): Promise<number> {
    return this.nodeCommand('heal', node, options.nft ? ['--nft'] : []);
  }

  stop(node: NodeRef): Promise<number> {
    return this.nodeCommand('stop', node, [], 180_000);
  }

  restart(node: NodeRef): Promise<number> {
    return this.nodeCommand('restart', node, [], 120_000);
  }

  async crmMon(): Promise<string> {
    return (await check(['--name', this.name, 'status', '--xml'], { timeoutMs: 30_000 })).stdout;
  }

  waitFor<T>(predicate: () => T | Promise<T>, timeoutMs: number, intervalMs?: number): Promise<NonNullable<T>> {
    return waitFor(predicate, timeoutMs, intervalMs);
  }

  async down(): Promise<void> {
    await check(['--name', this.name, 'down'], { timeoutMs: DOWN_TIMEOUT_MS });
    live.delete(this.name);
  }
}

/** Brings up a lab of `nodes` nodes and resolves once every node is online and a DC is elected. */
export async function startLab(options: StartLabOptions): Promise<Lab> {
  const name = options.name ?? defaultName();
  const timeoutS = options.timeoutS ?? 60;
  const agents = options.agentsDir === undefined ? [] : [options.agentsDir].flat();
  const args = ['--name', name, 'up', String(options.nodes), '--timeout', String(timeoutS)];
  if (options.remotes) args.push('--remote', String(options.remotes));
  for (const dir of agents) args.push('--agents', dir);
  installExitHook();
  live.add(name);
  // SIGTERM on timeout: `up` then takes its half-built lab apart itself.
  const result = await runCli(args, { timeoutMs: timeoutS * 1000 + UP_GRACE_MS, killSignal: 'SIGTERM' });
  if (result.code !== 0) {
    // `up` cleaned up after itself (the exit hook tries again); but a lab that already existed
    // belongs to someone else and must not be taken down at exit.
    if (/already exists/.test(result.stderr)) live.delete(name);
    throw new Error(`cluster-lab ${args.join(' ')}: exit ${result.code}: ${result.stderr.trim()}`);
  }
  return new RunningLab(name, options.nodes, result.stdout.trim(), options.remotes ?? 0);
}
