import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SOURCE_CONDITIONS } from '../../../tools/bundle/src/conditions.mjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, launch, makeNsInstance, SETTLE, statusOf, type NsInstance } from './helpers/fake-ns.ts';

// The command-line tool as an operator runs it: a separate process, its exit code as the shell
// sees it. Bundled here the way the lead's bundler does (CommonJS, node18, #! line).

let dir = '';
let tool = '';
let ns: NsInstance | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ocfkit-ha-monitor-'));
  tool = join(dir, 'tfs-ha-monitor');
  await build({
    entryPoints: [fileURLToPath(new URL('../src/cli/ha-monitor-main.ts', import.meta.url))],
    outfile: tool,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    conditions: SOURCE_CONDITIONS, // the workspace packages' TypeScript sources, as the build takes them
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'silent',
  });
  ns = makeNsInstance({ port: await freePort() });
  expect((await launch(ns)).code).toBe(0);
  await vi.waitFor(async () => expect(await statusOf(ns!), "the stand-in's heartbeat status (1: initialised)").toBe(1), SETTLE);
});

afterAll(() => {
  ns?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  const { exitCode: code, stdout, stderr } = await execa(process.execPath, [tool, ...args], { env: { PATH: '/usr/bin:/bin' }, extendEnv: false, stripFinalNewline: false, reject: false });
  return { code, stdout, stderr };
}

describe('tfs-ha-monitor executable', () => {
  it('exits 0, silently with -n, for a running NameServer (and with the switch)', async () => {
    expect(await run('-i', '127.0.0.1', '-p', String(ns!.port), '-n')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await run('-i', 'localhost', '-p', String(ns!.port), '-n', '-s', '1')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 255 when nothing listens, with the original\'s lines on stderr', async () => {
    const port = await freePort();
    const result = await run('-i', '127.0.0.1', '-p', String(port), '-n');
    expect(result.code).toBe(255);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').filter(Boolean).map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual([
      ...Array(3).fill(`ERROR send packet error: nameserver 127.0.0.1:${port}: connection refused`),
      'ERROR ping server failed, get status: -1',
    ]);
  });

  it('usage: 255 for a missing -i, 1 for an unknown option', async () => {
    expect(await run('-p', '3100')).toEqual({ code: 255, stdout: '', stderr: 'usage: tfs-ha-monitor -i ipaddr -p port [-s swith flag on=1, off= 0] [-n]\n' });
    expect((await run('-q')).code).toBe(1);
  });
});
