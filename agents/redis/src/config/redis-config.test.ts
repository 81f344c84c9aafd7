import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OCF, OcfError } from '@ocfkit/runtime';
import { commandAs, readRedisConfig } from './redis-config.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'redis-config-'));
  await chmod(root, 0o755);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function file(path: string, text: string): Promise<string> {
  const full = join(root, path);
  await mkdir(join(full, '..'), { recursive: true });
  await writeFile(full, text);
  return full;
}

/** The OcfError a promise rejects with, for exact code-and-reason assertions. */
async function failure(promise: Promise<unknown>): Promise<{ code: number; reason: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof OcfError)) throw new Error(`expected an OcfError, got ${String(error)}`);
  return { code: error.code, reason: error.reason };
}

describe('readRedisConfig', () => {
  it('gives Redis 7 defaults for an empty file', async () => {
    const path = await file('redis.conf', '# nothing\n\n');
    const config = await readRedisConfig(path, { cwd: root });
    expect(config).toMatchObject({
      file: path,
      files: [path],
      requirepass: undefined,
      port: 6379,
      tlsPort: 0,
      bind: ['*', '-::*'],
      unixsocket: undefined,
      dir: root,
      dbfilename: 'dump.rdb',
      appendonly: false,
      replicaPriority: 100,
      save: [
        { seconds: 3600, changes: 1 },
        { seconds: 300, changes: 100 },
        { seconds: 60, changes: 10000 },
      ],
    });
  });

  it('reads keys case-insensitively, last value wins, old names count as new ones', async () => {
    const path = await file(
      'redis.conf',
      'PORT 7000\r\nport 7001\n  RequirePass first\nrequirepass "second one"\nslave-priority 5\nreplica-priority 7\nslave-priority 9\nappendonly YES\nbind 10.0.0.1 -::1\n',
    );
    const config = await readRedisConfig(path, { cwd: root });
    expect(config.port).toBe(7001);
    expect(config.requirepass).toBe('second one');
    expect(config.replicaPriority).toBe(9);
    expect(config.appendonly).toBe(true);
    expect(config.bind).toEqual(['10.0.0.1', '-::1']);
    expect(config.directives.get('replica-priority')).toMatchObject({ args: ['9'], line: 7, file: path });
  });

  it('unquotes secrets like Redis: double quotes with escapes, single quotes raw', async () => {
    const path = await file('redis.conf', 'requirepass "p\\"a s\\x21"\nmasterauth \'it\\\'s\'\nmasteruser replicator\n');
    const config = await readRedisConfig(path, { cwd: root });
    expect(config.requirepass).toBe('p"a s!');
    expect(config.masterauth).toBe("it's");
    expect(config.masteruser).toBe('replicator');
  });

  it('collects every credential of the files, included ones too, for masking', async () => {
    await file('users.conf', 'user alice on >"al ice" #abc123 ~* +@all\n');
    const path = await file('redis.conf', `requirepass rp1\ninclude ${join(root, 'users.conf')}\ntls-key-file-pass 'k p'\nrename-command CONFIG cfg-9\nmasteruser bob\n`);
    const config = await readRedisConfig(path, { cwd: root });
    expect(config.secrets).toEqual(['rp1', 'rp1', 'al ice', '"al ice"', 'abc123', 'abc123', 'k p', "'k p'", 'cfg-9', 'cfg-9']);
  });

  it('treats an empty requirepass as no password', async () => {
    const path = await file('redis.conf', 'requirepass secret\nrequirepass ""\n');
    expect((await readRedisConfig(path, { cwd: root })).requirepass).toBeUndefined();
  });

  it('resolves a relative include against the working directory, not the including file', async () => {
    await file('start/local.conf', 'port 7100\n');
    await file('etc/local.conf', 'port 7200\n');
    const path = await file('etc/redis.conf', 'include local.conf\n');
    const config = await readRedisConfig(path, { cwd: join(root, 'start') });
    expect(config.port).toBe(7100);
    expect(config.files).toEqual([path, join(root, 'start/local.conf')]);
  });

  it('moves relative includes and paths with dir, as chdir does', async () => {
    await file('data/extra.conf', 'unixsocket redis.sock\ntls-cert-file certs/redis.crt\n');
    const path = await file('etc/redis.conf', 'dir ../data\ninclude extra.conf\npidfile run/redis.pid\n');
    const config = await readRedisConfig(path, { cwd: join(root, 'etc') });
    expect(config.dir).toBe(join(root, 'data'));
    expect(config.unixsocket).toBe(join(root, 'data/redis.sock'));
    expect(config.tls.certFile).toBe(join(root, 'data/certs/redis.crt'));
    expect(config.pidfile).toBe(join(root, 'data/run/redis.pid'));
  });

  it('resolves relative paths against the final dir, even when dir comes later', async () => {
    const path = await file('redis.conf', `unixsocket r.sock\ndir ${root}/late\n`);
    expect((await readRedisConfig(path, { cwd: '/' })).unixsocket).toBe(join(root, 'late/r.sock'));
  });

  it('reads every match of an include pattern in sorted order, and no match is fine', async () => {
    await file('conf.d/20-b.conf', 'port 7020\n');
    await file('conf.d/10-a.conf', 'port 7010\nmasteruser a\n');
    await file('conf.d/.hidden.conf', 'port 7999\n');
    await file('conf.d/30-c.txt', 'port 7030\n');
    const path = await file('redis.conf', `include ${root}/conf.d/*.conf\ninclude ${root}/empty.d/*.conf\n`);
    const config = await readRedisConfig(path, { cwd: root });
    expect(config.port).toBe(7020);
    expect(config.masteruser).toBe('a');
    expect(config.files).toEqual([path, join(root, 'conf.d/10-a.conf'), join(root, 'conf.d/20-b.conf')]);
  });

  it('joins matched files as Redis does: a file without a final newline runs into the next', async () => {
    await file('conf.d/a.conf', 'port 7010\nmasteruser x');
    await file('conf.d/b.conf', 'yz\nappendonly yes\n');
    const path = await file('redis.conf', `include ${root}/conf.d/*.conf\n`);
    const config = await readRedisConfig(path, { cwd: root });
    expect(config.masteruser).toBe('xyz');
    expect(config.directives.get('appendonly')).toMatchObject({ file: join(root, 'conf.d/b.conf'), line: 2 });
  });

  it('numbers lines within each matched file, past files without a directive', async () => {
    await file('conf.d/a.conf', '# one\n\nport 7010\n');
    await file('conf.d/b.conf', '# only\n# comments\n');
    await file('conf.d/c.conf', '\n\n  # indented comment\n  appendonly yes\nsave ""\n');
    const path = await file('redis.conf', `# main\ninclude ${root}/conf.d/*.conf\ndir /tmp\n`);
    const config = await readRedisConfig(path, { cwd: root });
    expect(config.directives.get('port')).toMatchObject({ file: join(root, 'conf.d/a.conf'), line: 3 });
    expect(config.directives.get('appendonly')).toMatchObject({ file: join(root, 'conf.d/c.conf'), line: 4 });
    expect(config.directives.get('save')).toMatchObject({ file: join(root, 'conf.d/c.conf'), line: 5 });
    expect(config.directives.get('dir')).toMatchObject({ file: path, line: 3 });
  });

  it('applies command-line options after the file', async () => {
    const path = await file('redis.conf', 'port 7000\nunixsocket /tmp/file.sock\n');
    const config = await readRedisConfig(path, { cwd: root, overrides: [['unixsocket', '/run/r "x".sock'], ['save', '']] });
    expect(config.unixsocket).toBe('/run/r "x".sock');
    expect(config.port).toBe(7000);
    expect(config.save).toEqual([]);
  });

  it('follows the save rules: the first save replaces the defaults, later ones add, "" clears', async () => {
    const read = async (text: string) => (await readRedisConfig(await file('s.conf', text), { cwd: root })).save;
    expect(await read('save 900 1\nsave 300 10 60 10000\n')).toEqual([
      { seconds: 900, changes: 1 },
      { seconds: 300, changes: 10 },
      { seconds: 60, changes: 10000 },
    ]);
    expect(await read('save 900 1\nsave ""\n')).toEqual([]);
    expect(await read('save ""\nsave 60 5\n')).toEqual([{ seconds: 60, changes: 5 }]);
  });

  it('follows the save quirk after an include: each later save replaces (reading_config_file is cleared)', async () => {
    await file('empty.conf', '');
    const path = await file('redis.conf', `save 10 1\ninclude ${root}/empty.conf\nsave 900 1\nsave 300 10\n`);
    expect((await readRedisConfig(path, { cwd: root })).save).toEqual([{ seconds: 300, changes: 10 }]);
    const plain = await file('plain.conf', 'save 900 1\n');
    expect((await readRedisConfig(plain, { cwd: root, overrides: [['save', '60', '5']] })).save).toEqual([
      { seconds: 900, changes: 1 },
      { seconds: 60, changes: 5 },
    ]);
  });

  it('records renamed and disabled commands', async () => {
    const path = await file('redis.conf', 'rename-command CONFIG cfg-9f2\nrename-command SHUTDOWN ""\n');
    const config = await readRedisConfig(path, { cwd: root });
    expect(commandAs(config, 'CONFIG')).toBe('cfg-9f2');
    expect(commandAs(config, 'shutdown')).toBeUndefined();
    expect(commandAs(config, 'INFO')).toBe('INFO');
  });

  it('reads tls settings and a static replicaof', async () => {
    const path = await file(
      'redis.conf',
      'tls-port 6380\ntls-ca-cert-file /etc/ca.crt\ntls-key-file /etc/r.key\ntls-replication yes\ntls-auth-clients optional\nslaveof 10.0.0.9 6390\n',
    );
    const config = await readRedisConfig(path, { cwd: root });
    expect(config.tlsPort).toBe(6380);
    expect(config.tls).toEqual({
      certFile: undefined,
      keyFile: '/etc/r.key',
      caCertFile: '/etc/ca.crt',
      caCertDir: undefined,
      clientCertFile: undefined,
      clientKeyFile: undefined,
      replication: true,
      authClients: 'optional',
    });
    expect(config.replicaof).toEqual({ host: '10.0.0.9', port: 6390 });
  });

  it('ignores "replicaof no one"', async () => {
    const path = await file('redis.conf', 'replicaof no one\n');
    expect((await readRedisConfig(path, { cwd: root })).replicaof).toBeUndefined();
  });

  describe('failures', () => {
    it('a missing file is OCF_ERR_INSTALLED (this node lacks it)', async () => {
      expect(await failure(readRedisConfig(join(root, 'nope.conf')))).toEqual({
        code: OCF.ERR_INSTALLED,
        reason: `config ${root}/nope.conf does not exist`,
      });
    });

    it('a missing include names the including line', async () => {
      const path = await file('redis.conf', 'port 1\n\ninclude /nonexistent/local.conf\n');
      expect(await failure(readRedisConfig(path, { cwd: root }))).toEqual({
        code: OCF.ERR_INSTALLED,
        reason: `cannot read /nonexistent/local.conf (included from ${path} line 3): no such file`,
      });
    });

    it('an unreadable file is OCF_ERR_PERM', async () => {
      const path = await file('redis.conf', 'requirepass x\n');
      await chmod(path, 0o600);
      const error = await asNobody(() => failure(readRedisConfig(path, { cwd: root })));
      expect(error).toEqual({ code: OCF.ERR_PERM, reason: `cannot read config ${path}: permission denied` });
    });

    it('a directory is OCF_ERR_CONFIGURED', async () => {
      expect(await failure(readRedisConfig(root))).toEqual({ code: OCF.ERR_CONFIGURED, reason: `cannot read config ${root}: is a directory` });
    });

    it('unbalanced quotes are OCF_ERR_CONFIGURED with the line', async () => {
      const path = await file('redis.conf', 'port 7000\nrequirepass "abc\n');
      expect(await failure(readRedisConfig(path))).toEqual({ code: OCF.ERR_CONFIGURED, reason: `config ${path} line 2: unbalanced quotes` });
    });

    it('a bad port says what was expected', async () => {
      const path = await file('redis.conf', 'port sixty\n');
      expect(await failure(readRedisConfig(path))).toEqual({
        code: OCF.ERR_CONFIGURED,
        reason: `config ${path} line 1: port must be an integer from 0 to 65535, got 'sixty'`,
      });
    });

    it('an include loop is OCF_ERR_CONFIGURED, not a hang', async () => {
      const a = await file('a.conf', `include ${root}/b.conf\n`);
      const b = await file('b.conf', `include ${root}/a.conf\n`);
      expect(await failure(readRedisConfig(a))).toEqual({
        code: OCF.ERR_CONFIGURED,
        reason: `config ${b} line 1: include loop: ${a} -> ${b} -> ${a}`,
      });
    });

    it('a password that is not UTF-8 is refused without showing it', async () => {
      const path = await file('redis.conf', 'requirepass "\\xffsecret"\n');
      expect(await failure(readRedisConfig(path))).toEqual({
        code: OCF.ERR_CONFIGURED,
        reason: `config ${path} line 1: requirepass contains bytes that are not UTF-8 (\\x escapes); not supported`,
      });
    });
  });
});

/** Root reads everything: drop the effective uid for the call so permissions apply. */
async function asNobody<T>(fn: () => Promise<T>): Promise<T> {
  if (process.geteuid!() !== 0) return fn();
  process.seteuid!(65534);
  try {
    return await fn();
  } finally {
    process.seteuid!(0);
  }
}
