import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectAnswered, expectMalformedRefused, processesMentioning, type ExecutableOptions, type ExecutableResult, type Params } from '@ocfkit/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, paramsFor, requireBuilt } from './helpers/agent.ts';
import { alive, freePort, makeNsInstance, pidIn, type NsInstance, type NsLayout } from './helpers/fake-ns.ts';

// The bad-input battery of tfs-nameserver (issue 8): each case through the built executable as
// pacemaker-execd runs it, asserting the exact code, a reason naming the cause, no stack, no hang
// past the deadline, nothing left running. It adds to validate-all.test.ts, start.test.ts and
// monitor-stop.test.ts (which it does not repeat):
// - malformed port (text, 0, a fraction), duration and path values, through validate-all and start;
// - unknown OCF_RESKEY_* parameters (ignored);
// - an ns.conf whose port is not a number, or whose address list is one address (6);
// - an ns.conf the agent itself cannot read (the agent as nobody, mode 000: 4);
// - a logs/ directory that cannot exist (a file in its place: 5);
// - a montool that is a directory (5);
// - a basedir where the NameServer's user cannot create logs/ (4, judged for that user);
// - pidfiles that are garbage or empty;
// - stop of a NameServer that ignores SIGTERM with a CRM_meta_timeout of 3 s;
// - an empty environment (no OCF_ROOT, OCF_RESOURCE_*, PATH or timeout);
// - the agent as nobody: running the NameServer as nobody, and asked to run it as root.

const NOBODY = { uid: 65534, gid: 65534 };
let instances: NsInstance[] = [];
beforeAll(() => requireBuilt());
afterEach(() => {
  for (const ns of instances) ns.cleanup();
  instances = [];
});

async function instance(layout: Partial<NsLayout> = {}): Promise<NsInstance> {
  const ns = makeNsInstance({ port: await freePort(), ...layout });
  instances.push(ns);
  return ns;
}

/** Answered as an agent must: an exit code (never killed at the deadline), no stack trace. */
async function answered(pending: Promise<ExecutableResult>, budgetMs = 20_000): Promise<ExecutableResult> {
  return expectAnswered(await pending, budgetMs);
}

const run = (action: string, params: Params, options: ExecutableOptions = {}) => answered(call(action, params, { timeoutMs: 20_000, ...options }), options.timeoutMs);

describe('malformed values: validate-all and start 6 naming the parameter; probe 7, stop 0', () => {
  it.for([
    ['nsport', 'abc', "parameter nsport: expected an integer from 1 to 65535, got 'abc'"],
    ['nsport', '0', "parameter nsport: expected an integer from 1 to 65535, got '0'"],
    ['nsport', '3100.5', "parameter nsport: expected an integer from 1 to 65535, got '3100.5'"],
    ['stop_timeout', 'forever', "parameter stop_timeout: expected a duration such as 10s, 500ms or 2min, got 'forever'"],
    ['basedir', 'home/admin/tfs', "parameter basedir: expected an absolute directory, got 'home/admin/tfs'"],
  ] as const)('%s=%s', async ([name, value, reason]) => {
    const ns = await instance();
    const params = paramsFor(ns, { [name]: value });
    await expectMalformedRefused((action) => run(action, params), reason, () => processesMentioning(ns.basedir));
  });
});

describe('unknown parameters are ignored, as OCF agents ignore them', () => {
  it('validate-all 0, start 0, stop 0', async () => {
    const ns = await instance();
    const params = paramsFor(ns, { no_such_parameter: 'x', ha_monitor_interval: '5', 'odd.name': '1' });
    for (const action of ['validate-all', 'start', 'stop']) expect(await run(action, params)).toMatchObject({ code: 0, reason: undefined });
    expect(processesMentioning(ns.basedir)).toEqual([]);
  });
});

describe('ns.conf wrong as written: 6 naming file and key', () => {
  it.for([
    ['a port that is not a number', /^port = .*$/m, 'port = 31oo', (conf: string) => `${conf}: [public] port 31oo is not a port (1-65535)`],
    ['one address where two are needed', /^ip_addr_list = .*$/m, 'ip_addr_list = 127.0.0.1', (conf: string) => `${conf}: [nameserver] ip_addr_list 127.0.0.1 must be two addresses, A|B`],
  ] as const)('%s', async ([, line, replacement, reason]) => {
    const ns = await instance();
    writeFileSync(ns.conf, readFileSync(ns.conf, 'utf8').replace(line, replacement));
    for (const action of ['validate-all', 'start']) {
      const result = await run(action, paramsFor(ns));
      expect([result.code, result.reason]).toEqual([6, reason(ns.conf)]);
    }
    expect(processesMentioning(ns.basedir)).toEqual([]);
  });
});

describe('this node: files and directories', () => {
  it('an ns.conf the agent cannot read (agent as nobody, mode 000): 4', async () => {
    const ns = await instance();
    chmodSync(ns.conf, 0o000);
    const result = await run('validate-all', paramsFor(ns, { user: 'nobody' }), NOBODY);
    expect([result.code, result.reason]).toEqual([4, `cannot read ${ns.conf}: permission denied`]);
  });

  it('a file where the logs directory must be: 5 naming the pidfile path, nothing launched', async () => {
    const ns = await instance();
    writeFileSync(join(ns.basedir, 'logs'), '');
    for (const action of ['validate-all', 'start']) {
      const result = await run(action, paramsFor(ns));
      expect([result.code, result.reason]).toEqual([5, `pidfile ${ns.pidfile}: a path component is not a directory`]);
    }
    expect(processesMentioning(ns.basedir)).toEqual([]);
  });

  it('a montool that is a directory: 5', async () => {
    const ns = await instance();
    const tool = join(ns.basedir, 'bin/ha_monitor');
    mkdirSync(tool);
    const result = await run('validate-all', paramsFor(ns, { montool: tool }));
    expect([result.code, result.reason]).toEqual([5, `montool: ${tool} is a directory`]);
  });
});

describe('pidfiles left in every state: probe 7, stop 0, start 0, stop 0', () => {
  it.for([
    ['garbage', 'nameserver\n'],
    ['empty', ''],
    ['negative', '-1\n'],
  ] as const)('%s', async ([, content]) => {
    const ns = await instance();
    mkdirSync(join(ns.basedir, 'logs'), { recursive: true });
    writeFileSync(ns.pidfile, content);
    expect(await run('monitor', paramsFor(ns))).toMatchObject({ code: 7, reason: undefined });
    expect(await run('stop', paramsFor(ns))).toMatchObject({ code: 0, reason: undefined });
    writeFileSync(ns.pidfile, content);
    expect(await run('start', paramsFor(ns))).toMatchObject({ code: 0, reason: undefined });
    const pid = pidIn(ns.pidfile);
    expect(alive(pid)).toBe(true);
    expect(await run('stop', paramsFor(ns))).toMatchObject({ code: 0, reason: undefined });
    expect(alive(pid)).toBe(false);
    expect(processesMentioning(ns.basedir)).toEqual([]);
  });
});

describe('a CRM_meta_timeout too short for the action', () => {
  it('stop of a NameServer that ignores SIGTERM, given 3 s: 0 within the budget, killed', async () => {
    const ns = await instance({ knobs: { ignore_term: 1 } });
    expect((await run('start', paramsFor(ns))).code).toBe(0);
    const pid = pidIn(ns.pidfile);
    const result = await run('stop', paramsFor(ns), { timeoutMs: 3000 });
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(alive(pid)).toBe(false);
    expect(processesMentioning(ns.basedir)).toEqual([]);
  });
});

describe('an empty environment: only the parameters, no OCF_ROOT, OCF_RESOURCE_*, PATH or timeout', () => {
  const bare = Object.fromEntries(
    ['PATH', 'LANG', 'LC_ALL', 'OCF_ROOT', 'OCF_RESOURCE_INSTANCE', 'OCF_RESOURCE_TYPE', 'OCF_RESOURCE_PROVIDER', 'OCF_EXIT_REASON_PREFIX',
      'OCF_OUTPUT_FORMAT', 'OCF_RA_VERSION_MAJOR', 'OCF_RA_VERSION_MINOR', 'OCF_RESKEY_crm_feature_set', 'OCF_RESKEY_CRM_meta_on_node',
      'OCF_RESKEY_CRM_meta_on_node_uuid', 'OCF_RESKEY_CRM_meta_timeout', 'PCMK_logfacility', 'PCMK_debug', 'PCMK_service', 'HA_cluster_type',
    ].map((name) => [name, undefined]),
  );

  it('validate-all, start, probe, stop work', async () => {
    const ns = await instance();
    const params = paramsFor(ns);
    expect(await run('validate-all', params, { env: bare })).toMatchObject({ code: 0, reason: undefined });
    expect(await run('start', params, { env: bare })).toMatchObject({ code: 0, reason: undefined });
    expect(await run('monitor', params, { env: bare })).toMatchObject({ code: 0 });
    expect(await run('stop', params, { env: bare })).toMatchObject({ code: 0, reason: undefined });
    expect(processesMentioning(ns.basedir)).toEqual([]);
  });
});

describe('the agent run as nobody', () => {
  it('running the NameServer as nobody, in a basedir nobody owns: start 0, monitor 0, stop 0', async () => {
    const ns = await instance({ owner: NOBODY });
    const params = paramsFor(ns, { user: 'nobody' });
    expect(await run('start', params, NOBODY)).toMatchObject({ code: 0, reason: undefined });
    const pid = pidIn(ns.pidfile);
    expect(await run('monitor', params, { ...NOBODY, meta: { interval: 10000 } })).toMatchObject({ code: 0 });
    expect(await run('stop', params, NOBODY)).toMatchObject({ code: 0, reason: undefined });
    expect(alive(pid)).toBe(false);
    expect(processesMentioning(ns.basedir)).toEqual([]);
  });

  it('asked to run the NameServer as root: start 4 saying so, nothing launched; probe 7, stop 0', async () => {
    const ns = await instance({ owner: NOBODY });
    const params = paramsFor(ns, { user: 'root' });
    const result = await run('start', params, NOBODY);
    expect([result.code, result.reason]).toEqual([4, `cannot run ${ns.binary} as user root: the agent is not running as root`]);
    expect((await run('monitor', params, NOBODY)).code).toBe(7);
    expect((await run('stop', params, NOBODY)).code).toBe(0);
    expect(processesMentioning(ns.basedir)).toEqual([]);
  });

  it('a basedir where the NameServer\'s user cannot create logs/ (agent as root): validate-all and start 4, nothing launched', async () => {
    const ns = await instance();
    rmSync(join(ns.basedir, 'logs'), { recursive: true, force: true });
    chownSync(ns.basedir, 0, 0);
    chmodSync(ns.basedir, 0o755);
    for (const action of ['validate-all', 'start']) {
      const result = await run(action, paramsFor(ns, { user: 'nobody' }));
      expect([result.code, result.reason]).toEqual([4, `${ns.basedir} is not writable by user nobody: the NameServer writes ${ns.pidfile}`]);
    }
    expect(processesMentioning(ns.basedir)).toEqual([]);
  });
});
