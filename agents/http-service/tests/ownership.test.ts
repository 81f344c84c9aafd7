import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asRoot, runExecutable, unavailable } from '@ocfkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGENT, HELLO, alive, freePort, processesMentioning, requireBuilt, scratch } from './helpers/instance.ts';

// The agent owns exactly what it launched, whatever those processes do after the launch (exec,
// drop privileges, fork, daemonize), and nothing else. Each case is a shape found from outside.
const { dir, cleanup } = scratch();
const node = process.execPath;
let counter = 0;

/** A script in the scratch dir; the dir's path is on every command line, so leftovers are findable. */
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function instance(extra: Record<string, string> = {}) {
  const port = await freePort();
  const id = `i${++counter}`;
  const params = {
    probe_url: `http://127.0.0.1:${port}/health`,
    pidfile: join(dir, `${id}.pid`),
    log_file: join(dir, `${id}.log`),
    ...extra,
  };
  const run = (action: string, more: Record<string, string> = {}, meta: Record<string, number> = {}) =>
    runExecutable(AGENT, action, { params: { ...params, ...more }, meta });
  return { port, id, params, run };
}

const leftovers = () => processesMentioning(dir);

beforeAll(() => requireBuilt());
afterEach(async () => {
  // nothing a test started may outlive it, whatever it asserted
  for (const pid of leftovers()) process.kill(pid, 'SIGKILL');
});
afterAll(() => cleanup());

describe('a service_path that execs another program', () => {
  it('is the running service: monitor 0, stop leaves nothing, start again works', async () => {
    const wrapper = script('exec-wrapper.sh', `exec "${node}" "${HELLO}" "$@"`);
    const { run, port } = await instance({ service_path: wrapper });
    const args = { service_args: `--port ${port} --tag ${dir}` };
    expect(await run('start', args)).toMatchObject({ code: 0 });
    expect(await run('monitor', args)).toMatchObject({ code: 0 });
    expect(await run('stop', args)).toMatchObject({ code: 0 });
    expect(leftovers()).toEqual([]);
    expect(await run('monitor', args)).toMatchObject({ code: 7 });
    expect(await run('start', args)).toMatchObject({ code: 0 });
    expect(await run('stop', args)).toMatchObject({ code: 0 });
    expect(leftovers()).toEqual([]);
  });

  it('a wrapper that forks the server and waits (npm start): stop takes the child too', async () => {
    const wrapper = script('fork-wrapper.sh', `"${node}" "${HELLO}" "$@"\nexit $?`);
    const { run, port } = await instance({ service_path: wrapper });
    const args = { service_args: `--port ${port} --tag ${dir}` };
    expect(await run('start', args)).toMatchObject({ code: 0 });
    expect(await run('monitor', args)).toMatchObject({ code: 0 });
    expect(leftovers().length).toBe(2);
    expect(await run('stop', args)).toMatchObject({ code: 0 });
    expect(leftovers()).toEqual([]);
  });
});

// a service started as root that drops to nobody needs the agent to run as root; under CI a
// missing root fails here instead of skipping
const notRoot = unavailable(asRoot(), 'root');

describe('a service that drops privileges itself (started as root)', () => {
  const dropper = () =>
    script(
      'dropper.mjs',
      `exec "${node}" --input-type=module -e "
        import { createServer } from 'node:http';
        const port = Number(process.argv[1]);
        createServer((q, r) => r.end('ok')).listen(port, '127.0.0.1', () => { process.setgid(65534); process.setuid(65534); });
        setInterval(() => {}, 1000);
      " "$1" "${dir}"`,
    );

  it.skipIf(notRoot)('foreground: stays ours after setuid', async () => {
    const { run, port } = await instance({ service_path: dropper() });
    const args = { service_args: `${port}` };
    expect(await run('start', args)).toMatchObject({ code: 0 });
    expect(await run('monitor', args)).toMatchObject({ code: 0 });
    expect(await run('stop', args)).toMatchObject({ code: 0 });
    expect(leftovers()).toEqual([]);
  });

  it.skipIf(notRoot)('daemonized (setsid, own pidfile): stays ours after setuid', async () => {
    const inner = dropper();
    const { run, port, params } = await instance({ daemonize: 'true' });
    const launcher = script(`daemon-${port}.sh`, `setsid "${inner}" "$1" >/dev/null 2>&1 < /dev/null &\necho $! > "${params.pidfile}"\nexit 0`);
    const args = { service_path: launcher, service_args: `${port}` };
    expect(await run('start', args)).toMatchObject({ code: 0 });
    expect(await run('monitor', args)).toMatchObject({ code: 0 });
    expect(await run('stop', args)).toMatchObject({ code: 0 });
    expect(leftovers()).toEqual([]);
  });
});

describe('a failed start leaves nothing running', () => {
  it('a launcher that backgrounds the server, then exits non-zero (daemonize=true)', async () => {
    const { run, port, params } = await instance({ daemonize: 'true' });
    const launcher = script(`bad-launcher-${port}.sh`, `"${node}" "${HELLO}" --port "$1" --tag "${dir}" &\necho "cannot write ${params.pidfile}: read-only file system" >&2\nexit 3`);
    const result = await run('start', { service_path: launcher, service_args: `${port}` });
    expect(result.code).toBe(1);
    expect(result.reason).toContain('exited during start: cannot write');
    expect(result.reason).toContain('(exit code 3)');
    expect(leftovers()).toEqual([]);
    expect(await run('stop', { service_path: launcher })).toMatchObject({ code: 0 });
  });

  it('a server that never becomes healthy: start fails at its deadline, the server is killed', async () => {
    const { run, port } = await instance();
    const other = await freePort();
    // listens on another port than probe_url's: the health check never passes
    const result = await run('start', { service_path: HELLO, service_args: `--port ${other} --tag ${dir}` }, { timeout: 4000 });
    expect(result.code).toBe(1);
    expect(result.reason).toContain(`127.0.0.1:${port}`);
    expect(leftovers()).toEqual([]);
  });

  it("quotes only this start's log lines", async () => {
    const { run, params } = await instance();
    writeFileSync(params.log_file, 'an old line from yesterday\n');
    const result = await run('start', { service_path: HELLO, service_args: `--fail-start "port is taken" --tag ${dir}` });
    expect(result.code).toBe(1);
    expect(result.reason).toContain('exited during start: port is taken');
    expect(result.reason).not.toContain('yesterday');
  });
});

describe('pidfile names a directory (a typo)', () => {
  it('validate-all and start say 5 with a reason; stop says 0', async () => {
    const pidDir = join(dir, 'myapp');
    mkdirSync(pidDir, { recursive: true });
    const { run, port } = await instance({ pidfile: pidDir, service_path: HELLO });
    const args = { service_args: `--port ${port} --tag ${dir}` };
    const validate = await run('validate-all', args);
    expect(validate.code).toBe(5);
    expect(validate.reason).toBe(`pidfile ${pidDir} is a directory: name a file in it, such as ${pidDir}/service.pid`);
    expect((await run('start', args)).code).toBe(5);
    expect(await run('stop', args)).toMatchObject({ code: 0 });
    expect(await run('monitor', args)).toMatchObject({ code: 7 });
    expect(leftovers()).toEqual([]);
  });
});

describe('daemonize=true with a pidfile naming an unrelated process', () => {
  it('is not the service: monitor 7, stop 0, the process untouched', async () => {
    const stranger = spawn('sleep', ['300'], { stdio: 'ignore', detached: true });
    try {
      const { run, params, port } = await instance({ daemonize: 'true', service_path: HELLO });
      writeFileSync(params.pidfile, `${stranger.pid}\n`);
      const args = { service_args: `--port ${port} --daemonize ${params.pidfile} --tag ${dir}` };
      expect(await run('monitor', args)).toMatchObject({ code: 7 });
      expect(await run('stop', args)).toMatchObject({ code: 0 });
      expect(alive(stranger.pid)).toBe(true);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('start takes the daemon it launched, never the older process the pidfile named', async () => {
    const stranger = spawn('sleep', ['300'], { stdio: 'ignore', detached: true });
    try {
      const { run, params, port } = await instance({ daemonize: 'true', service_path: HELLO });
      writeFileSync(params.pidfile, `${stranger.pid}\n`);
      const args = { service_args: `--port ${port} --daemonize ${params.pidfile} --tag ${dir}` };
      expect(await run('start', args)).toMatchObject({ code: 0 });
      expect(await run('stop', args)).toMatchObject({ code: 0 });
      expect(alive(stranger.pid)).toBe(true);
      expect(leftovers()).toEqual([]);
    } finally {
      stranger.kill('SIGKILL');
    }
  });
});

describe('a service whose leader died while its children live on', () => {
  it('monitor fails (1) with the pids, never 7; stop kills them', async () => {
    const wrapper = script('orphaning.sh', `"${node}" "${HELLO}" "$@" &\nwait`);
    const { run, port, params } = await instance({ service_path: wrapper });
    const args = { service_args: `--port ${port} --tag ${dir}` };
    expect(await run('start', args)).toMatchObject({ code: 0 });
    const leader = Number((await import('node:fs')).readFileSync(params.pidfile, 'utf8'));
    process.kill(leader, 'SIGKILL');
    await vi.waitFor(() => expect(alive(leader)).toBe(false), { timeout: 10_000, interval: 50 });
    const monitor = await run('monitor', args);
    expect(monitor.code).toBe(1);
    expect(monitor.reason).toMatch(/exited but processes it started still run \(pid \d+\)/);
    expect(await run('stop', args)).toMatchObject({ code: 0 });
    expect(leftovers()).toEqual([]);
  });
});

describe('a service started by the previous release (pidfile only, no record)', () => {
  it('is adopted when it holds the probe socket, and stopped', async () => {
    const { run, params, port } = await instance({ service_path: HELLO });
    const server = spawn(node, [HELLO, '--port', String(port), '--tag', dir], { stdio: 'ignore', detached: true });
    writeFileSync(params.pidfile, `${server.pid}\n`);
    await vi.waitFor(async () => expect((await run('monitor')).code).toBe(0), { timeout: 15_000, interval: 100 });
    expect(await run('stop')).toMatchObject({ code: 0 });
    expect(alive(server.pid)).toBe(false);
  });
});
