import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OcfError } from '@ocfkit/runtime';
import { readRedisConfig, type ReadOptions } from './redis-config.ts';

let root: string;
let cachePath: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'directive-cache-'));
  cachePath = join(root, 'run', '.ocfkit-r1.redis-conf.json');
  mkdirSync(join(root, 'run'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

/** A reading that begins 10 s from now: the files written by the test count as settled. */
const later = { now: () => Date.now() + 10_000 };
const options = (extra: Partial<ReadOptions> = {}): ReadOptions => ({ cwd: root, overrides: [['unixsocket', '/run/r.sock']], cache: { path: cachePath, ...later }, ...extra });

/** Change what the kept copy says redis.conf's requirepass is: if a read shows it, the copy was used. */
function tamper(secret: string): void {
  const stored = JSON.parse(readFileSync(cachePath, 'utf8'));
  for (const d of stored.loaded.directives) if (d[0] === 'requirepass') d[1] = [secret];
  writeFileSync(cachePath, JSON.stringify(stored), { mode: 0o600 });
}

describe('directive cache', () => {
  it('keeps a reading, private, and reads it instead of the files while they are unchanged', async () => {
    const conf = file('redis.conf', '# comment\nport 7000\nrequirepass "s3cret"\n');
    expect((await readRedisConfig(conf, options())).requirepass).toBe('s3cret');
    expect(statSync(cachePath).mode & 0o777).toBe(0o600);
    tamper('from-the-copy');
    expect((await readRedisConfig(conf, options())).requirepass).toBe('from-the-copy');
  });

  it('gives what reading the files gives: includes, quoting, save rules, renames, secrets, line numbers', async () => {
    const extra = file('extra.conf', 'save 60 5\nmasterauth \'p w\'\nrename-command CONFIG ""\n');
    const conf = file(
      'redis.conf',
      `port 7001\n  # indented comment\nsave 900 1\ninclude ${extra}\nsave 30 1\nrequirepass "a\\x41b"\nreplica-priority 7\ndir ${root}\ntls-port 0\n`,
    );
    const direct = await readRedisConfig(conf, { cwd: root, overrides: [['unixsocket', '/run/r.sock']] });
    const first = await readRedisConfig(conf, options());
    const recalled = await readRedisConfig(conf, options());
    expect(existsSync(cachePath)).toBe(true);
    for (const config of [first, recalled]) {
      expect({ ...config, directives: undefined }).toEqual({ ...direct, directives: undefined });
      expect([...config.directives.entries()].map(([k, d]) => [k, d.name, d.args, d.file, d.line, d.lossy, d.readingConfigFile])).toEqual(
        [...direct.directives.entries()].map(([k, d]) => [k, d.name, d.args, d.file, d.line, d.lossy, d.readingConfigFile]),
      );
    }
  });

  it('names the same line in a reason when the copy is used', async () => {
    const conf = file('redis.conf', '# one\n# two\nport 70000\n');
    const reasons = [];
    for (let i = 0; i < 2; i++) {
      const error = await readRedisConfig(conf, options()).catch((e: unknown) => e);
      reasons.push((error as OcfError).reason);
    }
    expect(existsSync(cachePath)).toBe(true);
    expect(reasons).toEqual([`config ${conf} line 3: port must be an integer from 0 to 65535, got '70000'`, `config ${conf} line 3: port must be an integer from 0 to 65535, got '70000'`]);
  });

  it('reads the files again after a change of the same size with its mtime put back (ctime moved)', async () => {
    const conf = file('redis.conf', 'requirepass aaaa\n');
    // whole seconds: set back exactly
    utimesSync(conf, 1_700_000_000, 1_700_000_000);
    const before = statSync(conf, { bigint: true });
    await readRedisConfig(conf, options());
    writeFileSync(conf, 'requirepass bbbb\n');
    utimesSync(conf, 1_700_000_000, 1_700_000_000);
    const after = statSync(conf, { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);
    expect((await readRedisConfig(conf, options())).requirepass).toBe('bbbb');
  });

  it('reads the files again after an included file changes, or the main file is replaced by rename', async () => {
    const extra = file('extra.conf', 'requirepass one\n');
    const conf = file('redis.conf', `include ${extra}\n`);
    await readRedisConfig(conf, options());
    writeFileSync(extra, 'requirepass two\n');
    expect((await readRedisConfig(conf, options())).requirepass).toBe('two');
    file('new.conf', 'requirepass three\n');
    rmSync(conf);
    writeFileSync(conf, readFileSync(join(root, 'new.conf')));
    expect((await readRedisConfig(conf, options())).requirepass).toBe('three');
  });

  it('keeps nothing of files changed in the 2 s before the read (their timestamps may not show a second change)', async () => {
    const conf = file('redis.conf', 'requirepass fresh\n');
    expect((await readRedisConfig(conf, options({ cache: { path: cachePath } }))).requirepass).toBe('fresh');
    expect(existsSync(cachePath)).toBe(false);
  });

  it('keeps nothing when an include pattern was expanded (a new match changes no file read)', async () => {
    mkdirSync(join(root, 'conf.d'));
    file('conf.d/a.conf', 'port 7002\n');
    const conf = file('redis.conf', `include ${root}/conf.d/*.conf\n`);
    expect((await readRedisConfig(conf, options())).port).toBe(7002);
    expect(existsSync(cachePath)).toBe(false);
  });

  it('ignores a copy that is readable by others, of another source, or corrupt, and writes a good one', async () => {
    const conf = file('redis.conf', 'requirepass real\n');
    await readRedisConfig(conf, options());
    tamper('planted');
    chmodSync(cachePath, 0o644);
    expect((await readRedisConfig(conf, options())).requirepass).toBe('real');
    expect(statSync(cachePath).mode & 0o777).toBe(0o600);

    tamper('planted');
    expect((await readRedisConfig(conf, options({ overrides: [['unixsocket', '/run/other.sock']] }))).requirepass).toBe('real');
    tamper('planted');
    expect((await readRedisConfig(conf, options({ cwd: '/' }))).requirepass).toBe('real');

    writeFileSync(cachePath, '{"version":1,', { mode: 0o600 });
    expect((await readRedisConfig(conf, options())).requirepass).toBe('real');
    expect(JSON.parse(readFileSync(cachePath, 'utf8')).version).toBe(1);
  });

  it('reads without keeping anything when rundir does not exist yet', async () => {
    const conf = file('redis.conf', 'requirepass x\n');
    const missing = join(root, 'absent', 'cache.json');
    expect((await readRedisConfig(conf, options({ cache: { path: missing, ...later } }))).requirepass).toBe('x');
    expect(existsSync(join(root, 'absent'))).toBe(false);
  });

  it('gives the same failure as a read when a kept file has gone', async () => {
    const conf = file('redis.conf', 'port 7003\n');
    await readRedisConfig(conf, options());
    rmSync(conf);
    const error = await readRedisConfig(conf, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OcfError);
    expect((error as OcfError).reason).toBe(`config ${conf} does not exist`);
  });
});
