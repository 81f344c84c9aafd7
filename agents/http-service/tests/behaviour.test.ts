import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExecutable } from '@ocfkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, HELLO, alive, freePort, pidIn, processesMentioning, requireBuilt, scratch } from './helpers/instance.ts';

// What the agent does with a real service and real faults: each test gets its own port, pidfile
// and log, and whatever it started is stopped (and checked gone) after it.
const { dir, cleanup } = scratch();
let n = 0;
let current: Record<string, string> = {};

async function instance(extra: Record<string, string> = {}, args = '') {
  const port = await freePort();
  const id = `i${++n}`;
  current = {
    service_path: HELLO,
    service_args: `--port ${port} --tag ${dir}/${id} ${args}`,
    probe_url: `http://127.0.0.1:${port}/health`,
    pidfile: join(dir, `${id}.pid`),
    log_file: join(dir, `${id}.log`),
    ...extra,
  };
  return { port, params: current, run: (action: string, more: Record<string, string> = {}, meta: Record<string, number> = {}) => runExecutable(AGENT, action, { params: { ...current, ...more }, meta, instance: id }) };
}

beforeAll(() => requireBuilt());
afterEach(async () => {
  const stop = await runExecutable(AGENT, 'stop', { params: current });
  expect(stop.code).toBe(0);
  expect(processesMentioning(`${dir}/i${n} `)).toEqual([]);
});
afterAll(() => cleanup());

describe('start', () => {
  it('returns only once the health check passes, even for a slow service', async () => {
    const { run, port } = await instance({}, '--startup-delay 1500');
    const result = await run('start');
    expect(result.code).toBe(0);
    const answer = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
    expect(answer).toMatch(/^hello from pid \d+/);
  });

  it('fails with the end of the log when the program dies during start', async () => {
    const { run } = await instance({}, '--fail-start "listen port: 3100 fail"');
    const result = await run('start');
    expect(result.code).toBe(1);
    expect(result.reason).toMatch(/^\/.*hello-server\.mjs \(pid \d+\) exited during start: listen port: 3100 fail$/);
  });

  it('fails, before its budget, quoting what the service wrote and what the health check saw when it never gets healthy', async () => {
    const { run } = await instance({}, '--unhealthy');
    const result = await runExecutable(AGENT, 'start', { params: current, timeoutMs: 3000 });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    // its log's last line first (Pacemaker keeps 128 characters), then the last health check
    expect(result.reason).toMatch(/^start gave up after 2\.\ds, its log says: listening on \d+ \(pid \d+\); health check http:\/\/127\.0\.0\.1:\d+\/health: status 503 \(expected 200-399\)$/);
    expect(result.wallMs).toBeLessThan(3000);
    void run;
  });

  it('clears a stale pidfile that names an unrelated live process, and never signals it', async () => {
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const { run, params } = await instance();
      writeFileSync(params.pidfile!, `${stranger.pid}\n`);
      expect((await run('monitor')).code).toBe(7);
      expect((await run('stop')).code).toBe(0);
      expect(alive(stranger.pid)).toBe(true);
      expect((await run('start')).code).toBe(0);
      expect(pidIn(params.pidfile!)).not.toBe(stranger.pid);
      expect(alive(stranger.pid)).toBe(true);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('runs the program as the configured user, with only the configured environment', async () => {
    const { run, params } = await instance({ user: 'nobody', environment: 'GREETING="hi there" MODE=test', log_file: join(dir, 'nobody.log') });
    expect((await run('start')).code).toBe(0);
    const pid = pidIn(params.pidfile!)!;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65534\s/m);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('GREETING=hi there');
    expect(environ).toContain('MODE=test');
    expect(environ.some((v) => v.startsWith('OCF_'))).toBe(false);
  });

  it('supports a program that daemonizes and writes its own pidfile', async () => {
    const pidfile = join(dir, 'daemon.pid');
    const { run } = await instance({ daemonize: 'true', pidfile }, `--daemonize ${pidfile}`);
    expect((await run('start')).code).toBe(0);
    const pid = pidIn(pidfile)!;
    expect(alive(pid)).toBe(true);
    expect((await run('monitor', {}, { interval: 10000 })).code).toBe(0);
    expect((await run('stop')).code).toBe(0);
    expect(alive(pid)).toBe(false);
  });

  it('checks a service on a unix socket', async () => {
    const socket = join(dir, 'hello.sock');
    const { run } = await instance({ probe_url: `http+unix://${encodeURIComponent(socket)}/health` }, `--socket ${socket}`);
    expect((await run('start')).code).toBe(0);
    expect((await run('monitor', {}, { interval: 10000 })).code).toBe(0);
  });
});

describe('monitor', () => {
  it('7 after the service was killed, 1 with the status when it answers badly', async () => {
    const { run, params, port } = await instance();
    expect((await run('start')).code).toBe(0);
    expect((await run('monitor', { expect_status: '201' }, { interval: 10000 }))).toMatchObject({
      code: 1,
      reason: `health check http://127.0.0.1:${port}/health: status 200 (expected 201)`,
    });
    expect((await run('monitor', { expect_body: 'down' }, { interval: 10000 }))).toMatchObject({
      code: 1,
      reason: `health check http://127.0.0.1:${port}/health: body does not match /down/`,
    });
    expect((await run('monitor', { expect_body: '"status":"ok"' }, { interval: 10000 })).code).toBe(0);
    process.kill(pidIn(params.pidfile!)!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect((await run('monitor', {}, { interval: 10000 })).code).toBe(7);
  });

  it('1 with a reason when the process runs but nothing answers', async () => {
    const other = await freePort();
    const { run } = await instance();
    expect((await run('start')).code).toBe(0);
    const result = await run('monitor', { probe_url: `http://127.0.0.1:${other}/health` }, { interval: 10000 });
    expect(result).toMatchObject({ code: 1, reason: `health check http://127.0.0.1:${other}/health: connection refused` });
  });

  it('checks deep_probe_url only at OCF_CHECK_LEVEL 10', async () => {
    const { run, port } = await instance({ deep_probe_url: '' });
    expect((await run('start')).code).toBe(0);
    const deep = { deep_probe_url: `http://127.0.0.1:${port}/missing` };
    expect((await run('monitor', deep, { interval: 10000 })).code).toBe(0);
    const result = await runExecutable(AGENT, 'monitor', { params: { ...current, ...deep }, meta: { interval: 60000 }, env: { OCF_CHECK_LEVEL: '10' } });
    expect(result).toMatchObject({ code: 1, reason: `health check http://127.0.0.1:${port}/missing: status 404 (expected 200-399)` });
  });
});

describe('stop', () => {
  it('kills a program that ignores SIGTERM, and its whole process group, within the grace period', async () => {
    const { run, params } = await instance({ stop_timeout: '1s' }, '--ignore-term --child sleeper');
    expect((await run('start')).code).toBe(0);
    const pid = pidIn(params.pidfile!)!;
    const group = processesInGroup(pid);
    expect(group.length).toBeGreaterThan(1);
    const result = await run('stop');
    expect(result.code).toBe(0);
    for (const member of group) expect(alive(member)).toBe(false);
  });
});

function processesInGroup(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) members.push(Number(entry));
    } catch {
      // gone
    }
  }
  return members;
}
