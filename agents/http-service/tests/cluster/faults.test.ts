import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, parseCrmMon, startLab, unavailable, type Availability, type Lab } from '../../../../tools/cluster-lab/src/lab.ts';
import { httpTarget, watchFromHub, type ClientWatch } from '../../../../tools/cluster-lab/src/client-watch.ts';
import { crmFailures, describeFailure, type CrmFailure } from '../../../../tools/cluster-lab/src/crm-operations.ts';
import { labNetnsNames, processesIn } from '../../../../tools/cluster-lab/src/footprint.ts';
import { ROOT } from '../helpers/instance.ts';
import { describeProc, proc, type Proc } from '../real-programs/proc.ts';

// http-service as a primitive on a real 3-node cluster without fencing, under the faults an
// operator meets: the service killed (SIGKILL), the service hung (SIGSTOP: the kernel still
// accepts its connections, nothing answers), its node crashed, and a start that never becomes
// healthy. The service is Debian's python3 http.server behind an exec launcher, listening on every
// address; a client in the lab's hub (outside every node) asks each node for /health every 100 ms.
// Each scenario waits for the end state it asserts (crm_mon, the client's answers, the processes
// in the node's namespaces), and prints fault -> failure recorded / seen in crm_mon -> answering again.

const PYTHON = '/usr/bin/python3';
const LAB = 'http-faults';
const PORT = 20080;
const STUCK_PORT = 20081;
const AGENTS_DIR = process.env.OCFKIT_LAB_AGENTS ?? join(ROOT, 'dist/resource.d/ocfkit');
const PIDFILE = '/run/ocfkit/http-service-web.pid';
const STUCK_LOG = '/var/log/ocfkit/http-service-stuck.log';
const STUCK_START_TIMEOUT_S = 6;
const LAB_TIMEOUT = 150_000;
const SCENARIO_TIMEOUT = 120_000;
/** Bound on every wait for a state: generous, the machine is shared; a wait that runs out says what it saw. */
const SETTLE_MS = 60_000;

function needs(): Availability {
  const lab = labAvailable();
  if (!lab.ok) return lab;
  if (!existsSync(PYTHON)) return { ok: false, why: `${PYTHON} is not installed` };
  if (!existsSync('/usr/lib/ocf/resource.d/heartbeat')) return { ok: false, why: 'resource-agents is not installed' };
  return { ok: true };
}

const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
const address = (node: string) => `198.18.0.${node.replace('node', '')}`;

describe.skipIf(unavailable(needs(), 'the cluster lab with python3'))('http-service under faults, on a 3-node cluster', () => {
  let lab: Lab;
  let dir: string;
  let client: ClientWatch;
  const targets = new Map<string, string>();
  const started = Date.now();

  const pcs = async (...args: string[]) => {
    const result = await lab.exec(1, 'pcs', args);
    expect(result.code, `pcs ${args.join(' ')}: ${result.stderr}`).toBe(0);
  };

  /** crm_mon, parsed, with a one-line summary of RESOURCE for the messages of waits that run out. */
  async function look(resource: string) {
    const xml = await lab.crmMon();
    const view = parseCrmMon(xml);
    const failures = crmFailures(xml).filter((f) => f.resource === resource);
    const r = view.resources.find((x) => x.id === resource);
    const offline = view.nodes.filter((n) => !n.online).map((n) => n.name);
    const said =
      `crm_mon: ${resource} ${r ? `${r.role}${r.failed ? ' (failed)' : ''} on [${r.nodes.join(', ')}]` : 'absent'}` +
      `${offline.length ? `, offline: ${offline.join(', ')}` : ''}${failures.length ? `, failed actions: ${failures.map(describeFailure).join('; ')}` : ''}`;
    return { xml, view, failures, resource: r, said };
  }

  /** The node where web runs healthy: Started, no failed action, answering the hub there. */
  async function healthyNode(): Promise<string> {
    const { resource, failures, said } = await look('web');
    const node = resource?.role === 'Started' && !resource.failed && resource.nodes.length === 1 ? resource.nodes[0]! : undefined;
    const answer = node ? client.latest(targets.get(node)!) : undefined;
    if (node && failures.length === 0 && answer?.ok) return node;
    throw new Error(`${said}; the hub's client: ${[...targets].map(([n, t]) => `${n} ${client.latest(t)?.what ?? 'no answer yet'}`).join(', ')}`);
  }

  /** Forget the failures of earlier scenarios, and wait until web runs healthy again. */
  async function clean(): Promise<string> {
    if ((await look('web')).failures.length > 0) await lab.exec(1, 'crm_resource', ['--cleanup', '--resource', 'web']);
    return lab.waitFor(healthyNode, SETTLE_MS, 300);
  }

  /** Processes in NODE's network namespace that are ours: naming our directory, or never-ready.sh's sleep. */
  function oursOn(node: string): Proc[] {
    const ino = statSync(`/run/netns/${labNetnsNames(LAB).find((n) => n.endsWith(`-${node}`))}`).ino;
    return processesIn([ino])
      .map((p) => proc(p.pid))
      .filter((p): p is Proc => p !== undefined && (p.cmdline.includes(dir) || p.cmdline === 'sleep 3600'));
  }

  /** Our processes on every node, node -> pids (nodes without any left out): a second copy shows here. */
  function oursByNode(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const node of lab.nodeNames) {
      const pids = oursOn(node).map((p) => p.pid);
      if (pids.length > 0) out[node] = pids;
    }
    return out;
  }

  const pidOn = async (node: string) => Number((await lab.exec(node, 'cat', [PIDFILE])).stdout);

  /**
   * After a fault at T0: polls crm_mon until Pacemaker has shown the fault (DETECTED) and web is
   * Started again, answering the hub where it runs; records when each was first seen.
   */
  async function recovery(t0: number, detected: (l: Awaited<ReturnType<typeof look>>) => boolean) {
    let seenAt: number | undefined;
    let startedAt: number | undefined;
    let lastSaid = '';
    const node = await lab.waitFor(async () => {
      const l = await look('web');
      lastSaid = l.said;
      const now = Date.now();
      if (seenAt === undefined && detected(l)) seenAt = now;
      if (seenAt !== undefined && startedAt === undefined && l.resource?.role === 'Started' && !l.resource.failed) startedAt = now;
      const where = l.resource?.role === 'Started' && l.resource.nodes.length === 1 ? l.resource.nodes[0]! : undefined;
      if (seenAt === undefined || !where) return undefined;
      return client.latest(targets.get(where)!)?.ok ? where : undefined;
    }, SETTLE_MS, 200).catch((error: Error) => {
      throw new Error(`${error.message}; last seen: ${lastSaid}; Pacemaker saw the fault after ${seconds(seenAt && seenAt - t0)}`);
    });
    return { node, seenMs: seenAt! - t0, startedMs: startedAt === undefined ? undefined : startedAt - t0 };
  }

  function report(what: string, t0: number, r: { node: string; seenMs: number; startedMs?: number }, victim: string, failure?: CrmFailure) {
    const again = client.answeringAgain(targets.get(r.node)!, t0);
    // last-rc-change has a 1 s resolution: the monitor failed within that second
    const recorded = failure ? `monitor failed ${seconds(failure.changedAt - t0)}..${seconds(failure.changedAt + 1000 - t0)} (its record), ` : '';
    const victimOutage = client.outage(targets.get(victim)!, t0);
    const down = victimOutage.from === undefined ? 'never unanswered' : `unanswered from ${seconds(victimOutage.from - t0)} (${victimOutage.failures.join(', ')})`;
    console.log(
      `http-service ${what}: ${recorded}failure seen in crm_mon ${seconds(r.seenMs)}, crm_mon Started on ${r.node} ${seconds(r.startedMs)}, ` +
        `answering on ${r.node} ${again === undefined ? 'all along' : seconds(again - t0)}; ${victim} ${down}`,
    );
  }

  beforeAll(async () => {
    if (!existsSync(join(AGENTS_DIR, 'http-service'))) throw new Error(`${AGENTS_DIR}/http-service is missing: run "node tools/bundle/src/cli.mjs http-service" first`);
    // the nodes share the host's /tmp (not its /run or /var/log): the programs and documents live here
    dir = mkdtempSync('/tmp/ocfkit-http-faults-');
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'htdocs'));
    writeFileSync(join(dir, 'htdocs/health'), 'ok\n');
    writeFileSync(join(dir, 'serve.sh'), `#!/bin/sh\n# an operator's launcher: hands the process over to the server\nexec ${PYTHON} -m http.server --bind 0.0.0.0 --directory "${dir}/htdocs" "$1"\n`);
    // a service that keeps waiting for something it never gets, as a service whose database is down does
    writeFileSync(
      join(dir, 'never-ready.sh'),
      `#!/bin/sh\necho "never-ready: waiting for the database at 198.18.0.250:5432: connection refused"\nsleep 3600 &\nwait\n`,
    );
    for (const f of ['serve.sh', 'never-ready.sh']) chmodSync(join(dir, f), 0o755);
    lab = await startLab({ nodes: 3, name: LAB, agentsDir: AGENTS_DIR });
    const upAt = Date.now();
    for (const node of lab.nodeNames) targets.set(node, httpTarget(address(node), PORT, '/health'));
    client = watchFromHub(LAB, [...targets.values()]);
    await pcs(
      'resource', 'create', 'web', 'ocf:ocfkit:http-service',
      `service_path=${dir}/serve.sh`, `service_args=${PORT}`, `probe_url=http://127.0.0.1:${PORT}/health`, 'probe_timeout=1s', 'stop_timeout=2s',
      'op', 'monitor', 'interval=2s', 'timeout=10s', 'op', 'start', 'timeout=20s', 'op', 'stop', 'timeout=20s',
      // no failback: a recovered node does not take the service back
      'meta', 'resource-stickiness=100',
    );
    const configuredAt = Date.now();
    await lab.waitFor(healthyNode, SETTLE_MS, 300);
    console.log(`http-service faults: ${lab.upReport}; configured ${seconds(configuredAt - upAt)} later, healthy ${seconds(Date.now() - configuredAt)} after that`);
  }, LAB_TIMEOUT);

  afterAll(async () => {
    await client?.stop().catch(() => undefined);
    const downFrom = Date.now();
    await lab?.down();
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`http-service faults: ${seconds(Date.now() - started)} in all, lab included (down ${seconds(Date.now() - downFrom)})`);
  }, LAB_TIMEOUT);

  it('SIGKILL of the service: restarted where it ran', async () => {
    const node = await clean();
    const before = await pidOn(node);
    const program = proc(before)?.comm;
    expect(program, `${PIDFILE} on ${node} names pid ${before}, not running`).toBeDefined();
    const t0 = await lab.kill(node, program!);
    const r = await recovery(t0, (l) => l.failures.some((f) => f.node === node && f.task === 'monitor'));
    const failure = (await look('web')).failures.find((f) => f.task === 'monitor');
    report(`SIGKILL of ${program} on ${node}`, t0, r, node, failure);
    expect(r.node).toBe(node); // restarted in place: one failure is below the migration threshold
    // crm_mon lists a "not running" monitor result as a failed action with exit 7
    expect(failure).toMatchObject({ node, exitCode: 7 });
    const after = await pidOn(node);
    expect(after).not.toBe(before);
    expect(oursByNode()).toEqual({ [node]: [after] });
  }, SCENARIO_TIMEOUT);

  it('the service hung (SIGSTOP: connections accepted, never answered): monitor fails saying so, restarted', async () => {
    const node = await clean();
    const pid = await pidOn(node);
    const hung = proc(pid)!;
    const t0 = Date.now();
    process.kill(pid, 'SIGSTOP');
    const r = await recovery(t0, (l) => l.failures.some((f) => f.node === node && f.task === 'monitor'));
    const failure = (await look('web')).failures.find((f) => f.task === 'monitor') as CrmFailure;
    report(`hang (SIGSTOP of ${hung.comm} on ${node})`, t0, r, node, failure);
    expect(failure, 'no failed monitor in crm_mon').toBeDefined();
    expect(failure).toMatchObject({ node, exitCode: 1, status: 'complete' });
    expect(failure.exitReason).toBe(`health check http://127.0.0.1:${PORT}/health: no answer from 127.0.0.1:${PORT} within 1000 ms`);
    // the client saw it accept and never answer: a hang, not a dead port
    expect(client.outage(targets.get(node)!, t0).failures).toContain('no answer');
    expect(proc(pid)?.starttime === hung.starttime ? describeProc(hung) : 'gone').toBe('gone');
    expect(oursByNode()).toEqual({ [r.node]: [await pidOn(r.node)] });
  }, SCENARIO_TIMEOUT);

  it('crash of its node: started on another node; the node rejoins and it stays where it is', async () => {
    const node = await clean();
    const t0 = await lab.crash(node);
    const r = await recovery(t0, (l) => l.view.nodes.some((n) => n.name === node && !n.online));
    report(`crash of ${node}`, t0, r, node);
    expect(r.node).not.toBe(node);
    expect(oursOn(node)).toEqual([]);
    // back from the crash: its pidfile names a dead process, which its probe must call stopped
    // (crm_mon lists no probe that found nothing: wait until the cluster has nothing left to do)
    await lab.restart(node);
    const settled = await lab.exec(1, 'crm_resource', ['--wait', '--timeout=60s']);
    expect(settled.code, `crm_resource --wait: ${settled.stderr}`).toBe(0);
    const l = await look('web');
    expect(l.resource?.nodes).toEqual([r.node]);
    expect(l.failures.filter((f) => f.node === node).map(describeFailure)).toEqual([]);
    expect(oursByNode()).toEqual({ [r.node]: [await pidOn(r.node)] });
  }, SCENARIO_TIMEOUT);

  it('a start that never becomes healthy fails within its timeout, quoting the service, and leaves nothing', async () => {
    const running = await healthyNode();
    const node = lab.nodeNames.find((n) => n !== running)!;
    // it may run on NODE only (one failed start, not one per node): both in one CIB update
    const t0 = Date.now();
    const configured = await lab.exec(1, 'crm', ['configure', 'load', 'update', '-'], {
      input: [
        `primitive stuck ocf:ocfkit:http-service params service_path=${dir}/never-ready.sh probe_url=http://127.0.0.1:${STUCK_PORT}/health probe_timeout=1s ` +
          `op start timeout=${STUCK_START_TIMEOUT_S}s op monitor interval=5s timeout=10s op stop timeout=20s`,
        `location stuck-on-${node}-only stuck rule -inf: #uname ne ${node}`,
        '',
      ].join('\n'),
    });
    expect(configured.code, `crm configure load update: ${configured.stderr}`).toBe(0);
    let failure: CrmFailure | undefined;
    const seen = await lab.waitFor(async () => {
      const l = await look('stuck');
      failure = l.failures.find((f) => f.task === 'start');
      if (failure && l.resource?.role === 'Stopped') return Date.now();
      throw new Error(l.said);
    }, SETTLE_MS, 300);
    const log = (await lab.exec(node, 'cat', [STUCK_LOG])).stdout;
    console.log(`http-service start that never becomes healthy on ${node}: failed after ${seconds(failure!.execMs)} (start timeout ${STUCK_START_TIMEOUT_S} s), seen by crm_mon ${seconds(seen - t0)}: "${failure!.exitReason}"`);
    expect(failure).toMatchObject({ node, exitCode: 1, status: 'complete' });
    expect(failure!.execMs).toBeLessThan(STUCK_START_TIMEOUT_S * 1000);
    expect(log).toContain('never-ready: waiting for the database');
    expect(failure!.exitReason).toContain('waiting for the database at 198.18.0.250:5432');
    expect(oursOn(node).map(describeProc)).toEqual([]);
    expect((await lab.exec(node, 'test', ['-e', '/run/ocfkit/http-service-stuck.pid'])).code).not.toBe(0);
  }, SCENARIO_TIMEOUT);
});
