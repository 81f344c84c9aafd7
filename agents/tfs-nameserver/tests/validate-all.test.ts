import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Params } from '@ocfkit/testkit';
import { call, paramsFor, requireBuilt } from './helpers/agent.ts';
import { freePort, makeNsInstance, type NsInstance } from './helpers/fake-ns.ts';

// validate-all (also the first step of every start): 5 for what is missing on this node,
// 6 for what cannot work anywhere, each with a reason naming the culprit.

let ns: NsInstance;
beforeAll(() => requireBuilt());
afterEach(() => ns?.cleanup());

async function fresh(): Promise<NsInstance> {
  ns = makeNsInstance({ port: await freePort() });
  return ns;
}

async function validate(params: Params): Promise<[number | null, string | undefined]> {
  const result = await call('validate-all', params);
  expect(result.stdout).toBe('');
  return [result.code, result.reason];
}

describe('validate-all', () => {
  it('0 for a complete installation', async () => {
    await fresh();
    expect(await validate(paramsFor(ns))).toEqual([0, undefined]);
  });

  it('5 when the NameServer binary is missing or not executable', async () => {
    await fresh();
    chmodSync(ns.binary, 0o644);
    expect(await validate(paramsFor(ns))).toEqual([5, `basedir: ${ns.binary} is not executable`]);
    rmSync(ns.binary);
    expect(await validate(paramsFor(ns))).toEqual([5, `basedir: ${ns.binary} not found`]);
    expect(await validate(paramsFor(ns, { basedir: '/nonexistent/tfs' }))).toEqual([5, 'basedir: /nonexistent/tfs/bin/nameserver not found']);
  });

  it('4 when the binary is not executable by user, or ns.conf not readable by user', async () => {
    await fresh();
    chmodSync(ns.binary, 0o700);
    expect(await validate(paramsFor(ns, { user: 'nobody' }))).toEqual([4, `${ns.binary} is not executable by user nobody`]);
    chmodSync(ns.binary, 0o755);
    chmodSync(ns.conf, 0o600);
    expect(await validate(paramsFor(ns, { user: 'nobody' }))).toEqual([4, `${ns.conf} is not readable by user nobody`]);
  });

  it('5 when the pidfile path is a directory; stop still 0 (nothing of ours can run), monitor 7', async () => {
    await fresh();
    mkdirSync(ns.pidfile, { recursive: true });
    expect(await validate(paramsFor(ns))).toEqual([5, `pidfile ${ns.pidfile} is a directory: name a file in it, such as ${ns.pidfile}/service.pid`]);
    expect((await call('stop', paramsFor(ns))).code).toBe(0);
    expect((await call('monitor', paramsFor(ns))).code).toBe(7);
  });

  it('5 when ns.conf is missing', async () => {
    await fresh();
    rmSync(ns.conf);
    expect(await validate(paramsFor(ns))).toEqual([5, `${ns.conf} not found (basedir ${ns.basedir})`]);
  });

  it('6 when ns.conf lacks a key the NameServer needs', async () => {
    await fresh();
    writeFileSync(ns.conf, readFileSync(ns.conf, 'utf8').replace(/^ip_addr_list.*$/m, ''));
    expect(await validate(paramsFor(ns))).toEqual([6, `${ns.conf}: [nameserver] ip_addr_list is not set`]);
  });

  it('5 for a user unknown on this node', async () => {
    await fresh();
    expect(await validate(paramsFor(ns, { user: 'no-such-user' }))).toEqual([5, 'user no-such-user does not exist on this node']);
  });

  it('6 for a bad nsport, or one that is not the port in ns.conf', async () => {
    await fresh();
    expect(await validate(paramsFor(ns, { nsport: 70000 }))).toEqual([6, "parameter nsport: expected an integer from 1 to 65535, got '70000'"]);
    expect(await validate(paramsFor(ns, { nsport: ns.port + 1 }))).toEqual([
      6,
      `nsport ${ns.port + 1} differs from [public] port ${ns.port} in ${ns.conf}: the heartbeat would go to the wrong port`,
    ]);
  });

  it('6 for a pidfile that is not where the NameServer writes it', async () => {
    await fresh();
    expect(await validate(paramsFor(ns, { pidfile: '/run/nameserver.pid' }))).toEqual([
      6,
      `pidfile /run/nameserver.pid: the NameServer writes ${ns.pidfile} (work_dir in ${ns.conf})`,
    ]);
    expect(await validate(paramsFor(ns, { pidfile: 'logs/nameserver.pid' }))).toEqual([6, "parameter pidfile: expected an absolute path, got 'logs/nameserver.pid'"]);
  });

  it('checks montool only when it is set: 5 when not executable, 6 when relative', async () => {
    await fresh();
    const tool = join(ns.basedir, 'bin/ha_monitor');
    expect(await validate(paramsFor(ns, { montool: tool }))).toEqual([5, `montool: ${tool} not found`]);
    copyFileSync('/bin/true', tool);
    chmodSync(tool, 0o755);
    expect(await validate(paramsFor(ns, { montool: tool }))).toEqual([0, undefined]);
    expect(await validate(paramsFor(ns, { montool: 'bin/ha_monitor' }))).toEqual([6, "parameter montool: expected an absolute path, got 'bin/ha_monitor'"]);
  });

  it('start runs it first: an unknown user fails start with 5 before anything is launched', async () => {
    await fresh();
    const result = await call('start', paramsFor(ns, { user: 'no-such-user' }));
    expect([result.code, result.reason]).toEqual([5, 'user no-such-user does not exist on this node']);
    expect(() => readFileSync(ns.logFile)).toThrow();
  });
});
