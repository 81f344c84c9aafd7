import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import { chmod, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findOurProcess, matchesExpected } from './identity.ts';
import { writePidfile } from './pidfile.ts';
import type { ProcInfo } from './proc-info.ts';

const SLEEP = realpathSync('/bin/sleep');
const SH = realpathSync('/bin/sh');
const NODE = realpathSync(process.execPath);

let dir: string;
let script: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocfkit-identity-'));
  script = join(dir, 'server.js');
  // a service run through its #! line: /proc shows the interpreter as exe
  await writeFile(script, '#!/usr/bin/env node\nsetInterval(() => {}, 1000);\nconsole.log("ready");\n');
  await chmod(script, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function start(file: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: `${process.env.PATH}` } });
  children.push(child);
  await once(child, 'spawn');
  return child;
}

function info(over: Partial<ProcInfo>): ProcInfo {
  return {
    pid: 100,
    state: 'S',
    comm: 'x',
    ppid: 1,
    pgid: 100,
    session: 100,
    starttime: 1,
    exe: SLEEP,
    exeDeleted: false,
    argv: ['/bin/sleep', '30'],
    uid: 0,
    euid: 0,
    ...over,
  };
}

describe('matchesExpected', () => {
  it('matches exe after realpath of the expected path (symlinks), and a deleted exe by its path', async () => {
    const link = join(dir, 'sleep-link');
    await symlink(SLEEP, link);
    expect(matchesExpected(info({}), { exe: link })).toBe(true);
    expect(matchesExpected(info({}), { exe: SLEEP })).toBe(true);
    expect(matchesExpected(info({ exeDeleted: true }), { exe: SLEEP })).toBe(true);
    expect(matchesExpected(info({ exe: '/usr/bin/tail', argv: ['tail', '-f', '/x'] }), { exe: SLEEP })).toBe(false);
  });

  it('does not accept a different binary because its argv[0] has the same name', () => {
    expect(matchesExpected(info({ exe: '/opt/other/sleep', argv: ['sleep', '30'] }), { exe: SLEEP })).toBe(false);
    expect(matchesExpected(info({ exe: '/usr/bin/vim', argv: ['vim', SLEEP] }), { exe: SLEEP })).toBe(false);
  });

  it('matches a script through its interpreter by argv: the script path or argv[0] basename', () => {
    expect(matchesExpected(info({ exe: NODE, argv: ['node', script] }), { exe: script })).toBe(true);
    expect(matchesExpected(info({ exe: SH, argv: ['/bin/sh', '-e', script, 'arg'] }), { exe: script })).toBe(true);
    expect(matchesExpected(info({ exe: NODE, argv: ['server.js', '--port', '80'] }), { exe: script })).toBe(true);
    expect(matchesExpected(info({ exe: NODE, argv: ['node', '/other/server2.js'] }), { exe: script })).toBe(false);
  });

  it('falls back to argv when exe cannot be read (another user and we are not root)', () => {
    expect(matchesExpected(info({ exe: undefined, argv: ['/bin/sleep', '30'] }), { exe: SLEEP })).toBe(true);
    expect(matchesExpected(info({ exe: undefined, argv: ['sshd: root'] }), { exe: SLEEP })).toBe(false);
    expect(matchesExpected(info({ exe: undefined, argv: [] }), { exe: SLEEP })).toBe(false);
  });

  it('matches argv0 by path or basename, including a rewritten process title', () => {
    const redis = info({ exe: '/usr/bin/redis-check-rdb', argv: ['/usr/bin/redis-server 127.0.0.1:6379'] });
    expect(matchesExpected(redis, { argv0: 'redis-server' })).toBe(true);
    expect(matchesExpected(redis, { argv0: '/usr/bin/redis-server' })).toBe(true);
    expect(matchesExpected(redis, { argv0: '/usr/local/bin/redis-server' })).toBe(false);
    expect(matchesExpected(redis, { argv0: 'redis-sentinel' })).toBe(false);
  });

  it('finds args as whole elements in order', () => {
    const p = info({ argv: ['/usr/sbin/svc', '-c', '/etc/a.conf', '--port', '80'] });
    expect(matchesExpected(p, { args: ['-c', '/etc/a.conf'] })).toBe(true);
    expect(matchesExpected(p, { args: ['-c', '80'] })).toBe(true);
    expect(matchesExpected(p, { args: ['/etc/a.conf', '-c'] })).toBe(false);
    expect(matchesExpected(p, { args: ['/etc/a'] })).toBe(false);
    expect(matchesExpected(p, { args: ['-c', '-c'] })).toBe(false);
  });

  it('compares uid with the effective uid, and needs every given field to match', () => {
    expect(matchesExpected(info({ uid: 0, euid: 106 }), { uid: 106 })).toBe(true);
    expect(matchesExpected(info({ uid: 106, euid: 0 }), { uid: 106 })).toBe(false);
    expect(matchesExpected(info({}), { exe: SLEEP, uid: 1 })).toBe(false);
    expect(matchesExpected(info({}), {})).toBe(true);
  });
});

describe('findOurProcess', () => {
  it('is undefined without a pidfile and stale with a garbage one', async () => {
    expect(await findOurProcess(join(dir, 'none.pid'), { exe: SLEEP })).toBeUndefined();
    await writeFile(join(dir, 'garbage.pid'), 'not a pid\n');
    expect(await findOurProcess(join(dir, 'garbage.pid'), { exe: SLEEP })).toEqual({ stale: true });
  });

  it('finds the process the pidfile names when it is ours', async () => {
    const child = await start('/bin/sleep', ['30']);
    const pidfile = join(dir, 'sleep.pid');
    await writePidfile(pidfile, child.pid!);
    const found = await findOurProcess(pidfile, { exe: SLEEP, args: ['30'], uid: process.geteuid!() });
    expect(found).toMatchObject({ pid: child.pid, info: { exe: SLEEP, argv: ['/bin/sleep', '30'] } });
    expect(found).not.toHaveProperty('stale');
  });

  it('finds a script run through #!/usr/bin/env node', async () => {
    const child = await start(script, []);
    await once(child.stdout!, 'data');
    const pidfile = join(dir, 'script.pid');
    await writePidfile(pidfile, child.pid!);
    const found = await findOurProcess(pidfile, { exe: script });
    expect(found).toMatchObject({ pid: child.pid, info: { exe: NODE } });
    expect(await findOurProcess(pidfile, { exe: SLEEP })).toMatchObject({ stale: true, pid: child.pid });
  });

  it('calls a pidfile naming an unrelated process stale (pid reuse), with what it found', async () => {
    const stranger = await start('/bin/sleep', ['31']);
    const pidfile = join(dir, 'reused.pid');
    await writePidfile(pidfile, stranger.pid!);
    const found = await findOurProcess(pidfile, { exe: '/usr/bin/tail' });
    expect(found).toMatchObject({ stale: true, pid: stranger.pid, info: { exe: SLEEP, argv: ['/bin/sleep', '31'] } });
  });

  it('calls a pidfile naming a dead pid, or this agent itself, stale', async () => {
    const dead = await start('/bin/true', []);
    await once(dead, 'exit');
    const pidfile = join(dir, 'dead.pid');
    await writePidfile(pidfile, dead.pid!);
    expect(await findOurProcess(pidfile, {})).toEqual({ stale: true, pid: dead.pid });
    await writePidfile(pidfile, process.pid);
    expect(await findOurProcess(pidfile, {})).toEqual({ stale: true, pid: process.pid });
  });

  it('with startedBeforePidfile, calls a process younger than its pidfile stale', async () => {
    const child = await start('/bin/sleep', ['30']);
    const pidfile = join(dir, 'daemon.pid');
    await writePidfile(pidfile, child.pid!);
    expect(await findOurProcess(pidfile, { startedBeforePidfile: true })).toMatchObject({ pid: child.pid });
    // the pidfile was written a minute before this process existed: its pid was reused
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(pidfile, minuteAgo, minuteAgo);
    expect(await findOurProcess(pidfile, { startedBeforePidfile: true })).toMatchObject({ stale: true, pid: child.pid });
    expect(await findOurProcess(pidfile, {})).toMatchObject({ pid: child.pid });
  });
});
