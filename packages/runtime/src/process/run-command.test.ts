import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killTrackedChildren } from './children.ts';
import { OcfError } from '../ocf-error.ts';
import { isRunning } from './proc-info.ts';
import { runCommand } from './run-command.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocfkit-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<OcfError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OcfError);
  return error as OcfError;
}

/** Poll until `pid` is not running (killed group members may wait a moment to be reaped). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 500; i++) {
    if (!(await isRunning(pid))) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** A shell that starts `sleep` in its group, records its pid, and waits: what a timeout must clean up. */
async function pidFrom(file: string): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.endsWith('\n')) return Number(text);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no pid in ${file}`);
}

describe('runCommand', () => {
  it('returns exit code, stdout and stderr', async () => {
    expect(await runCommand('/bin/sh', ['-c', 'echo out; echo err >&2; exit 3'])).toEqual({ code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
  });

  it('passes arguments as they are, never through a shell', async () => {
    const result = await runCommand('printf', ['%s|', '$HOME', 'a b', '; rm -rf /', '`id`']);
    expect(result.stdout).toBe('$HOME|a b|; rm -rf /|`id`|');
  });

  it('feeds input on stdin, and stdin is empty without it', async () => {
    expect((await runCommand('cat', [], { input: 'hello\nworld' })).stdout).toBe('hello\nworld');
    expect((await runCommand('cat', [])).stdout).toBe('');
  });

  it('uses exactly the environment given, and the working directory', async () => {
    process.env.OCFKIT_TEST_SECRET = 'leak';
    try {
      expect((await runCommand('/usr/bin/env', [], { env: { A: '1' } })).stdout).toBe('A=1\n');
      expect((await runCommand('/usr/bin/env', [])).stdout).toContain('OCFKIT_TEST_SECRET=leak');
    } finally {
      delete process.env.OCFKIT_TEST_SECRET;
    }
    expect((await runCommand('/bin/pwd', [], { cwd: dir })).stdout).toBe(`${dir}\n`);
  });

  it('reports how a signal ended the command', async () => {
    expect(await runCommand('/bin/sh', ['-c', 'kill -TERM $$'])).toEqual({ code: null, signal: 'SIGTERM', stdout: '', stderr: '' });
  });

  it('fails with OCF_ERR_INSTALLED when the program or the working directory is missing', async () => {
    const missing = await rejection(runCommand('/nonexistent/prog', []));
    expect([missing.code, missing.reason]).toEqual([5, '/nonexistent/prog: not found']);
    const bare = await rejection(runCommand('ocfkit-no-such-prog', []));
    expect([bare.code, bare.reason]).toEqual([5, 'ocfkit-no-such-prog: not found']);
    const cwd = await rejection(runCommand('/bin/true', [], { cwd: '/nonexistent/dir' }));
    expect([cwd.code, cwd.reason]).toEqual([5, 'cannot run /bin/true: working directory /nonexistent/dir does not exist']);
  });

  it('fails with OCF_ERR_PERM when the program is not executable', async () => {
    const file = join(dir, 'not-executable');
    await writeFile(file, '#!/bin/sh\n');
    await chmod(file, 0o644);
    const error = await rejection(runCommand(file, []));
    expect([error.code, error.reason]).toEqual([4, `${file}: permission denied`]);
  });

  it('kills the whole process group on timeout', async () => {
    const pidfile = join(dir, 'timeout.pid');
    const error = await rejection(runCommand('/bin/sh', ['-c', `sleep 30 & echo $! > ${pidfile}; wait`], { timeoutMs: 300 }));
    expect([error.code, error.reason]).toEqual([1, '/bin/sh did not finish within 300ms']);
    expect(await gone(await pidFrom(pidfile))).toBe(true);
  });

  it('kills the whole process group on abort and fails with the abort reason', async () => {
    const pidfile = join(dir, 'abort.pid');
    const controller = new AbortController();
    const running = runCommand('/bin/sh', ['-c', `sleep 30 & echo $! > ${pidfile}; wait`], { signal: controller.signal });
    const grandchild = await pidFrom(pidfile);
    controller.abort(OcfError.generic('monitor did not finish within 9s of its 10s timeout'));
    const error = await rejection(running);
    expect([error.code, error.reason]).toEqual([1, 'monitor did not finish within 9s of its 10s timeout']);
    expect(await gone(grandchild)).toBe(true);
  });

  it('does not start anything when the signal has already fired', async () => {
    const pidfile = join(dir, 'never.pid');
    const error = await rejection(runCommand('/bin/sh', ['-c', `echo $$ > ${pidfile}`], { signal: AbortSignal.abort(OcfError.generic('too late')) }));
    expect([error.code, error.reason]).toEqual([1, 'too late']);
    await expect(readFile(pidfile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('registers the command so the runtime kills it at the action deadline', async () => {
    const pidfile = join(dir, 'tracked.pid');
    const running = runCommand('/bin/sh', ['-c', `sleep 30 & echo $! > ${pidfile}; wait`]);
    const grandchild = await pidFrom(pidfile);
    killTrackedChildren();
    expect(await running).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(await gone(grandchild)).toBe(true);
  });

  it('returns when the command exits even if a process it left behind holds stdout open', async () => {
    const result = await runCommand('/bin/sh', ['-c', 'sleep 30 & echo $!']);
    const daemon = Number(result.stdout);
    expect(result.code).toBe(0);
    expect(await isRunning(daemon)).toBe(true);
    process.kill(daemon, 'SIGKILL');
    expect(await gone(daemon)).toBe(true);
  });
});
