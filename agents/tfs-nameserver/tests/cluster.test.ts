import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, parseCrmMon, startLab, unavailable, type Lab } from '../../../tools/cluster-lab/src/lab.ts';
import { installStandIn } from './helpers/lab-install.ts';
import { HA_MONITOR, requireBuilt } from './helpers/agent.ts';

// End to end on a real 2-node Pacemaker cluster (tools/cluster-lab): the seed's deployment, a
// group of an IPaddr2 VIP and the NameServer, created with the README's pcs commands. The
// stand-in runs with the real NameServer's address rule (no loopback knob): each node's eth0
// (198.18.0.N) is in ip_addr_list, and the node holding the VIP is master.

const available = labAvailable();
const UP_TIMEOUT = 150_000;
const VIP = '198.18.0.100';

const CONF = `[public]
port = 3100
work_dir = /run/tfs
dev_name = eth0
ip_addr = ${VIP}

[nameserver]
ip_addr_list = 198.18.0.1|198.18.0.2
`;

describe.skipIf(unavailable(available, 'the cluster lab'))('tfs-nameserver in a Pacemaker cluster', () => {
  let lab: Lab;

  /** The node where the whole group has started (crm_mon lists a start in progress as active too). */
  async function groupNode(): Promise<string | undefined> {
    const view = parseCrmMon(await lab.crmMon());
    const started = (id: string) => view.resources.filter((r) => r.id === id && r.role === 'Started' && !r.failed).flatMap((r) => r.nodes);
    const ns = started('tfs-ns');
    const vip = started('tfs-vip');
    return ns.length === 1 && vip.length === 1 && ns[0] === vip[0] ? ns[0] : undefined;
  }

  async function nsLog(node: string): Promise<string> {
    const result = await lab.exec(node, 'cat', ['/run/tfs/logs/nameserver.log']);
    expect(result.code, `cat on ${node}: ${result.stderr}`).toBe(0);
    return result.stdout;
  }

  beforeAll(async () => {
    requireBuilt();
    lab = await startLab({ nodes: 2 });
    await installStandIn(lab, CONF);
    const pcs = async (...args: string[]) => {
      const result = await lab.exec(1, 'pcs', args);
      expect(result.code, result.stderr).toBe(0);
    };
    await pcs('resource', 'create', 'tfs-vip', 'ocf:heartbeat:IPaddr2', `ip=${VIP}`, 'cidr_netmask=24', 'nic=eth0', 'op', 'monitor', 'interval=10s', '--group', 'tfs');
    await pcs('resource', 'create', 'tfs-ns', 'ocf:ocfkit:tfs-nameserver', 'basedir=/run/tfs', 'user=nobody', 'op', 'monitor', 'interval=5s', 'timeout=20s', 'op', 'start', 'timeout=90s', 'op', 'stop', 'timeout=180s', '--group', 'tfs');
    await pcs('resource', 'meta', 'tfs', 'resource-stickiness=INFINITY');
  }, UP_TIMEOUT);

  afterAll(() => lab?.down(), UP_TIMEOUT);

  it('starts next to the VIP, switched to master, answering on the VIP', async () => {
    const node = await lab.waitFor(groupNode, 60_000);
    expect(await nsLog(node)).toMatch(/switch flag: 1, role checked at once: master\n$/);
    const other = lab.nodeNames.find((n) => n !== node)!;
    // the tool shipped with the agent, run on the other node, through the VIP
    expect(await lab.exec(other, HA_MONITOR, ['-i', VIP, '-p', '3100', '-n'])).toEqual({ code: 0, stdout: '', stderr: '' });
  }, 90_000);

  it('moves with the VIP when its node fails, and takes the master role there', async () => {
    const first = await lab.waitFor(groupNode, 60_000);
    await lab.crash(first);
    const second = await lab.waitFor(async () => {
      const node = await groupNode();
      return node !== first ? node : undefined;
    }, 60_000);
    expect(second).not.toBe(first);
    const log = await nsLog(second);
    expect(log).toMatch(/own role: master, vip: 198\.18\.0\.100/);
    expect(log).toMatch(/switch flag: 1, role checked at once: master\n$/);
    expect((await lab.exec(second, HA_MONITOR, ['-i', VIP, '-p', '3100', '-n'])).code).toBe(0);
  }, 90_000);
});
