import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { OcfError } from '../ocf-error.ts';
import { isRunning, parseStat } from './proc-info.ts';
import { isAlive, terminate } from './terminate.ts';

/** Ignores SIGTERM, says "ready" once the handler is in place. */
const STUBBORN = `process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);`;

const children: ChildProcess[] = [];
const ZOMBIE_MAKER = '$| = 1; my $pid = fork() // die; exit 0 if $pid == 0; print "$pid\\n"; sleep 30;';
const strays: number[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function start(file: string, args: string[], detached = false): { child: ChildProcess; lines: AsyncIterator<string> } {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'], detached });
  children.push(child);
  return { child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
}

async function line(lines: AsyncIterator<string>): Promise<string> {
  const next = await lines.next();
  if (next.done) throw new Error('the process ended before saying anything');
  return next.value;
}

async function rejection(promise: Promise<unknown>): Promise<OcfError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OcfError);
  return error as OcfError;
}

describe('isAlive', () => {
  it('is true for a live process (even one we may not signal) and false for a dead pid or nonsense', async () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(1)).toBe(true);
    const { child } = start('/bin/true', []);
    await once(child, 'exit');
    expect(isAlive(child.pid!)).toBe(false);
    for (const pid of [0, -1, 2.5]) expect(isAlive(pid)).toBe(false);
  });
});

describe('terminate', () => {
  it('stops a process with SIGTERM', async () => {
    const { child } = start('/bin/sleep', ['30']);
    await once(child, 'spawn');
    expect(await terminate(child.pid!, { graceMs: 5000 })).toEqual({ how: 'term' });
    expect(await isRunning(child.pid!)).toBe(false);
  });

  it('uses SIGKILL on a process that ignores SIGTERM once the grace period is over', async () => {
    const { child, lines } = start(process.execPath, ['-e', STUBBORN]);
    expect(await line(lines)).toBe('ready');
    expect(await terminate(child.pid!, { graceMs: 300 })).toEqual({ how: 'kill' });
    expect(await isRunning(child.pid!)).toBe(false);
  });

  it('cuts the grace period short when the signal fires (a stop must not fail at its deadline)', async () => {
    const { child, lines } = start(process.execPath, ['-e', STUBBORN]);
    expect(await line(lines)).toBe('ready');
    const controller = new AbortController();
    const stopping = terminate(child.pid!, { graceMs: 600_000, signal: controller.signal });
    setTimeout(() => controller.abort(OcfError.generic('deadline')), 200);
    expect(await stopping).toEqual({ how: 'kill' });
  });

  it('is done at once with a pid that is gone, or a zombie', async () => {
    const { child } = start('/bin/true', []);
    await once(child, 'exit');
    expect(await terminate(child.pid!, { graceMs: 1000 })).toEqual({ how: 'gone' });

    // perl forks a child that exits at once and never waits for it: a zombie until perl dies
    const parent = start('perl', ['-e', ZOMBIE_MAKER]);
    const zombie = Number(await line(parent.lines));
    while (parseStat(await readFile(`/proc/${zombie}/stat`, 'utf8'))?.state !== 'Z') await new Promise((r) => setTimeout(r, 10));
    expect(isAlive(zombie)).toBe(true);
    expect(await terminate(zombie, { graceMs: 1000 })).toEqual({ how: 'gone' });
  });

  it('never signals a pid that is no longer ours', async () => {
    const { child } = start('/bin/sleep', ['30']);
    await once(child, 'spawn');
    let asked = 0;
    const stillOurs = async () => {
      asked++;
      return false;
    };
    expect(await terminate(child.pid!, { graceMs: 1000, stillOurs })).toEqual({ how: 'gone' });
    expect(asked).toBe(1);
    expect(await isRunning(child.pid!)).toBe(true);
  });

  it('asks again before SIGKILL: a pid reused during the grace period is left alone', async () => {
    const { child, lines } = start(process.execPath, ['-e', STUBBORN]);
    expect(await line(lines)).toBe('ready');
    const answers = [true, false];
    const result = await terminate(child.pid!, { graceMs: 200, stillOurs: async () => answers.shift() ?? false });
    expect(result).toEqual({ how: 'term' });
    expect(answers).toEqual([]);
    expect(await isRunning(child.pid!)).toBe(true);
  });

  it('with group, stops everything in the process group, even helpers that outlive the leader', async () => {
    const { child, lines } = start('/bin/sh', ['-c', `${process.execPath} -e "${STUBBORN}" & echo $!; wait`], true);
    const helper = Number(await line(lines));
    strays.push(helper);
    expect(await line(lines)).toBe('ready');
    expect(await terminate(child.pid!, { graceMs: 300, group: true })).toEqual({ how: 'kill' });
    expect(await isRunning(child.pid!)).toBe(false);
    expect(await isRunning(helper)).toBe(false);
  });

  it('without group, signals only the pid', async () => {
    const { child, lines } = start('/bin/sh', ['-c', `${process.execPath} -e "${STUBBORN}" & echo $!; wait`], true);
    const helper = Number(await line(lines));
    strays.push(helper);
    expect(await line(lines)).toBe('ready');
    expect(await terminate(child.pid!, { graceMs: 300 })).toEqual({ how: 'term' });
    expect(await isRunning(helper)).toBe(true);
  });

  it('refuses pids whose signal would hit everyone, init, or the agent itself', async () => {
    for (const pid of [0, -1, 1, process.pid, 1.5]) {
      const error = await rejection(terminate(pid, { graceMs: 100 }));
      expect([error.code, error.reason]).toEqual([1, `refusing to signal pid ${pid}`]);
    }
  });
});
