import { spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/** vi.waitFor's own default (1 s) is too short on a loaded machine. */
const WAIT = { timeout: 10_000, interval: 50 };
import { adoptFromPidfile, adoptProcess, launchOwned, listenerHolder, ownedService, servesSocket, stopOwned } from './owned-service.ts';
import { ownerRecordPath, readOwnerRecord, writeOwnerRecord } from './owner-record.ts';
import { identify, isAliveAs } from './process-identity.ts';
import { sessionMembers } from './session.ts';

const dir = mkdtempSync(join(tmpdir(), 'ocfkit-owned-'));
const started: number[] = [];
let counter = 0;

beforeAll(() => {
  process.env.OCFKIT_RUN_DIR = join(dir, 'run');
});
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});
afterAll(() => {
  delete process.env.OCFKIT_RUN_DIR;
  rmSync(dir, { recursive: true, force: true });
});

const record = () => ownerRecordPath(join(dir, `svc${++counter}.pid`));
const sh = (script: string) => ({ command: '/bin/sh', args: ['-c', script, dir] });

describe('launchOwned and ownedService', () => {
  it('records the launched process: running, with the kernel identity; stopped once it exits', async () => {
    const path = record();
    const launch = await launchOwned(path, sh('exec sleep 30'));
    const owned = ownedService(path);
    expect(owned).toMatchObject({ state: 'running', main: launch.launcher });
    expect(identify(launch.pid)).toEqual(launch.launcher);
    process.kill(launch.pid, 'SIGKILL');
    await vi.waitFor(() => expect(ownedService(path).state).toBe('stopped'), WAIT);
  });

  it('exec keeps the identity: the program the wrapper became is still ours', async () => {
    const path = record();
    const launch = await launchOwned(path, sh('exec /bin/sleep 30'));
    await vi.waitFor(() => expect(readFileSync(`/proc/${launch.pid}/cmdline`, 'utf8')).toContain('/bin/sleep'), WAIT);
    expect(ownedService(path).state).toBe('running');
  });

  it('a leader that died while its children live on: remnants, never stopped', async () => {
    const path = record();
    const launch = await launchOwned(path, sh('sleep 30 & sleep 30 & wait'));
    await vi.waitFor(() => expect(sessionMembers([launch.launcher]).length).toBe(3), WAIT);
    process.kill(launch.pid, 'SIGKILL');
    await vi.waitFor(() => expect(isAliveAs(launch.launcher)).toBe(false), WAIT);
    const owned = ownedService(path);
    expect(owned.state).toBe('remnants');
    expect(owned.state === 'remnants' && owned.pids.length).toBe(2);
    const stopped = await stopOwned(path, { graceMs: 1000 });
    expect(stopped.how).toBe('term');
    expect(stopped.signalled.length).toBe(2);
    expect(ownedService(path).state).toBe('unrecorded');
  });

  it('no record, a record of another boot, one not written by us: nothing is ours', async () => {
    expect(ownedService(record()).state).toBe('unrecorded');
    const path = record();
    const me = identify(process.pid)!;
    await writeOwnerRecord(path, { bootId: 'another-boot', launcher: me, main: me, sessions: [] });
    expect(ownedService(path).state).toBe('unrecorded');
    const planted = record();
    await writeOwnerRecord(planted, { bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), launcher: me, main: me, sessions: [] });
    expect(ownedService(planted).state).toBe('running');
    if (process.getuid?.() === 0) {
      chownSync(planted, 65534, 65534);
      expect(readOwnerRecord(planted)).toBeUndefined();
    }
  });
});

describe('stopOwned', () => {
  it('TERM, then KILL after the grace to what ignores TERM; the whole session', async () => {
    const path = record();
    const launch = await launchOwned(path, sh('trap "" TERM; sleep 30 & wait'));
    await vi.waitFor(() => expect(sessionMembers([launch.launcher]).length).toBe(2), WAIT);
    const result = await stopOwned(path, { graceMs: 300 });
    expect(result.how).toBe('kill');
    expect(sessionMembers([launch.launcher])).toEqual([]);
  });

  it('never signals a process whose pid matches but whose start time does not (a recycled pid)', async () => {
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(stranger.pid!);
    const identity = identify(stranger.pid!)!;
    const path = record();
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const old = { pid: identity.pid, starttime: identity.starttime - 1 };
    await writeOwnerRecord(path, { bootId: boot, launcher: old, main: old, sessions: [old] });
    expect(ownedService(path).state).toBe('stopped');
    expect((await stopOwned(path, { graceMs: 100 })).how).toBe('gone');
    expect(isAliveAs(identity)).toBe(true);
  });

  it('wakes a stopped service (SIGCONT after SIGTERM): it exits in the grace, not by SIGKILL at its end', async () => {
    const path = record();
    const launch = await launchOwned(path, sh("trap 'exit 0' TERM; while :; do sleep 0.1; done"));
    process.kill(launch.pid, 'SIGSTOP');
    const result = await stopOwned(path, { graceMs: 20_000 });
    expect(result.how).toBe('term');
    expect(isAliveAs(launch.launcher)).toBe(false);
  }, 40_000);

  it('is gone when nothing was recorded', async () => {
    expect(await stopOwned(record(), { graceMs: 100 })).toEqual({ how: 'gone', signalled: [] });
  });
});

describe('adoptFromPidfile', () => {
  it('takes the daemon started by this launch, with its own session', async () => {
    const path = record();
    const pidfile = join(dir, `daemon${counter}.pid`);
    const launch = await launchOwned(path, { ...sh(`setsid sleep 30 >/dev/null 2>&1 < /dev/null & echo $! > ${pidfile}`), daemonizes: true });
    const main = await vi.waitFor(async () => {
      const found = await adoptFromPidfile(launch, pidfile);
      expect(found).toBeDefined();
      return found!;
    }, WAIT);
    expect(ownedService(path)).toMatchObject({ state: 'running', main });
    // its own session is in the record, or (setsid raced the adoption) reached through main's pid
    expect(readOwnerRecord(path)?.main).toEqual(main);
    expect((await stopOwned(path, { graceMs: 1000 })).how).toBe('term');
    expect(isAliveAs(main)).toBe(false);
  });

  it("reaches a daemon's session made after its pidfile was written (setsid late)", async () => {
    const path = record();
    const pidfile = join(dir, `late${counter}.pid`);
    const inner = `echo \\$\\$ > ${pidfile}; sleep 0.3; exec setsid /bin/sh -c 'sleep 30 & wait'`;
    const launch = await launchOwned(path, { ...sh(`/bin/sh -c "${inner}" >/dev/null 2>&1 < /dev/null &`), daemonizes: true });
    const main = await vi.waitFor(async () => {
      const found = await adoptFromPidfile(launch, pidfile);
      expect(found).toBeDefined();
      return found!;
    }, WAIT);
    // the session is made after the adoption: the record cannot name it
    await vi.waitFor(() => expect(sessionMembers([main]).length).toBe(2), WAIT);
    process.kill(main.pid, 'SIGKILL');
    await vi.waitFor(() => expect(ownedService(path).state).toBe('remnants'), WAIT);
    const stopped = await stopOwned(path, { graceMs: 1000 });
    expect(stopped.signalled.length).toBe(1);
    expect(sessionMembers([main])).toEqual([]);
  });

  it('never takes a process older than the launch, even one started within the same clock tick', async () => {
    // spawned right before the launch: often the same hundredth of a second (start times count
    // those), which the launch must tell apart all the same
    for (let round = 0; round < 8; round++) {
      const older = spawn('sleep', ['30'], { stdio: 'ignore' });
      started.push(older.pid!);
      const pidfile = join(dir, `stale${counter}-${round}.pid`);
      writeFileSync(pidfile, `${older.pid}\n`);
      const path = record();
      const launch = await launchOwned(path, { ...sh('exit 0'), daemonizes: true });
      expect(await adoptFromPidfile(launch, pidfile)).toBeUndefined();
      // the launcher exits at once, but on a loaded machine not always before this line: until
      // then it is a live member of its own session, and the state is rightly 'remnants'
      await vi.waitFor(() => expect(launch.exited()).toBeDefined(), WAIT);
      expect(ownedService(path).state).toBe('stopped');
    }
  });
});

describe('servesSocket and adoptProcess', () => {
  it('recognises the holder of a listening TCP port, and only it', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      expect(servesSocket({ port }, process.pid)).toBe(true);
      const other = spawn('sleep', ['30'], { stdio: 'ignore' });
      started.push(other.pid!);
      expect(servesSocket({ port }, other.pid!)).toBe(false);
      const path = record();
      expect(await adoptProcess(path, other.pid!)).toEqual(identify(other.pid!));
      expect(ownedService(path).state).toBe('running');
    } finally {
      server.close();
    }
  });
});

describe('listenerHolder', () => {
  it('ours when a process of the record listens; older when only a program from before the launch does; unknown when nobody does', async () => {
    const path = record();
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    expect(listenerHolder(path, { port })).toEqual({ by: 'unknown' });

    // a program listening since before the launch (this test process) holds the port
    const stranger = createServer();
    await new Promise<void>((resolve) => stranger.listen(port, '127.0.0.1', resolve));
    const launch = await launchOwned(path, sh('exec sleep 30'));
    started.push(launch.pid);
    try {
      expect(listenerHolder(path, { port })).toEqual({ by: 'older', pids: [process.pid] });
    } finally {
      await new Promise<void>((resolve) => stranger.close(() => resolve()));
    }

    // the launched program listens (on its own, after the stranger left)
    const own = record();
    const serving = await launchOwned(own, { command: process.execPath, args: ['-e', `require('net').createServer().listen(${port}, '127.0.0.1')`] });
    started.push(serving.pid);
    await vi.waitFor(() => expect(listenerHolder(own, { port })).toEqual({ by: 'ours' }), WAIT);
  });
});
