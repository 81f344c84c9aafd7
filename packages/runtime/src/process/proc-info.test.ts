import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asRoot, unavailable, type Availability } from '../../tests/helpers/availability.ts';
import { isRunning, parseCmdline, parseExe, parseStat, processInfo } from './proc-info.ts';

// seteuid to another user and back
const notRoot = unavailable(asRoot(), 'root');
/** Kernel threads are visible only outside a pid namespace (not in every container). */
const kthreadd = (() => {
  try {
    return readFileSync('/proc/2/stat', 'utf8').includes('(kthreadd)');
  } catch {
    return false;
  }
})();
const kernelThread: Availability = kthreadd ? asRoot() : { ok: false, why: 'no kthreadd at pid 2 (kernel threads are hidden in a pid namespace)' };
const SLEEP = realpathSync('/bin/sleep');
const children: ChildProcess[] = [];
const ZOMBIE_MAKER = '$| = 1; my $pid = fork() // die; exit 0 if $pid == 0; print "$pid\\n"; sleep 30;';
const dirs: string[] = [];

function start(file: string, args: string[], options: { detached?: boolean } = {}): ChildProcess {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'ignore'], detached: options.detached ?? false });
  children.push(child);
  return child;
}

async function firstLine(child: ChildProcess): Promise<string> {
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return chunk.toString().trim();
}

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A zombie nobody reaps: perl forks a child that exits at once, and never waits for it. */
async function zombie(): Promise<number> {
  const parent = start('perl', ['-e', ZOMBIE_MAKER]);
  const pid = Number(await firstLine(parent));
  for (let i = 0; i < 200; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    if (parseStat(stat)?.state === 'Z') return pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`pid ${pid} never became a zombie`);
}

describe('parsers', () => {
  it('parses stat from the last parenthesis: comm may hold spaces and parentheses', () => {
    const text = '4242 (we) ird (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200 18446744073709551615\n';
    expect(parseStat(text)).toEqual({ comm: 'we) ird (name', state: 'S', ppid: 1, pgid: 4242, session: 4242, starttime: 987654 });
    expect(parseStat('garbage')).toBeUndefined();
  });
  it('splits cmdline at NULs and drops the padding of a rewritten title', () => {
    expect(parseCmdline('/usr/bin/node\0/opt/app/server\0--port\0\0')).toEqual(['/usr/bin/node', '/opt/app/server', '--port']);
    expect(parseCmdline('redis-server 127.0.0.1:6379\0\0\0\0')).toEqual(['redis-server 127.0.0.1:6379']);
    expect(parseCmdline('')).toEqual([]);
  });
  it('treats an executable replaced on disk as the same path', () => {
    expect(parseExe('/usr/bin/redis-server (deleted)')).toEqual({ exe: '/usr/bin/redis-server', deleted: true });
    expect(parseExe('/usr/bin/redis-server')).toEqual({ exe: '/usr/bin/redis-server', deleted: false });
  });
});

describe('processInfo', () => {
  it('describes a live process from /proc', async () => {
    const child = start('/bin/sleep', ['30'], { detached: true });
    await once(child, 'spawn');
    const info = await processInfo(child.pid!);
    expect(info).toMatchObject({
      pid: child.pid,
      comm: 'sleep',
      ppid: process.pid,
      pgid: child.pid,
      session: child.pid,
      exe: SLEEP,
      exeDeleted: false,
      argv: ['/bin/sleep', '30'],
      uid: process.getuid!(),
      euid: process.geteuid!(),
    });
    expect(['S', 'R']).toContain(info!.state);
    expect(info!.starttime).toBeGreaterThan(0);
    expect(await isRunning(child.pid!)).toBe(true);
  });

  it('reads a comm with spaces and parentheses, and an executable deleted since it started', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ocfkit-proc-'));
    dirs.push(dir);
    const program = join(dir, 'we) ird (name');
    await copyFile(SLEEP, program);
    const child = start(program, ['30']);
    await once(child, 'spawn');
    await unlink(program);
    const info = await processInfo(child.pid!);
    expect(info).toMatchObject({ comm: 'we) ird (name', exe: program, exeDeleted: true, argv: [program, '30'], ppid: process.pid });
  });

  it('is undefined for a pid that does not exist, an exited process, and nonsense', async () => {
    const child = start('/bin/true', []);
    await once(child, 'exit');
    expect(await processInfo(child.pid!)).toBeUndefined();
    expect(await isRunning(child.pid!)).toBe(false);
    for (const pid of [0, -1, 1.5, Number.NaN]) expect(await processInfo(pid)).toBeUndefined();
  });

  it('is undefined for a zombie: it has exited', async () => {
    const pid = await zombie();
    expect(await processInfo(pid)).toBeUndefined();
    expect(await isRunning(pid)).toBe(false);
  });

  it.skipIf(unavailable(kernelThread, 'root and a visible kernel thread'))(
    'describes a kernel thread without exe or argv',
    async () => {
      const info = await processInfo(2);
      expect(info).toMatchObject({ pid: 2, comm: 'kthreadd', exe: undefined, argv: [], uid: 0 });
    },
  );

  it.skipIf(notRoot)('leaves exe undefined when /proc/<pid>/exe is closed to us (another user)', async () => {
    const child = start('/bin/sleep', ['30']);
    await once(child, 'spawn');
    process.seteuid!(65534);
    let info;
    try {
      info = await processInfo(child.pid!);
    } finally {
      process.seteuid!(0);
    }
    expect(info).toMatchObject({ pid: child.pid, exe: undefined, argv: ['/bin/sleep', '30'], uid: 0 });
  });
});
