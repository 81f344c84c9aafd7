import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcfError } from '../ocf-error.ts';
import { findExecutable, haveBinary, requireExecutable } from './binary.ts';

let dir: string;
let tool: string;
let plain: string;
let bin1: string;
let bin2: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocfkit-binary-'));
  bin1 = join(dir, 'bin1');
  bin2 = join(dir, 'bin2');
  await mkdir(bin1);
  await mkdir(bin2);
  tool = join(bin2, 'ocfk-tool');
  await writeFile(tool, '#!/bin/sh\n');
  await chmod(tool, 0o755);
  // same name, earlier in PATH, but not executable: the lookup must go on to bin2
  await writeFile(join(bin1, 'ocfk-tool'), '#!/bin/sh\n');
  plain = join(dir, 'plain');
  await writeFile(plain, 'data\n');
  await chmod(plain, 0o644);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function thrown(fn: () => unknown): OcfError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OcfError);
    return error as OcfError;
  }
  throw new Error('expected an OcfError');
}

describe('haveBinary / findExecutable', () => {
  it('accepts an absolute path to an executable file', () => {
    expect(haveBinary(tool, {})).toBe(true);
    expect(findExecutable(tool, {})).toBe(tool);
  });

  it('rejects a missing path, a directory, a file without execute permission, and a relative path', () => {
    for (const path of [join(dir, 'missing'), dir, plain, 'bin2/ocfk-tool', '']) {
      expect(haveBinary(path, {})).toBe(false);
      expect(findExecutable(path, {})).toBeUndefined();
    }
  });

  it('looks a bare name up in PATH, skipping entries where it is not executable and relative entries', () => {
    expect(findExecutable('ocfk-tool', { PATH: `${bin1}:.:bin2:${bin2}` })).toBe(tool);
    expect(haveBinary('ocfk-tool', { PATH: bin1 })).toBe(false);
    expect(haveBinary('ocfk-tool', {})).toBe(false);
    expect(findExecutable('sh', { PATH: '/nonexistent:/bin' })).toBe('/bin/sh');
  });

  it('says no to everything when ocf-tester simulates missing binaries', () => {
    const env = { PATH: '/bin', OCF_TESTER_FAIL_HAVE_BINARY: '1' };
    expect(haveBinary('/bin/sh', env)).toBe(false);
    expect(haveBinary('sh', env)).toBe(false);
    expect(findExecutable('sh', env)).toBeUndefined();
    expect(haveBinary('sh', { ...env, OCF_TESTER_FAIL_HAVE_BINARY: '' })).toBe(true);
  });

  it('uses the agent environment by default', () => {
    expect(haveBinary('sh')).toBe(true);
  });
});

describe('requireExecutable', () => {
  it('returns the full path', () => {
    expect(requireExecutable(tool, 'binary', {})).toBe(tool);
    expect(requireExecutable('ocfk-tool', 'binary', { PATH: `${bin1}:${bin2}` })).toBe(tool);
  });

  it.each([
    ['a missing path', () => join(dir, 'missing'), 5, () => `binary: ${join(dir, 'missing')} not found`],
    ['a directory', () => dir, 5, () => `binary: ${dir} is a directory`],
    ['a file without execute permission', () => plain, 5, () => `binary: ${plain} is not executable`],
    ['a relative path', () => 'bin/redis-server', 6, () => 'binary: bin/redis-server is not an absolute path'],
    ['an empty value', () => '', 6, () => 'binary: no program given'],
    ['a name not in PATH', () => 'ocfk-missing', 5, () => 'binary: ocfk-missing not found in PATH'],
  ])('refuses %s with the code and a reason naming it', (_what, path, code, reason) => {
    const error = thrown(() => requireExecutable(path(), 'binary', { PATH: bin2 }));
    expect([error.code, error.reason]).toEqual([code, reason()]);
  });

  it('says why a name found in PATH cannot be used', () => {
    const error = thrown(() => requireExecutable('ocfk-tool', 'binary', { PATH: bin1 }));
    expect([error.code, error.reason]).toEqual([5, `binary: ${join(bin1, 'ocfk-tool')} is not executable`]);
  });

  it('honours OCF_TESTER_FAIL_HAVE_BINARY', () => {
    const error = thrown(() => requireExecutable('/bin/sh', 'binary', { OCF_TESTER_FAIL_HAVE_BINARY: '1' }));
    expect([error.code, error.reason]).toEqual([5, 'binary: /bin/sh not found']);
  });
});
