import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, parseCrmMon, startLab, unavailable, type Availability, type Lab } from '../../../../tools/cluster-lab/src/lab.ts';
import { tcpTarget, watchFromHub, type ClientWatch } from '../../../../tools/cluster-lab/src/client-watch.ts';
import { crmFailures, crmOperations, describeFailure } from '../../../../tools/cluster-lab/src/crm-operations.ts';
import { labNetnsNames, processesIn } from '../../../../tools/cluster-lab/src/footprint.ts';
import { CAPTURED } from '../fixtures/captured-bytes.ts';
import { installStandIn } from '../helpers/lab-install.ts';
import { requireBuilt } from '../helpers/agent.ts';

// The TFS deployment on a real 3-node cluster without fencing: a group of an IPaddr2 VIP and the
// NameServer (the stand-in, which takes the master role when the VIP is on its interface), kept
// off node3 (a NameServer pair lives on two hosts; node3 gives the cluster its quorum). Faults on
// the node holding the group: a crash, then an isolation by nftables drops (its link stays up, as
// with a firewall mistake or a dead switch port). After each: the VIP and the NameServer on the
// other node, the switch sent to it there (its log says so), Pacemaker's monitor passing there,
// a client in the lab's hub getting heartbeat answers through the VIP, and nothing left of the
// group on the node that failed. Timings printed: fault -> node lost in crm_mon -> switch sent ->
// answering through the VIP.

const LAB = 'tfs-faults';
const VIP = '198.18.0.100';
const PORT = 20310;
const NS_PAIR = ['node1', 'node2'];
const LAB_TIMEOUT = 150_000;
const SCENARIO_TIMEOUT = 150_000;
/** Bound on every wait for a state: generous, the machine is shared; a wait that runs out says what it saw. */
const SETTLE_MS = 60_000;
const SWITCH_LINE = /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\d*\] .*switch flag: 1, role checked at once: master$/m;

const CONF = `[public]
port = ${PORT}
work_dir = /run/tfs
dev_name = eth0
ip_addr = ${VIP}

[nameserver]
ip_addr_list = 198.18.0.1|198.18.0.2
`;

function needs(): Availability {
  const lab = labAvailable();
  if (!lab.ok) return lab;
  if (spawnSync('nft', ['--version']).status !== 0) return { ok: false, why: 'isolation with nftables needs nft (apt-get install nftables)' };
  if (spawnSync('test', ['-x', '/usr/lib/ocf/resource.d/heartbeat/IPaddr2']).status !== 0) return { ok: false, why: 'IPaddr2 needs resource-agents' };
  return { ok: true };
}

const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
const address = (node: string) => `198.18.0.${node.replace('node', '')}`;

describe.skipIf(unavailable(needs(), 'the cluster lab with nftables and resource-agents'))('tfs-nameserver with its VIP under node faults, on a 3-node cluster', () => {
  let lab: Lab;
  let client: ClientWatch;
  const started = Date.now();
  const heartbeat = (host: string) => tcpTarget(host, PORT, CAPTURED.request, CAPTURED.reply);
  const viaVip = heartbeat(VIP);

  async function look() {
    const xml = await lab.crmMon();
    const view = parseCrmMon(xml);
    const where = (id: string) => view.resources.filter((r) => r.id === id && r.role === 'Started' && !r.failed).flatMap((r) => r.nodes);
    const vip = where('tfs-vip');
    const ns = where('tfs-ns');
    const failures = crmFailures(xml).filter((f) => f.resource.startsWith('tfs-'));
    const offline = view.nodes.filter((n) => !n.online).map((n) => n.name);
    const node = vip.length === 1 && ns.length === 1 && vip[0] === ns[0] ? vip[0] : undefined;
    const said =
      `crm_mon: tfs-vip on [${vip.join(', ')}], tfs-ns on [${ns.join(', ')}]${offline.length ? `, offline: ${offline.join(', ')}` : ''}` +
      `${failures.length ? `, failed actions: ${failures.map(describeFailure).join('; ')}` : ''}`;
    return { xml, view, node, failures, offline, said };
  }

  /** The node where the group runs with a passing NameServer monitor, answering through the VIP. */
  async function groupNode(): Promise<string> {
    const l = await look();
    // the node history keeps a recurring monitor's earlier results too: every one of them must pass
    const monitors = crmOperations(l.xml).filter((o) => o.resource === 'tfs-ns' && o.node === l.node && o.task === 'monitor' && o.intervalMs > 0);
    const monitored = monitors.length > 0 && monitors.every((o) => o.rc === 0);
    if (l.node && monitored && client.latest(viaVip)?.ok) return l.node;
    throw new Error(`${l.said}; monitor passed there: ${monitored}; through the VIP the hub's client saw: ${client.latest(viaVip)?.what ?? 'nothing yet'}`);
  }

  /** What the node holds of the group: the VIP on its eth0, NameServer processes in its namespaces. */
  async function holdings(node: string): Promise<string[]> {
    const addr = await lab.exec(node, 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'eth0']);
    const ino = statSync(`/run/netns/${labNetnsNames(LAB).find((n) => n.endsWith(`-${node}`))}`).ino;
    const ns = processesIn([ino]).filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes('/run/tfs/bin/nameserver');
      } catch {
        return false; // exited meanwhile
      }
    });
    return [...(addr.stdout.includes(`${VIP}/`) ? [`the VIP ${VIP}`] : []), ...ns.map((p) => `NameServer pid ${p.pid}`)];
  }

  /** When the NameServer on NODE logged the switch to master (its log's own time), epoch ms. */
  async function switchedAt(node: string): Promise<number> {
    const log = (await lab.exec(node, 'cat', ['/run/tfs/logs/nameserver.log'])).stdout;
    const m = SWITCH_LINE.exec(log);
    if (!m) throw new Error(`no switch to master in ${node}'s /run/tfs/logs/nameserver.log:\n${log}`);
    const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
    return new Date(y, mo - 1, d, h, mi, s, ms).getTime(); // the stand-in writes local time, as tbsys does
  }

  /**
   * After a fault at T0 on FROM: waits until the group runs healthy on another node, recording when
   * crm_mon first showed FROM offline and the group Started elsewhere; then what the hub's client saw.
   */
  async function failover(from: string, t0: number) {
    let seenAt: number | undefined;
    let startedAt: number | undefined;
    let last = '';
    const to = await lab.waitFor(async () => {
      const l = await look();
      last = l.said;
      const now = Date.now();
      if (seenAt === undefined && l.offline.includes(from)) seenAt = now;
      if (startedAt === undefined && l.node !== undefined && l.node !== from) startedAt = now;
      return l.node !== undefined && l.node !== from ? groupNode() : undefined;
    }, SETTLE_MS, 300).catch((error: Error) => {
      throw new Error(`${error.message}; last seen: ${last}`);
    });
    const outage = client.outage(viaVip, t0);
    const switched = await switchedAt(to);
    return { to, seenMs: seenAt === undefined ? undefined : seenAt - t0, startedMs: startedAt! - t0, switchMs: switched - t0, outage };
  }

  function report(fault: string, from: string, t0: number, r: Awaited<ReturnType<typeof failover>>, extra = '') {
    const o = r.outage;
    // a reply with status 0 is the NameServer answering while it initialises
    const failures = o.failures.map((what) => (what === `reply ${CAPTURED.request.toString('hex')}` ? 'status 0 (initialising)' : what));
    const down = o.from === undefined ? 'never unanswered' : `unanswered ${seconds(o.from - t0)} to ${seconds(o.until! - t0)} (${failures.join(', ')})`;
    console.log(
      `tfs-nameserver ${fault} of ${from}: node lost in crm_mon ${seconds(r.seenMs)}, switch sent on ${r.to} ${seconds(r.switchMs)}, ` +
        `crm_mon group Started on ${r.to} ${seconds(r.startedMs)}, heartbeat through the VIP ${down}${extra}`,
    );
  }

  beforeAll(async () => {
    requireBuilt();
    lab = await startLab({ nodes: 3, name: LAB, agentsDir: process.env.OCFKIT_LAB_AGENTS });
    const upAt = Date.now();
    await installStandIn(lab, CONF);
    client = watchFromHub(LAB, [viaVip, ...NS_PAIR.map((n) => heartbeat(address(n)))]);
    // the whole deployment in one CIB update (crmsh; the README's pcs commands are tested in cluster.test.ts)
    const configured = await lab.exec(1, 'crm', ['configure', 'load', 'update', '-'], {
      input: [
        `primitive tfs-vip ocf:heartbeat:IPaddr2 params ip=${VIP} cidr_netmask=24 nic=eth0 op monitor interval=2s timeout=10s`,
        `primitive tfs-ns ocf:ocfkit:tfs-nameserver params basedir=/run/tfs user=nobody nsport=${PORT} op monitor interval=2s timeout=10s op start timeout=30s op stop timeout=30s`,
        'group tfs tfs-vip tfs-ns meta resource-stickiness=INFINITY',
        'location tfs-not-on-node3 tfs -inf: node3',
        '',
      ].join('\n'),
    });
    expect(configured.code, `crm configure load update: ${configured.stderr}`).toBe(0);
    const configuredAt = Date.now();
    await lab.waitFor(groupNode, SETTLE_MS, 500);
    console.log(`tfs-nameserver faults: ${lab.upReport}; configured ${seconds(configuredAt - upAt)} later, healthy ${seconds(Date.now() - configuredAt)} after that`);
  }, LAB_TIMEOUT);

  afterAll(async () => {
    await client?.stop().catch(() => undefined);
    const downFrom = Date.now();
    await lab?.down();
    console.log(`tfs-nameserver faults: ${seconds(Date.now() - started)} in all, lab included (down ${seconds(Date.now() - downFrom)})`);
  }, LAB_TIMEOUT);

  it('crash of the node holding the VIP: VIP and NameServer move, switched to master, monitored; the node comes back empty', async () => {
    const from = await groupNode();
    const t0 = await lab.crash(from);
    // the lab's crash kills the node's processes, but its kernel (its network namespace) lives on
    // and would keep answering ARP for the VIP; a crashed host's NIC goes silent with it
    await lab.isolate(from);
    const r = await failover(from, t0);
    report('crash', from, t0, r);
    expect(NS_PAIR).toContain(r.to);
    expect(r.switchMs).toBeGreaterThan(0);
    expect(await holdings(r.to)).toEqual([`the VIP ${VIP}`, expect.stringMatching(/^NameServer pid \d+$/)]);
    // a reboot comes back without the VIP (it is not in the host's network configuration)
    expect((await lab.exec(from, 'ip', ['addr', 'del', `${VIP}/24`, 'dev', 'eth0'])).code).toBe(0);
    await lab.heal(from);
    await lab.restart(from);
    const settled = await lab.exec(1, 'crm_resource', ['--wait', '--timeout=60s']);
    expect(settled.code, `crm_resource --wait: ${settled.stderr}`).toBe(0);
    const l = await look();
    expect(l.node, l.said).toBe(r.to); // resource-stickiness=INFINITY: no failback
    expect(l.failures.map(describeFailure)).toEqual([]);
    expect(await holdings(from)).toEqual([]);
  }, SCENARIO_TIMEOUT);

  it('isolation (nftables) of the node holding the VIP: it stops its copy (no quorum), the other takes over; healed, it stays empty', async () => {
    const from = await groupNode();
    const t0 = await lab.isolate(from, { nft: true });
    // the isolated node, without quorum, stops the group itself: when it has let go of everything
    const released = lab.waitFor(async () => ((await holdings(from)).length === 0 ? Date.now() : undefined), SETTLE_MS, 300);
    const r = await failover(from, t0);
    const releasedAt = await released.catch(async (error: Error) => {
      throw new Error(`${from} still holds ${(await holdings(from)).join(', ')}: ${error.message}`);
    });
    report('isolation (nftables)', from, t0, r, `; ${from} (no quorum) let go of the VIP and its NameServer ${seconds(releasedAt - t0)}`);
    expect(r.to).not.toBe(from);
    expect(await holdings(r.to)).toEqual([`the VIP ${VIP}`, expect.stringMatching(/^NameServer pid \d+$/)]);
    await lab.heal(from, { nft: true });
    const settled = await lab.exec(1, 'crm_resource', ['--wait', '--timeout=60s']);
    expect(settled.code, `crm_resource --wait: ${settled.stderr}`).toBe(0);
    const l = await lab.waitFor(async () => {
      const seen = await look();
      if (seen.offline.length === 0) return seen;
      throw new Error(seen.said);
    }, SETTLE_MS, 500);
    expect(l.node, l.said).toBe(r.to);
    expect(l.failures.map(describeFailure)).toEqual([]);
    expect(await holdings(from)).toEqual([]);
    expect(client.latest(viaVip)).toMatchObject({ ok: true });
  }, SCENARIO_TIMEOUT);
});
