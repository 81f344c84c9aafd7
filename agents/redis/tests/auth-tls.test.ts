import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseInfo } from '../src/info.ts';
import { withClient } from '../src/resp/client.ts';
import { SETTLE, makeCluster, notifyMeta, requireBuilt, RESOURCE, type TestNode } from './helpers/agent-nodes.ts';
import { tempDir } from './helpers/redis-server.ts';
import { makeTlsFiles } from './helpers/tls-files.ts';

// Replication that needs more than an address: an ACL user (the default user disabled), and TLS
// between the servers. The agent itself always talks over the unix socket it gave the server.

beforeAll(() => requireBuilt());

async function promoteAndFollow(primary: TestNode, replica: TestNode, params: Record<string, string> = {}) {
  const names = [primary.name, replica.name];
  for (const node of [primary, replica]) {
    const start = await node.run('start', { params });
    expect([start.code, start.reason]).toEqual([0, undefined]);
  }
  const promote = await primary.run('promote', { params });
  expect([promote.code, promote.reason]).toEqual([0, undefined]);
  const post = await replica.run('notify', { params, meta: notifyMeta('post', 'promote', { promote: [primary.name], active: names, unpromoted: names }) });
  expect([post.code, post.reason]).toEqual([0, undefined]);
}

describe('an ACL user, the default user disabled', () => {
  it('the agent logs in as the user from username and password_file, and replicas use it as masteruser', async () => {
    const c = await makeCluster(2, { configExtra: 'user default off\nuser agent on >agent-pw ~* &* +@all' });
    const [node1, node2] = c.nodes as [TestNode, TestNode];
    const secrets = tempDir();
    const passwordFile = join(secrets, 'redis-password');
    writeFileSync(passwordFile, 'agent-pw\n');
    chmodSync(passwordFile, 0o600);
    const params = { username: 'agent', password_file: passwordFile };
    await promoteAndFollow(node1, node2, params);
    const auth = { username: 'agent', password: 'agent-pw' };
    await withClient({ endpoint: { path: node1.socket }, ...auth }, (cl) => cl.command(['SET', 'acl', 'ok']));
    await vi.waitFor(async () => expect(await withClient({ endpoint: { path: node2.socket }, ...auth }, (cl) => cl.command(['GET', 'acl'])), 'replication as the ACL user').toBe('ok'), SETTLE);
    const monitor = await node2.run('monitor', { params, meta: { interval: 10000 } });
    expect([monitor.code, monitor.reason]).toEqual([0, undefined]);
    expect(c.fake.score('node2', RESOURCE)).toBe(1000);
    for (const node of c.nodes) expect((await node.run('stop', { params })).code).toBe(0);
  });
});

describe('TLS replication (tls-port, tls-replication yes, no plain port)', () => {
  it('replicas reach the primary on its TLS port, with the CA, certificate and key of redis.conf', async () => {
    const dir = tempDir();
    const tls = makeTlsFiles(dir, 'tls');
    // redis-server runs as the redis user: it must reach and read the files
    for (const path of [dir, tls.dir]) chmodSync(path, 0o755);
    chmodSync(tls.keyFile, 0o644);
    const c = await makeCluster(2, { tls, password: 'tls-pw' });
    const [node1, node2] = c.nodes as [TestNode, TestNode];
    await promoteAndFollow(node1, node2);
    await node1.command('SET', 'over', 'tls');
    await vi.waitFor(async () => expect(await node2.command('GET', 'over'), 'replication over TLS').toBe('tls'), SETTLE);
    const info = await node2.info();
    expect([info.masterPort, info.masterLinkStatus]).toEqual([node1.tlsPort, 'up']);
    // and the TLS port answers clients that trust the CA
    const pong = await withClient({ endpoint: { host: '127.0.0.1', port: node1.tlsPort!, tls: { ca: tls.ca } }, password: 'tls-pw' }, (cl) => cl.command(['PING']));
    expect(pong).toBe('PONG');
    expect(parseInfo((await node1.command('INFO', 'replication')) as string).connectedSlaves).toBe(1);
  });
});
