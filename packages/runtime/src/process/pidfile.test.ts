import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asRoot, unavailable } from '../../tests/helpers/availability.ts';
import { OcfError } from '../ocf-error.ts';
import { loadPidfile, parsePid, removePidfile, writePidfile } from './pidfile.ts';

/** The pid a pidfile names, undefined for any other content. */
const readPidfile = async (path: string): Promise<number | undefined> => {
  const content = await loadPidfile(path);
  return content.kind === 'pid' ? content.pid : undefined;
};

// chown to another owner, and act as nobody to meet a permission error
const notRoot = unavailable(asRoot(), 'root');
const NOBODY = 65534;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocfkit-pidfile-'));
  // searchable by nobody, writable only by root: the permission tests hit the file, not the path
  await chmod(dir, 0o755);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run `fn` with the effective uid of nobody (root only): permission checks as a service user sees them. */
async function asNobody<T>(fn: () => Promise<T>): Promise<T> {
  process.seteuid!(NOBODY);
  try {
    return await fn();
  } finally {
    process.seteuid!(0);
  }
}

async function rejection(promise: Promise<unknown>): Promise<OcfError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OcfError);
  return error as OcfError;
}

describe('parsePid', () => {
  it.each([
    ['1234\n', 1234],
    ['1234', 1234],
    ['      1234\n', 1234],
    ['1234\nextra\n', 1234],
    ['4194304\n', 4194304],
  ])('reads %j as %d', (text, pid) => {
    expect(parsePid(text)).toBe(pid);
  });
  it.each(['', '\n', 'abc\n', '0\n', '-5\n', '12 34\n', '4194305\n', '99999999\n', '1e3\n', '0x10\n', '12.5\n'])('treats %j as garbage', (text) => {
    expect(parsePid(text)).toBeUndefined();
  });
});

describe('writePidfile', () => {
  it('writes PID and a newline, mode 0644 whatever the umask, leaving no temp file', async () => {
    const path = join(dir, 'svc.pid');
    const previous = process.umask(0o077);
    try {
      await writePidfile(path, 4242);
    } finally {
      process.umask(previous);
    }
    expect(await readFile(path, 'utf8')).toBe('4242\n');
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    expect(await readdir(dir)).toEqual(['svc.pid']);
  });

  it('creates missing parent directories with mode 0755 and applies the mode asked for', async () => {
    const path = join(dir, 'run', 'svc', 'svc.pid');
    const previous = process.umask(0o077);
    try {
      await writePidfile(path, 17, { mode: 0o600 });
    } finally {
      process.umask(previous);
    }
    expect((await stat(join(dir, 'run'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dir, 'run', 'svc'))).mode & 0o777).toBe(0o755);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readPidfile(path)).toBe(17);
  });

  it.skipIf(notRoot)('gives the file, and the directories it created, to the owner', async () => {
    await mkdir(join(dir, 'existing'));
    const path = join(dir, 'existing', 'new', 'svc.pid');
    await writePidfile(path, 17, { owner: { uid: NOBODY, gid: NOBODY } });
    const file = await stat(path);
    expect([file.uid, file.gid]).toEqual([NOBODY, NOBODY]);
    const created = await stat(join(dir, 'existing', 'new'));
    expect([created.uid, created.gid]).toEqual([NOBODY, NOBODY]);
    const existing = await stat(join(dir, 'existing'));
    expect(existing.uid).toBe(0);
  });

  it('replaces an existing pidfile, and a symlink planted there instead of writing through it', async () => {
    const path = join(dir, 'svc.pid');
    await writePidfile(path, 1);
    await writePidfile(path, 2);
    expect(await readFile(path, 'utf8')).toBe('2\n');

    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious\n');
    await rm(path);
    await symlink(victim, path);
    await writePidfile(path, 3);
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect((await stat(path)).isFile()).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('3\n');
  });

  it('refuses a relative path and an invalid pid', async () => {
    const relative = await rejection(writePidfile('run/svc.pid', 1));
    expect([relative.code, relative.reason]).toEqual([6, 'pidfile run/svc.pid: not an absolute path']);
    const path = join(dir, 'svc.pid');
    const invalid = await rejection(writePidfile(path, 0));
    expect([invalid.code, invalid.reason]).toEqual([1, `cannot write pidfile ${path}: invalid pid 0`]);
  });

  it.skipIf(notRoot)('fails with OCF_ERR_PERM naming the path when the directory is not writable', async () => {
    const path = join(dir, 'svc.pid');
    const error = await asNobody(() => rejection(writePidfile(path, 5)));
    expect([error.code, error.reason]).toEqual([4, `cannot write pidfile ${path}: permission denied`]);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('readPidfile', () => {
  it('is undefined when the pidfile is missing, empty or garbage', async () => {
    expect(await readPidfile(join(dir, 'missing.pid'))).toBeUndefined();
    expect(await readPidfile(join(dir, 'not-a-dir', 'x.pid'))).toBeUndefined();
    for (const content of ['', 'garbage\n', '0\n', '-1\n']) {
      await writeFile(join(dir, 'x.pid'), content);
      expect(await readPidfile(join(dir, 'x.pid'))).toBeUndefined();
    }
  });

  it('tells missing from garbage for callers that care', async () => {
    const path = join(dir, 'x.pid');
    expect(await loadPidfile(path)).toEqual({ kind: 'missing' });
    await writeFile(path, 'garbage\n');
    expect(await loadPidfile(path)).toEqual({ kind: 'invalid' });
    await writeFile(path, '77\n');
    expect(await loadPidfile(path)).toEqual({ kind: 'pid', pid: 77, mtimeMs: (await stat(path)).mtimeMs });
  });

  it('reads only the first bytes of a large file', async () => {
    const path = join(dir, 'x.pid');
    await writeFile(path, `123\n${'x'.repeat(1_000_000)}`);
    expect(await readPidfile(path)).toBe(123);
  });

  it('fails with a reason instead of guessing when the path is a directory or relative', async () => {
    const directory = await rejection(readPidfile(dir));
    expect([directory.code, directory.reason]).toEqual([6, `cannot read pidfile ${dir}: is a directory`]);
    const relative = await rejection(readPidfile('x.pid'));
    expect([relative.code, relative.reason]).toEqual([6, 'pidfile x.pid: not an absolute path']);
  });

  it.skipIf(notRoot)('fails with OCF_ERR_PERM naming the path on EACCES', async () => {
    const path = join(dir, 'x.pid');
    await writeFile(path, '42\n');
    await chmod(path, 0o600);
    const error = await asNobody(() => rejection(readPidfile(path)));
    expect([error.code, error.reason]).toEqual([4, `cannot read pidfile ${path}: permission denied`]);
  });
});

describe('removePidfile', () => {
  it('removes the pidfile and accepts one that is already gone', async () => {
    const path = join(dir, 'x.pid');
    await writePidfile(path, 9);
    await removePidfile(path);
    expect(await readdir(dir)).toEqual([]);
    await removePidfile(path);
    await removePidfile(join(dir, 'nodir', 'x.pid'));
  });

  it.skipIf(notRoot)('fails with OCF_ERR_PERM naming the path when it may not remove it', async () => {
    const path = join(dir, 'x.pid');
    await writePidfile(path, 9);
    const error = await asNobody(() => rejection(removePidfile(path)));
    expect([error.code, error.reason]).toEqual([4, `cannot remove pidfile ${path}: permission denied`]);
  });
});
