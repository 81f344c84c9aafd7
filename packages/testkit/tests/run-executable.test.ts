import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pacemakerEnv } from '../src/pacemaker-env.ts';
import { runExecutable } from '../src/run-executable.ts';

// runExecutable stands in for pacemaker-execd: these are the parts of that promise a test of an
// agent cannot see for itself (what the agent is given, and how it is ended).
const dir = mkdtempSync(join(tmpdir(), 'ocfkit-run-executable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('runExecutable', () => {
  it('gives the agent exactly pacemaker-execd\'s environment, cwd / and the action as its argument', async () => {
    const agent = script('env-agent', 'echo "cwd=$(pwd) args=$*"; env -0 >&2; exit 7');
    const r = await runExecutable(agent, 'monitor', { params: { port: 6379 }, meta: { interval: 10000 } });
    expect(r.code).toBe(7);
    expect(r.signal).toBeNull();
    expect(r.stdout).toBe('cwd=/ args=monitor\n');
    const seen = Object.fromEntries(
      r.stderr
        .split('\0')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    delete seen.PWD; // the shell's own
    expect(seen).toEqual(pacemakerEnv('env-agent', { params: { port: 6379 }, meta: { interval: 10000 } }));
  });

  it('reads the exit reason from stderr, and keeps the output byte for byte', async () => {
    const agent = script('reason-agent', 'printf "no newline"; echo "ocf-exit-reason:port 6379 is taken" >&2; exit 1');
    const r = await runExecutable(agent, 'start');
    expect([r.code, r.reason, r.stdout]).toEqual([1, 'port 6379 is taken', 'no newline']);
  });

  it('SIGKILLs the agent when its budget runs out, with no SIGTERM first', async () => {
    const agent = script('stuck-agent', 'trap "echo got SIGTERM; exit 0" TERM; echo started; while :; do sleep 0.1; done');
    const r = await runExecutable(agent, 'stop', { killAfterMs: 500 });
    expect([r.code, r.signal, r.stdout]).toEqual([null, 'SIGKILL', 'started\n']);
    expect(r.wallMs).toBeGreaterThanOrEqual(500);
  });

  it('fails when the agent cannot be run at all', async () => {
    await expect(runExecutable(join(dir, 'no-such-agent'), 'monitor')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
