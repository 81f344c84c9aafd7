import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { expectAnswered, expectMalformedRefused, processesMentioning, type ExecutableResult } from '@ocfkit/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alive, makeCluster, requireBuilt, type RunOptions, type TestNode } from './helpers/agent-nodes.ts';

// The bad-input battery of redis (issue 8): each case through the built executable as
// pacemaker-execd runs it, as a primitive on a real redis-server, asserting the exact code, a
// reason naming the cause, no stack, no hang past the deadline, nothing left running. It adds to
// primitive.test.ts and ownership.test.ts (which it does not repeat):
// - malformed port, duration, boolean and file-name values, through validate-all and start;
// - unknown OCF_RESKEY_* parameters (ignored);
// - a bin that is not executable, or a directory; a bin that exits at once, or never daemonizes;
// - a redis.conf the redis user cannot read (agent as root), a redis.conf wrong as written;
// - a rundir that cannot be created (a file on its path);
// - a password_file with an empty first line, or unreadable by the agent;
// - pidfiles that are garbage, empty, name a dead pid or a foreign live process;
// - the resource's unix socket held by a stranger;
// - an empty environment (no OCF_ROOT, OCF_RESOURCE_*, PATH or timeout);
// - the agent as nobody, asked to run redis-server as redis.

const NOBODY = { uid: 65534, gid: 65534 };
const primitive = { promotable: false } as const;
const strangers: Array<ChildProcess | Server> = [];
let bases: string[] = [];

beforeAll(() => requireBuilt());
afterEach(() => {
  for (const s of strangers.splice(0)) 'kill' in s ? s.kill('SIGKILL') : s.close();
  for (const base of bases) for (const pid of processesMentioning(base)) process.kill(pid, 'SIGKILL');
  bases = [];
});

async function node(): Promise<TestNode> {
  const n = (await makeCluster(1)).nodes[0]!;
  bases.push(n.base);
  return n;
}

/** One action as a primitive, answered as an agent must: an exit code, no stack trace, within the budget. */
async function run(n: TestNode, action: string, options: RunOptions = {}): Promise<ExecutableResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return expectAnswered(await n.run(action, { ...primitive, timeoutMs, ...options }), timeoutMs);
}

const leftovers = (n: TestNode) => processesMentioning(n.base);

describe('malformed values: validate-all and start 6 naming the parameter; probe 7, stop 0', () => {
  it.for([
    ['port', 'abc', "parameter port: expected an integer from 1 to 65535, got 'abc'"],
    ['port', '65536', "parameter port: expected an integer from 1 to 65535, got '65536'"],
    ['replica_link_grace', '-1s', "parameter replica_link_grace: expected a duration such as 10s, 500ms or 2min, got '-1s'"],
    ['max_replica_lag', '500ms', "parameter max_replica_lag: expected a duration of at least 1000ms, got '500ms'"],
    ['wait_last_known_master', 'perhaps', "parameter wait_last_known_master: expected a boolean (yes/no, true/false, 1/0, on/off), got 'perhaps'"],
    ['isolation_guard', 'enabled', "parameter isolation_guard: expected a boolean (yes/no, true/false, 1/0, on/off), got 'enabled'"],
    ['pidfile_name', 'run/redis.pid', "parameter pidfile_name: expected a file name without a directory, got 'run/redis.pid'"],
    ['socket_name', '..', "parameter socket_name: expected a file name without a directory, got '..'"],
    ['config', 'redis.conf', "parameter config: expected an absolute path, got 'redis.conf'"],
  ] as const)('%s=%s', async ([name, value, reason]) => {
    const n = await node();
    await expectMalformedRefused((action) => run(n, action, { params: { [name]: value } }), reason, () => leftovers(n));
  });

  it('node_address_map without addresses: 6 naming it', async () => {
    const n = await node();
    const result = await run(n, 'validate-all', { params: { node_address_map: 'node1;node2' } });
    expect(result.code).toBe(6);
    expect(result.reason).toMatch(/^parameter node_address_map: expected /);
  });
});

describe('unknown parameters are ignored, as OCF agents ignore them', () => {
  it('validate-all 0, start 0, stop 0', async () => {
    const n = await node();
    const params = { no_such_parameter: 'x', redis_password: 'y', 'odd.name': '1' };
    for (const action of ['validate-all', 'start', 'stop']) expect(await run(n, action, { params })).toMatchObject({ code: 0, reason: undefined });
    expect(leftovers(n)).toEqual([]);
  });
});

describe('the program', () => {
  it('a bin that is not executable: 5', async () => {
    const n = await node();
    const bin = join(n.base, 'redis-server');
    copyFileSync('/usr/bin/redis-server', bin);
    chmodSync(bin, 0o644);
    for (const action of ['validate-all', 'start']) {
      expect(await run(n, action, { params: { bin } })).toMatchObject({ code: 5, reason: `bin: ${bin} is not executable` });
    }
  });

  it('a bin that is a directory: 5', async () => {
    const n = await node();
    expect(await run(n, 'validate-all', { params: { bin: n.base } })).toMatchObject({ code: 5, reason: `bin: ${n.base} is a directory` });
  });

  it.for([['/bin/true'], ['/bin/false']] as const)('a bin that exits at once (%s): start 1 saying so, well before the deadline', async ([bin]) => {
    const n = await node();
    const result = await run(n, 'start', { params: { bin } });
    expect([result.code, result.reason]).toEqual([1, 'redis-server exited during start: no output (see its logfile)']);
    expect(result.wallMs).toBeLessThan(10_000);
    expect(leftovers(n)).toEqual([]);
  });

  it('a bin that never daemonizes nor answers, with 8 s: start 1 within the budget, nothing left', async () => {
    const n = await node();
    copyFileSync('/bin/sleep', join(n.base, 'sleep'));
    const bin = join(n.base, 'hangs.sh');
    writeFileSync(bin, `#!/bin/sh\n"${join(n.base, 'sleep')}" 3600\n`);
    chmodSync(bin, 0o755);
    const result = await run(n, 'start', { params: { bin }, timeoutMs: 8000 });
    expect(result.code).toBe(1);
    expect(result.reason).toMatch(/^redis did not become ready within \d+(\.\d)?s \(no answer yet\)$/);
    expect(leftovers(n)).toEqual([]);
  });
});

describe('redis.conf', () => {
  it('not readable by the redis user (agent as root): validate-all and start 4 naming the file, nothing launched', async () => {
    const n = await node();
    chmodSync(n.config, 0o600);
    for (const action of ['validate-all', 'start']) {
      const result = await run(n, action);
      expect([result.code, result.reason]).toEqual([4, `config ${n.config} is not readable by user redis`]);
    }
    expect(leftovers(n)).toEqual([]);
  });

  it('wrong as written (port abc): 6 naming file and line', async () => {
    const n = await node();
    writeFileSync(n.config, readFileSync(n.config, 'utf8').replace(/^port \d+$/m, 'port abc'));
    for (const action of ['validate-all', 'start']) {
      const result = await run(n, action);
      expect([result.code, result.reason]).toEqual([6, `config ${n.config} line 2: port must be an integer from 0 to 65535, got 'abc'`]);
    }
  });
});

describe('this node: directories and files', () => {
  it('a rundir that cannot be created (a file on its path): 5, nothing launched', async () => {
    const n = await node();
    const file = join(n.base, 'plain-file');
    writeFileSync(file, '');
    const rundir = join(file, 'run');
    for (const action of ['validate-all', 'start']) {
      const result = await run(n, action, { params: { rundir } });
      expect([result.code, result.reason]).toEqual([5, `pidfile ${join(rundir, 'redis-server.pid')}: a path component is not a directory`]);
    }
    expect((await run(n, 'stop', { params: { rundir } })).code).toBe(0);
    expect(leftovers(n)).toEqual([]);
  });

  it('a password_file whose first line is empty: 6', async () => {
    const n = await node();
    const file = join(n.base, 'pw');
    writeFileSync(file, '\nsecret\n');
    expect(await run(n, 'validate-all', { params: { password_file: file } })).toMatchObject({ code: 6, reason: `password_file ${file}: the first line is empty` });
  });

  it('a password_file the agent cannot read (agent as nobody): 4', async () => {
    const n = await node();
    const file = join(n.base, 'pw');
    writeFileSync(file, 'secret\n');
    chmodSync(file, 0o600);
    const result = await run(n, 'validate-all', { params: { password_file: file, user: 'nobody' }, ...NOBODY });
    expect([result.code, result.reason]).toEqual([4, `cannot read password_file ${file}: permission denied`]);
  });
});

/** What a pidfile is left holding; some need a process made first. */
const pidfileStates: Array<[string, () => string | Promise<string>]> = [
  ['garbage', () => 'redis\n'],
  ['empty', () => ''],
  ['a dead pid', async () => {
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    return `${gone.pid}\n`;
  }],
  ['a foreign live process', () => {
    const stranger = spawn('sleep', ['300'], { stdio: 'ignore' });
    strangers.push(stranger);
    return `${stranger.pid}\n`;
  }],
];

describe('pidfiles left in every state: probe 7, stop 0, start 0, stop 0', () => {
  it.for(pidfileStates)('%s', async ([, content]) => {
    const n = await node();
    const pidfile = join(n.rundir, 'redis-server.pid');
    mkdirSync(n.rundir, { recursive: true });
    const text = await content();
    writeFileSync(pidfile, text);
    expect(await run(n, 'monitor')).toMatchObject({ code: 7, reason: undefined });
    expect(await run(n, 'stop')).toMatchObject({ code: 0, reason: undefined });
    writeFileSync(pidfile, text);
    expect(await run(n, 'start')).toMatchObject({ code: 0, reason: undefined });
    const pid = n.pid();
    expect(alive(pid)).toBe(true);
    expect(await run(n, 'monitor', { meta: { interval: 10000 } })).toMatchObject({ code: 0 });
    expect(await run(n, 'stop')).toMatchObject({ code: 0, reason: undefined });
    expect(alive(pid)).toBe(false);
    for (const s of strangers) expect('pid' in s && alive(s.pid)).toBe(true);
    expect(leftovers(n)).toEqual([]);
  });
});

describe('the resource\'s unix socket held by a stranger', () => {
  it('start 1 saying so, the stranger untouched; a probe 1 naming the socket (it cannot tell a stranger from a jammed server)', async () => {
    const n = await node();
    mkdirSync(n.rundir, { recursive: true });
    const stranger = createServer((socket) => socket.destroy()).listen(n.socket);
    strangers.push(stranger);
    await new Promise((resolve) => stranger.once('listening', resolve));
    const result = await run(n, 'start');
    expect([result.code, result.reason]).toEqual([1, `a server already listens on ${n.socket} but does not answer INFO as this instance's redis-server: stop it first`]);
    expect(stranger.listening).toBe(true);
    expect(await run(n, 'monitor')).toMatchObject({ code: 1, reason: `redis at ${n.socket} closed the connection` });
    expect(leftovers(n)).toEqual([]);
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
    const n = await node();
    for (const [action, code] of [['validate-all', 0], ['start', 0], ['monitor', 0], ['stop', 0], ['monitor', 7]] as const) {
      expect(await run(n, action, { env: bare })).toMatchObject({ code, reason: undefined });
    }
    expect(leftovers(n)).toEqual([]);
  });
});

describe('the agent run as nobody', () => {
  it('asked to run redis-server as redis: start 4 saying so, nothing launched; probe 7, stop 0', async () => {
    const n = await node();
    for (const action of ['validate-all', 'start']) {
      const result = await run(n, action, NOBODY);
      expect([result.code, result.reason]).toEqual([4, 'cannot run /usr/bin/redis-server as user redis: the agent is not running as root']);
    }
    expect((await run(n, 'monitor', NOBODY)).code).toBe(7);
    expect((await run(n, 'stop', NOBODY)).code).toBe(0);
    expect(leftovers(n)).toEqual([]);
  });
});
