import { build } from 'esbuild';
import { execa } from 'execa';
import { readFileSync, realpathSync } from 'node:fs';
import { chmod, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { asRoot, unavailable, type Availability } from '../../tests/helpers/availability.ts';
import { OcfError } from '../ocf-error.ts';
import { findExecutable } from './binary.ts';
import { isRunning, processInfo } from './proc-info.ts';
import { spawnService } from './spawn-service.ts';

const isRoot = process.getuid?.() === 0;
// switching to another user
const notRoot = unavailable(asRoot(), 'root');
const hasSetpriv = findExecutable('setpriv', { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' }) !== undefined;
const SLEEP = realpathSync('/bin/sleep');
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A system user listed as a member of some group other than its own (Debian: postgres in ssl-cert). */
const member = (() => {
  const users = new Map(readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':')).map((f) => [f[0], f] as const));
  for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
    const [, , gid, members] = line.split(':');
    const user = (members ?? '').split(',').find((name) => users.get(name)?.[3] !== gid && users.has(name));
    if (user) return { user, uid: Number(users.get(user)![2]), primary: Number(users.get(user)![3]), supplementary: Number(gid) };
  }
  return undefined;
})();
const setpriv: Availability = hasSetpriv ? { ok: true } : { ok: false, why: 'no setpriv (util-linux)' };
const withGroups: Availability = !setpriv.ok
  ? setpriv
  : !member
    ? { ok: false, why: 'no user of /etc/passwd is listed in a group of /etc/group other than its own (tools/setup.sh adds ocfkit-member)' }
    : asRoot();

let dir: string;
const started: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocfkit-spawn-'));
  await chmod(dir, 0o755);
});
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * spawnService's answer to a switch to root, asked by a process of user nobody: the module bundled
 * for a child (which cannot load TypeScript) and run through setpriv. { code, reason } of its error.
 */
async function switchAsNobody(): Promise<{ code: number; reason: string }> {
  const entry = join(dir, 'switch-as-nobody.ts');
  const bundle = join(dir, 'switch-as-nobody.cjs');
  await writeFile(
    entry,
    `import { spawnService } from ${JSON.stringify(fileURLToPath(new URL('./spawn-service.ts', import.meta.url)))};
spawnService({ command: '/bin/true', args: [], user: 'root' }).then(
  () => console.log('{"code":0,"reason":"the switch was allowed"}'),
  (error) => console.log(JSON.stringify({ code: error.code, reason: error.reason })),
);`,
  );
  await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'error' });
  const child = await execa('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, bundle], { env: { PATH: DEFAULT_PATH }, extendEnv: false });
  return JSON.parse(child.stdout);
}

async function launch(options: Parameters<typeof spawnService>[0]): Promise<number> {
  const { pid } = await spawnService(options);
  started.push(pid);
  return pid;
}

/** Wait for a short-lived service to finish, then read what it logged. */
async function logOf(pid: number, logFile: string): Promise<string> {
  for (let i = 0; i < 500 && (await isRunning(pid)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return readFile(logFile, 'utf8');
}

async function rejection(promise: Promise<unknown>): Promise<OcfError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OcfError);
  return error as OcfError;
}

function statusField(pid: number, field: string): string {
  return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!.trim();
}

describe('spawnService', () => {
  it('starts the service detached in its own session, stdin and output on /dev/null', async () => {
    const pid = await launch({ command: '/bin/sleep', args: ['30'] });
    const info = await processInfo(pid);
    expect(info).toMatchObject({ pid, exe: SLEEP, argv: ['/bin/sleep', '30'], pgid: pid, session: pid });
    for (const fd of [0, 1, 2]) expect(await readlink(`/proc/${pid}/fd/${fd}`)).toBe('/dev/null');
  });

  it('looks a bare command name up in PATH', async () => {
    const pid = await launch({ command: 'sleep', args: ['30'] });
    expect(await processInfo(pid)).toMatchObject({ exe: SLEEP });
  });

  it('gives the service exactly the environment asked for, never the agent own', async () => {
    process.env.OCF_RESKEY_password = 'secret';
    const log = join(dir, 'env.log');
    try {
      const pid = await launch({ command: '/usr/bin/env', args: [], env: { A: '1' }, logFile: log });
      expect((await logOf(pid, log)).split('\n').sort()).toEqual(['', 'A=1', `PATH=${DEFAULT_PATH}`]);
    } finally {
      delete process.env.OCF_RESKEY_password;
    }
  });

  it('appends stdout and stderr to the log file, keeping what is there', async () => {
    const log = join(dir, 'append.log');
    await writeFile(log, 'before\n');
    const pid = await launch({ command: '/bin/sh', args: ['-c', 'echo out; echo err >&2'], logFile: log });
    expect(await logOf(pid, log)).toBe('before\nout\nerr\n');
  });

  it('runs in the working directory with the umask asked for', async () => {
    const log = join(dir, 'cwd.log');
    const pid = await launch({ command: '/bin/sh', args: ['-c', 'pwd; umask'], cwd: dir, umask: 0o027, logFile: log });
    expect(await logOf(pid, log)).toBe(`${dir}\n0027\n`);
  });

  it.skipIf(notRoot)('runs as the user, with HOME, USER, LOGNAME, and gives it the log file it created', async () => {
    const log = join(dir, 'nobody.log');
    const pid = await launch({ command: '/bin/sh', args: ['-c', 'id -u; id -g; echo $HOME $USER $LOGNAME; sleep 30'], user: 'nobody', logFile: log });
    for (let i = 0; i < 500 && (await readFile(log, 'utf8')).split('\n').length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await readFile(log, 'utf8')).toBe('65534\n65534\n/nonexistent nobody nobody\n');
    const file = await stat(log);
    expect([file.uid, file.gid, file.mode & 0o777]).toEqual([65534, 65534, 0o640]);
    expect(await processInfo(pid)).toMatchObject({ uid: 65534, euid: 65534 });
  });

  it.skipIf(unavailable(withGroups, 'root, setpriv and a user with a supplementary group'))('keeps the user supplementary groups (through setpriv)', async () => {
    const { user, uid, primary, supplementary } = member!;
    const pid = await launch({ command: '/bin/sleep', args: ['30'], user });
    // setpriv execs sleep: for a moment /proc shows the new exe and not yet its argv
    await vi.waitFor(async () => expect(await processInfo(pid)).toMatchObject({ uid, euid: uid, exe: SLEEP, argv: ['/bin/sleep', '30'] }), { timeout: 5000 });
    expect(statusField(pid, 'Gid').split(/\s+/)[0]).toBe(String(primary));
    expect(statusField(pid, 'Groups').split(/\s+/).map(Number)).toContain(supplementary);
  });

  it.skipIf(notRoot)('uses the group asked for as the primary group', async () => {
    const pid = await launch({ command: '/bin/sleep', args: ['30'], user: 'nobody', group: 'root' });
    expect(statusField(pid, 'Gid').split(/\s+/)[0]).toBe('0');
    expect(statusField(pid, 'Uid').split(/\s+/)[0]).toBe('65534');
  });

  it('leaves an existing log file owned as it is, and refuses to follow a symlink as root', async () => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious\n');
    const link = join(dir, 'link.log');
    await symlink(victim, link);
    const error = await rejection(spawnService({ command: '/bin/true', args: [], user: isRoot ? 'nobody' : undefined, logFile: link }));
    expect([error.code, error.reason]).toEqual([4, `log file ${link} is a symbolic link: not followed (opened as root)`]);
    expect((await stat(victim)).uid).toBe(process.getuid!());
  });

  it('creates missing directories of the log file (/var/log/ocfkit on a fresh node)', async () => {
    const log = join(dir, 'new', 'deeper', 'service.log');
    const pid = await launch({ command: '/bin/sh', args: ['-c', 'echo hello'], logFile: log });
    expect(await logOf(pid, log)).toBe('hello\n');
    expect((await stat(join(dir, 'new'))).mode & 0o777).toBe(0o755);
  });

  it('fails with OCF_ERR_INSTALLED for a user or group that does not exist on this node', async () => {
    const cases: [Parameters<typeof spawnService>[0], string][] = [
      [{ command: '/bin/true', args: [], user: 'ocfk-no-such-user' }, 'user ocfk-no-such-user does not exist on this node'],
      [{ command: '/bin/true', args: [], group: 'ocfk-no-such-group' }, 'group ocfk-no-such-group does not exist on this node'],
    ];
    for (const [options, reason] of cases) {
      const error = await rejection(spawnService(options));
      expect([error.code, error.reason]).toEqual([5, reason]);
    }
  });

  it('fails with OCF_ERR_INSTALLED for a log file whose directory is a file on this node', async () => {
    const error = await rejection(spawnService({ command: '/bin/true', args: [], logFile: '/etc/hostname/x.log' }));
    expect([error.code, error.reason]).toEqual([5, 'cannot open log file /etc/hostname/x.log: a path component is not a directory']);
  });

  it('fails with OCF_ERR_CONFIGURED for relative paths', async () => {
    const cases: [Parameters<typeof spawnService>[0], string][] = [
      [{ command: 'bin/true', args: [] }, 'command bin/true: not an absolute path'],
      [{ command: '/bin/true', args: [], cwd: 'tmp' }, 'working directory tmp: not an absolute path'],
      [{ command: '/bin/true', args: [], logFile: 'x.log' }, 'log file x.log: not an absolute path'],
    ];
    for (const [options, reason] of cases) {
      const error = await rejection(spawnService(options));
      expect([error.code, error.reason]).toEqual([6, reason]);
    }
  });

  it('fails with OCF_ERR_INSTALLED naming what is missing', async () => {
    const script = join(dir, 'no-interpreter');
    await writeFile(script, '#!/nonexistent/interpreter\n');
    await chmod(script, 0o755);
    const cases: [Parameters<typeof spawnService>[0], string][] = [
      [{ command: '/nonexistent/daemon', args: [] }, '/nonexistent/daemon: not found'],
      [{ command: 'ocfk-no-such-daemon', args: [] }, 'ocfk-no-such-daemon: not found in PATH'],
      [{ command: dir, args: [] }, `${dir}: is a directory`],
      [{ command: '/bin/true', args: [], cwd: '/nonexistent/dir' }, 'working directory /nonexistent/dir does not exist'],
      [{ command: script, args: [] }, `${script}: interpreter (#! line) not found`],
    ];
    if (isRoot && hasSetpriv) cases.push([{ command: script, args: [], user: 'nobody' }, `${script}: interpreter (#! line) not found`]);
    for (const [options, reason] of cases) {
      const error = await rejection(spawnService(options));
      expect([error.code, error.reason]).toEqual([5, reason]);
    }
  });

  it('fails with OCF_ERR_PERM when the command may not be executed', async () => {
    const file = join(dir, 'not-executable');
    await writeFile(file, '#!/bin/sh\nsleep 30\n');
    await chmod(file, 0o644);
    const error = await rejection(spawnService({ command: file, args: [] }));
    expect([error.code, error.reason]).toEqual([4, `${file}: permission denied`]);
  });

  it.skipIf(notRoot)('fails with OCF_ERR_PERM when the user may not execute the command', async () => {
    const file = join(dir, 'root-only');
    await writeFile(file, '#!/bin/sh\nsleep 30\n');
    await chmod(file, 0o700);
    const error = await rejection(spawnService({ command: file, args: [], user: 'nobody' }));
    expect([error.code, error.reason]).toEqual([4, `${file}: permission denied as user nobody`]);
  });

  // The non-root half of the pair: as root the switch is allowed (the tests above run as nobody),
  // without root it must fail. As root (CI runs as root), the same call runs in a child as nobody.
  it.skipIf(isRoot && unavailable(setpriv, 'setpriv, to run as nobody'))('fails with OCF_ERR_PERM when asked to switch user without root', async () => {
    const error = isRoot ? await switchAsNobody() : await rejection(spawnService({ command: '/bin/true', args: [], user: 'root' }));
    expect([error.code, error.reason]).toEqual([4, 'cannot run /bin/true as user root: the agent is not running as root']);
  });
});
