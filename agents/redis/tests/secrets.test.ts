import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCanaries, logSinks, type ExecutableResult } from '@ocfkit/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { alive, makeCluster, requireBuilt, type RunOptions, type TestNode } from './helpers/agent-nodes.ts';
import { tempDir } from './helpers/redis-server.ts';

// Exit reasons end up in the CIB, crm_mon and crm_report bundles. Canary secrets are planted in
// every place redis credentials live (requirepass, masterauth, ACL users' passwords and hashes,
// TLS key passphrases, password_file) and the built agent is run through its failures (config
// lines redis-server refuses and quotes, a password it rejects, a server gone) with every log
// sink on; no canary may appear in any reason, stderr, log or trace file.

const HASH = 'ca11ab1e'.repeat(8);
const CANARY = {
  requirepass: 'CanaryRequirepass7',
  masterauth: 'CanaryMasterauth7',
  aclPass: 'CanaryAclPass7',
  aclHash: HASH,
  aclRemoved: 'CanaryAclRemoved7',
  tlsPass: 'CanaryTlsPass7',
  tlsClientPass: 'Canary TlsClient7',
  escaped: 'Canary Escaped7',
  escapedRaw: 'Canary \\x45scaped7',
  passwordFile: 'CanaryPasswordFile7',
};
const CANARIES = Object.values(CANARY);

const primitive = { promotable: false } as const;
const sinks = logSinks(join(tempDir('h2-sinks-'), 'sinks'));
const outputs: Record<string, string | undefined> = {};
let calls = 0;

type Node = TestNode & { call(action: string, options?: RunOptions): Promise<ExecutableResult> };

/** A node with this redis.conf text added, whose calls run with every sink on and are kept. */
async function node(configExtra: string): Promise<Node> {
  const cluster = await makeCluster(1, { password: CANARY.requirepass, configExtra });
  const n = cluster.nodes[0]!;
  const call = async (action: string, options: RunOptions = {}) => {
    const result = await n.run(action, { ...primitive, ...options, env: { ...sinks.env(cluster.fake.path), ...options.env } });
    const label = `call ${++calls} (${action})`;
    outputs[`${label} reason`] = result.reason;
    outputs[`${label} stderr`] = result.stderr;
    outputs[`${label} stdout`] = result.stdout;
    return result;
  };
  return Object.assign(n, { call });
}

beforeAll(() => requireBuilt());

describe('no secret in any reason, log or trace', () => {
  it('an ACL user line redis-server refuses: 1, quoted with its passwords and hashes masked', async () => {
    const n = await node(
      [`masterauth ${CANARY.masterauth}`, `user alice on >${CANARY.aclPass} #${HASH} <${CANARY.aclRemoved} ~* +@all nosuchrule`].join('\n'),
    );
    const result = await n.call('start');
    expect(result.code).toBe(1);
    expect(result.reason).toContain(`'user alice on >*** #*** <*** ~* +@all nosuchrule'`);
    expect((await n.call('monitor')).code).toBe(7);
    expect((await n.call('stop')).code).toBe(0);
  });

  it('a quoted, escaped ACL password: masked as written and as meant', async () => {
    const n = await node(`user bob on >"${CANARY.escapedRaw}" ~* +@all nosuchrule`);
    const result = await n.call('start');
    expect(result.code).toBe(1);
    expect(result.reason).toContain(`'user bob on >*** ~* +@all nosuchrule'`);
  });

  it('TLS key passphrases on a line redis-server refuses: 1, masked', async () => {
    const n = await node(`tls-client-key-file-pass "${CANARY.tlsClientPass}"\ntls-key-file-pass ${CANARY.tlsPass} extra`);
    const result = await n.call('start');
    expect(result.code).toBe(1);
    expect(result.reason).toContain("'tls-key-file-pass *** ***'");
    expect(result.reason).toContain('wrong number of arguments');
  });

  it('a password_file redis rejects, then the server gone: reasons without the password', async () => {
    const file = join(tempDir('h2-pw-'), 'password');
    writeFileSync(file, `${CANARY.passwordFile}\n`);
    chmodSync(file, 0o600);
    const n = await node(`tls-key-file-pass ${CANARY.tlsPass}\nuser carol on >${CANARY.aclPass} ~* +@all`);
    const params = { password_file: file };
    const start = await n.call('start', { params });
    expect(start.code).toBe(1);
    expect(start.reason).toMatch(/^redis-server started but the agent cannot log in: .*WRONGPASS/);
    // a failed start leaves nothing running
    expect((await n.call('monitor', { params })).code).toBe(7);
    expect((await n.call('start')).code).toBe(0);
    const monitor = await n.call('monitor', { params, meta: { interval: 10000 } });
    expect(monitor.code).toBe(1);
    expect(monitor.reason).toContain('WRONGPASS');
    // killed behind the agent's back: the server is gone
    const pid = n.pid();
    n.crash();
    expect((await n.call('monitor', { params, meta: { interval: 10000 } })).code).toBe(7);
    expect((await n.call('stop', { params })).code).toBe(0);
    expect(alive(pid)).toBe(false);
  });

  it('every sink was written, and none holds a canary', () => {
    const logs = sinks.read();
    for (const [name, text] of Object.entries(logs)) expect(text, name).not.toBe('');
    expect(findCanaries({ ...outputs, ...logs }, CANARIES)).toEqual([]);
  });
});
