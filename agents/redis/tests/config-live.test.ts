import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRedisConfig } from '../src/config/redis-config.ts';
import { withClient } from '../src/resp/client.ts';
import { minimalArgs, startRedisServer, tempDir } from './helpers/redis-server.ts';

// The proof that config/redis-config.ts reads a redis.conf as redis-server does: the same files, read by both,
// compared value by value with what the running server says (CONFIG GET).

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('readRedisConfig agrees with redis-server', () => {
  it('on includes (relative to the working directory, moved by dir), patterns, quoting, aliases and save', async () => {
    const root = tempDir();
    const start = join(root, 'start');
    write(join(start, 'local.conf'), 'requirepass "from local"\nappendonly yes\n');
    write(join(root, 'data/conf.d/10-auth.conf'), 'masterauth "m a\\x21"\n');
    write(join(root, 'data/conf.d/20-prio.conf'), 'replica-priority 43\n');
    const file = write(
      join(root, 'etc/redis.conf'),
      [
        '# exercised: include relative to cwd, dir moving later includes, patterns, quotes, aliases',
        'include local.conf',
        'REQUIREPASS "sp ace\\"q\\x21"',
        '  dir ../data  ',
        'include conf.d/*.conf',
        'slave-priority 42',
        'appendonly no',
        'save 900 1',
        'save 300 10',
        "masteruser 'rep\\'l'",
        '',
      ].join('\n'),
    );
    const server = await startRedisServer({ configFile: file, cwd: start, minimal: true });
    const ours = await readRedisConfig(file, { cwd: start, overrides: minimalArgs(server.port, server.socket) });
    const theirs = await withClient({ endpoint: server.unix, password: ours.requirepass }, async (c) => {
      const names = ['requirepass', 'masterauth', 'masteruser', 'replica-priority', 'appendonly', 'save', 'dir', 'port', 'unixsocket'];
      const replies = await c.pipeline(names.map((n) => ['CONFIG', 'GET', n]));
      return Object.fromEntries(replies.map((r) => r as string[]).map(([k, v]) => [k, v]));
    });
    expect(theirs).toEqual({
      requirepass: 'sp ace"q!',
      masterauth: 'm a!',
      masteruser: "rep'l",
      'replica-priority': '42',
      appendonly: 'no',
      // not '900 1 300 10': after an include, Redis applies each save line as a replacement
      save: '300 10',
      dir: join(root, 'data'),
      port: String(server.port),
      unixsocket: server.socket,
    });
    expect({
      requirepass: ours.requirepass,
      masterauth: ours.masterauth,
      masteruser: ours.masteruser,
      'replica-priority': String(ours.replicaPriority),
      appendonly: ours.appendonly ? 'yes' : 'no',
      save: ours.save.map((p) => `${p.seconds} ${p.changes}`).join(' '),
      dir: ours.dir,
      port: String(ours.port),
      unixsocket: ours.unixsocket,
    }).toEqual(theirs);
    await server.stop();
  });
});
