import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive, expectAnswered, expectMalformedRefused, freePort, pidIn, processesMentioning, runExecutable, type ExecutableOptions } from '@ocfkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, HELLO, requireBuilt } from './helpers/instance.ts';

// The bad-input battery of http-service (issue 8): what an operator or a node can get wrong, each
// case through the built executable as pacemaker-execd runs it, asserting the exact code, a reason
// naming the cause, no stack, no hang past the deadline, nothing left running. It adds to
// bad-input.test.ts, ownership.test.ts and behaviour.test.ts (which it does not repeat):
// - malformed durations (negative, under the minimum), booleans (tls_insecure), select values in
//   the wrong case, URLs with an impossible port, relative workdir and log_file;
// - unknown OCF_RESKEY_* parameters (ignored, as every OCF agent ignores them);
// - a program only root may execute, run as another user; a CA file unreadable by the agent;
// - a log_file whose directory cannot be created (a path component is a file);
// - pidfiles that are garbage, empty or name a dead pid (daemonize=false and true);
// - the port taken by a stranger that never answers, and by one that answers 200;
// - a program that exits 0 at once; a daemonizing launcher that never writes its pidfile;
// - a CRM_meta_timeout too short for start, and for stop of a service that ignores SIGTERM;
// - an empty environment (no OCF_ROOT, no OCF_RESOURCE_*, no PATH, no timeout);
// - the agent run as nobody (itself, and asked to run the program as root).

const dir = mkdtempSync(join(tmpdir(), 'ocfkit-http-battery-'));
// the agent runs as nobody in some cases: it must reach the program and write its files here
chmodSync(dir, 0o1777);
const NOBODY = { uid: 65534, gid: 65534 };
const hello = join(dir, 'hello-server.mjs');
let counter = 0;

async function instance(extra: Record<string, string | undefined> = {}) {
  const port = await freePort();
  const id = `i${++counter}`;
  const params: Record<string, string | undefined> = {
    service_path: hello,
    service_args: `--port ${port} --tag ${dir}`,
    probe_url: `http://127.0.0.1:${port}/health`,
    pidfile: join(dir, `${id}.pid`),
    log_file: join(dir, `${id}.log`),
    ...extra,
  };
  const run = (action: string, more: Record<string, string | undefined> = {}, options: ExecutableOptions = {}) =>
    runExecutable(AGENT, action, { timeoutMs: 20_000, ...options, params: { ...params, ...more } });
  return { port, id, params, run };
}

/** Answered as an agent must: an exit code (never killed at the deadline), no stack trace. */

const leftovers = () => processesMentioning(dir);
const strangers: Array<ChildProcess | Server> = [];

beforeAll(() => {
  requireBuilt();
  copyFileSync(HELLO, hello);
  chmodSync(hello, 0o755);
});
afterEach(async () => {
  for (const s of strangers.splice(0)) 'kill' in s ? s.kill('SIGKILL') : s.close();
  // nothing a case started may outlive it, whatever it asserted: the assertion is in each case
  for (const pid of leftovers()) process.kill(pid, 'SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('malformed values: validate-all 6 naming the parameter, start the same', () => {
  it.for([
    ['start_timeout', '-5s', "parameter start_timeout: expected a duration such as 10s, 500ms or 2min, got '-5s'"],
    ['stop_timeout', '10 parsecs', "parameter stop_timeout: expected a duration such as 10s, 500ms or 2min, got '10 parsecs'"],
    ['probe_timeout', '5ms', "parameter probe_timeout: expected a duration of at least 10ms, got '5ms'"],
    ['tls_insecure', 'sometimes', "parameter tls_insecure: expected a boolean (yes/no, true/false, 1/0, on/off), got 'sometimes'"],
    ['probe_method', 'get', "parameter probe_method: expected one of GET, HEAD, got 'get'"],
    ['probe_url', 'http://127.0.0.1:70000/health', "parameter probe_url: expected an http://, https:// or http+unix:// URL, got 'http://127.0.0.1:70000/health'"],
    ['workdir', 'srv/app', "parameter workdir: expected an absolute directory, got 'srv/app'"],
    ['log_file', 'app.log', "parameter log_file: expected an absolute path, got 'app.log'"],
    ['environment', '1PORT=8080', "parameter environment: expected KEY=VALUE words, got '1PORT=8080'"],
  ] as const)('%s=%s', async ([name, value, reason]) => {
    const { run } = await instance({ [name]: value });
    await expectMalformedRefused(run, reason, leftovers);
  });
});

describe('unknown parameters are ignored, as OCF agents ignore them', () => {
  it('validate-all 0, start 0, stop 0', async () => {
    const { run } = await instance();
    const extra = { no_such_parameter: 'whatever', binfile: '/nonexistent', 'weird-name.x': '1' };
    expect(expectAnswered(await run('validate-all', extra))).toMatchObject({ code: 0, reason: undefined });
    expect(expectAnswered(await run('start', extra))).toMatchObject({ code: 0, reason: undefined });
    expect(expectAnswered(await run('stop', extra))).toMatchObject({ code: 0, reason: undefined });
    expect(leftovers()).toEqual([]);
  });
});

describe('this node: programs, files and directories', () => {
  it('a program only root may execute, run as nobody: 4 before anything is launched', async () => {
    const rootOnly = join(dir, 'root-only.mjs');
    copyFileSync(hello, rootOnly);
    chmodSync(rootOnly, 0o700);
    const { run } = await instance({ service_path: rootOnly, user: 'nobody' });
    for (const action of ['validate-all', 'start']) {
      const result = expectAnswered(await run(action));
      expect([result.code, result.reason]).toEqual([4, `service_path: ${rootOnly} is not executable by user nobody`]);
    }
    expect(leftovers()).toEqual([]);
  });

  it('a CA file the agent cannot read (agent as nobody): 4 naming the file', async () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    chmodSync(ca, 0o000);
    const { run, port } = await instance({ tls_ca_file: ca });
    const result = expectAnswered(await run('validate-all', { probe_url: `https://127.0.0.1:${port}/health` }, NOBODY));
    expect(result.code).toBe(4);
    expect(result.reason).toContain(`tls_ca_file ${ca}`);
    expect(result.reason).toContain('permission denied');
  });

  it('a log_file whose directory cannot be created (a path component is a file): 5, nothing launched', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    const logFile = join(file, 'logs/app.log');
    const { run } = await instance({ log_file: logFile });
    for (const action of ['validate-all', 'start']) {
      const result = expectAnswered(await run(action));
      expect([result.code, result.reason]).toEqual([5, `log_file ${logFile}: a path component is not a directory`]);
    }
    expect(leftovers()).toEqual([]);
  });
});

describe('pidfiles left in every state: probe 7, stop 0, start 0 with a pidfile of its own, stop 0', () => {
  it.for([
    ['garbage', 'not a pid\n'],
    ['empty', ''],
    ['a dead pid', 'DEAD'],
    ['a pid beyond pid_max', '99999999\n'],
  ] as const)('%s (daemonize=false and true)', async ([, content]) => {
    for (const daemonize of [false, true]) {
      const { run, params, port } = await instance({ daemonize: String(daemonize) });
      const more = daemonize ? { service_args: `--port ${port} --daemonize ${params.pidfile} --tag ${dir}` } : {};
      let text = content as string;
      if (text === 'DEAD') {
        const gone = spawn('true');
        await new Promise((resolve) => gone.once('exit', resolve));
        text = `${gone.pid}\n`;
      }
      writeFileSync(params.pidfile!, text);
      expect(expectAnswered(await run('monitor', more))).toMatchObject({ code: 7, reason: undefined });
      expect(expectAnswered(await run('stop', more))).toMatchObject({ code: 0, reason: undefined });
      writeFileSync(params.pidfile!, text);
      expect(expectAnswered(await run('start', more))).toMatchObject({ code: 0, reason: undefined });
      const pid = pidIn(params.pidfile!);
      expect(alive(pid)).toBe(true);
      expect(expectAnswered(await run('monitor', more, { meta: { interval: 10000 } }))).toMatchObject({ code: 0 });
      expect(expectAnswered(await run('stop', more))).toMatchObject({ code: 0, reason: undefined });
      expect(alive(pid)).toBe(false);
      expect(leftovers()).toEqual([]);
    }
  });
});

describe('the port is taken by a stranger', () => {
  it('that accepts and never answers: start 1 with the program\'s own words, nothing left, the stranger untouched', async () => {
    const { run, port } = await instance({ probe_timeout: '500ms' });
    const stranger = createServer(() => undefined).listen(port, '127.0.0.1');
    strangers.push(stranger);
    await new Promise((resolve) => stranger.once('listening', resolve));
    const result = expectAnswered(await run('start'));
    expect(result.code).toBe(1);
    expect(result.reason).toContain('EADDRINUSE');
    expect(stranger.listening).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('that answers the health check itself: start still fails (1), our program could not listen', async () => {
    const { run, port } = await instance();
    const stranger = createHttpServer((_req, res) => res.end('{"status":"ok"}')).listen(port, '127.0.0.1');
    strangers.push(stranger);
    await new Promise((resolve) => stranger.once('listening', resolve));
    const result = expectAnswered(await run('start'));
    expect(result.code).toBe(1);
    expect(result.reason).toContain('EADDRINUSE');
    expect((await run('monitor')).code).toBe(7);
    expect(leftovers()).toEqual([]);
  });
});

describe('programs that exit at once or hang', () => {
  it('a program that exits 0 at once (daemonize=false): start 1 saying it exited', async () => {
    const { run } = await instance({ service_path: '/bin/true', service_args: dir });
    const result = expectAnswered(await run('start'));
    expect(result.code).toBe(1);
    expect(result.reason).toMatch(/^\/bin\/true \(pid \d+\) exited during start/);
    expect(leftovers()).toEqual([]);
  });

  it('a daemonizing launcher that never writes its pidfile: start 1 before the deadline, the launcher killed', async () => {
    const launcher = join(dir, 'never-daemonizes.sh');
    // a copy of sleep in the scratch dir: every process of it names the dir, so a leftover is found
    copyFileSync('/bin/sleep', join(dir, 'sleep'));
    writeFileSync(launcher, `#!/bin/sh\n"${join(dir, 'sleep')}" 3600\n`);
    chmodSync(launcher, 0o755);
    const { run, params } = await instance({ service_path: launcher, service_args: '', daemonize: 'true' });
    const result = expectAnswered(await run('start', {}, { timeoutMs: 8000 }), 8000);
    expect(result.code).toBe(1);
    expect(result.reason).toContain(params.pidfile);
    expect(leftovers()).toEqual([]);
  });
});

describe('a CRM_meta_timeout too short for the action', () => {
  it('start of a program that listens after 30 s, given 3 s: 1 within the budget, nothing left', async () => {
    const { run, port } = await instance();
    const result = expectAnswered(await run('start', { service_args: `--port ${port} --startup-delay 30000 --tag ${dir}` }, { timeoutMs: 3000 }), 3000);
    expect(result.code).toBe(1);
    expect(result.reason).toContain(`http://127.0.0.1:${port}/health`);
    expect(leftovers()).toEqual([]);
  });

  it('stop of a program that ignores SIGTERM, given 2 s: 0 within the budget, the program killed', async () => {
    const { run, port, params } = await instance();
    const args = { service_args: `--port ${port} --ignore-term --tag ${dir}` };
    expect(expectAnswered(await run('start', args)).code).toBe(0);
    const pid = pidIn(params.pidfile!);
    const result = expectAnswered(await run('stop', args, { timeoutMs: 2000 }), 2000);
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(alive(pid)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});

describe('an empty environment: only the parameters, no OCF_ROOT, OCF_RESOURCE_*, PATH or timeout', () => {
  const bare = Object.fromEntries(
    ['PATH', 'LANG', 'LC_ALL', 'OCF_ROOT', 'OCF_RESOURCE_INSTANCE', 'OCF_RESOURCE_TYPE', 'OCF_RESOURCE_PROVIDER', 'OCF_EXIT_REASON_PREFIX',
      'OCF_OUTPUT_FORMAT', 'OCF_RA_VERSION_MAJOR', 'OCF_RA_VERSION_MINOR', 'OCF_RESKEY_crm_feature_set', 'OCF_RESKEY_CRM_meta_on_node',
      'OCF_RESKEY_CRM_meta_on_node_uuid', 'OCF_RESKEY_CRM_meta_timeout', 'PCMK_logfacility', 'PCMK_debug', 'PCMK_service', 'HA_cluster_type',
    ].map((name) => [name, undefined]),
  );

  it('meta-data 0; validate-all, start, probe, stop work (the service gets its own PATH)', async () => {
    const { run } = await instance();
    const env = { env: bare };
    expect(expectAnswered(await run('meta-data', {}, env)).code).toBe(0);
    expect(expectAnswered(await run('validate-all', {}, env))).toMatchObject({ code: 0, reason: undefined });
    expect(expectAnswered(await run('start', {}, env))).toMatchObject({ code: 0, reason: undefined });
    expect(expectAnswered(await run('monitor', {}, env))).toMatchObject({ code: 0 });
    expect(expectAnswered(await run('stop', {}, env))).toMatchObject({ code: 0, reason: undefined });
    expect(leftovers()).toEqual([]);
  });

  it('no parameters either: validate-all 6 naming the first required one', async () => {
    const result = expectAnswered(await runExecutable(AGENT, 'validate-all', { env: bare }));
    expect([result.code, result.reason]).toEqual([6, 'parameter service_path is required but not set']);
  });
});

describe('the agent run as nobody', () => {
  it('running the program as nobody itself: start 0, monitor 0, stop 0', async () => {
    const { run, params } = await instance({ user: 'nobody' });
    expect(expectAnswered(await run('start', {}, NOBODY))).toMatchObject({ code: 0, reason: undefined });
    const pid = pidIn(params.pidfile!);
    expect(expectAnswered(await run('monitor', {}, { ...NOBODY, meta: { interval: 10000 } }))).toMatchObject({ code: 0 });
    expect(expectAnswered(await run('stop', {}, NOBODY))).toMatchObject({ code: 0, reason: undefined });
    expect(alive(pid)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('asked to run the program as root: start 4 saying so, nothing launched; probe 7, stop 0', async () => {
    const { run } = await instance({ user: 'root' });
    const result = expectAnswered(await run('start', {}, NOBODY));
    expect([result.code, result.reason]).toEqual([4, `cannot run ${hello} as user root: the agent is not running as root`]);
    expect(expectAnswered(await run('monitor', {}, NOBODY)).code).toBe(7);
    expect(expectAnswered(await run('stop', {}, NOBODY)).code).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('a pidfile directory it cannot write: start 4 naming it', async () => {
    const locked = join(dir, 'root-only-dir');
    mkdirSync(locked, { mode: 0o755 });
    const pidfile = join(locked, 'app.pid');
    const { run } = await instance({ user: 'nobody', pidfile });
    const result = expectAnswered(await run('start', {}, NOBODY));
    expect(result.code).toBe(4);
    expect(result.reason).toContain(locked);
    expect(leftovers()).toEqual([]);
  });
});
