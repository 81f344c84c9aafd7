import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcfError } from '@ocfkit/runtime';
import { parseInfo } from '../src/info.ts';
import { RedisClient, withClient, type ClientOptions } from '../src/resp/client.ts';
import { isNotListening, RedisError } from '../src/resp/errors.ts';
import { freePort } from '@ocfkit/testkit';
import { startRedisServer, tempDir, type RedisServer } from './helpers/redis-server.ts';

/** The RedisError a promise rejects with: tests assert its code and its exact message. */
const ping = (options: ClientOptions) => withClient(options, (c) => c.command(['PING']));

describe('RESP client against a real redis-server', () => {
  let plain: RedisServer;
  let secured: RedisServer;
  const password = 'pa ss"wörd';

  beforeAll(async () => {
    [plain, secured] = await Promise.all([
      startRedisServer(),
      startRedisServer({ args: ['--requirepass', password, '--enable-debug-command', 'local'] }),
    ]);
    await withClient({ endpoint: secured.unix, password }, async (c) => {
      await c.command(['ACL', 'SETUSER', 'alice', 'on', '>alice-pw', '~*', '+@all']);
      await c.command(['ACL', 'SETUSER', 'watcher', 'on', '>watch-pw', '+ping']);
    });
  });

  it('PINGs and reads INFO over the unix socket', async () => {
    const [pong, info] = await withClient({ endpoint: plain.unix }, (c) => c.pipeline([['PING'], ['INFO']]));
    expect(pong).toBe('PONG');
    const parsed = parseInfo(info as string);
    expect(parsed.role).toBe('master');
    expect(parsed.fields.get('process_id')).toBe(String(plain.pid));
  });

  it('PINGs and reads INFO over TCP', async () => {
    const info = await withClient({ endpoint: plain.tcp }, (c) => c.command(['INFO', 'server']));
    expect(parseInfo(info as string).fields.get('tcp_port')).toBe(String(plain.port));
  });

  it('answers pipelined commands in order, with integers, bulk strings, nulls and arrays', async () => {
    const replies = await withClient({ endpoint: plain.unix }, (c) =>
      c.pipeline([['DEL', 'k', 'l'], ['SET', 'k', 'v'], ['INCR', 'n'], ['GET', 'k'], ['GET', 'missing'], ['RPUSH', 'l', 'a', 'b'], ['LRANGE', 'l', '0', '-1'], ['DEL', 'n']]),
    );
    expect(replies).toEqual([0, 'OK', 1, 'v', null, 2, ['a', 'b'], 1]);
  });

  it('rejects a failed command in a pipeline, and the connection keeps working', async () => {
    await withClient({ endpoint: plain.unix }, async (c) => {
      await expect(c.pipeline([['PING'], ['NOSUCHCOMMAND', 'x'], ['PING']])).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_UNKNOWN_COMMAND', message: `redis at ${plain.socket}: NOSUCHCOMMAND failed: ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'x' ` });
      expect(await c.command(['PING'])).toBe('PONG');
    });
  });

  it('authenticates with requirepass', async () => {
    expect(await ping({ endpoint: secured.unix, password })).toBe('PONG');
  });

  it('authenticates as an ACL user', async () => {
    const whoami = await withClient({ endpoint: secured.tcp, username: 'alice', password: 'alice-pw' }, (c) => c.command(['ACL', 'WHOAMI']));
    expect(whoami).toBe('alice');
  });

  it('says NOAUTH when no password is sent to a server that wants one', async () => {
    await expect(ping({ endpoint: secured.unix })).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_NOAUTH', message: `redis at ${secured.socket}: PING failed: NOAUTH Authentication required.` });
  });

  it('says WRONGPASS for a wrong password, without showing it', async () => {
    const error = (await ping({ endpoint: secured.unix, password: 'not-the-password' }).catch((e: unknown) => e)) as RedisError;
    expect(error).toMatchObject({ name: 'RedisError', code: 'REDIS_WRONGPASS', message: `redis at ${secured.socket}: authentication with the password failed: WRONGPASS invalid username-password pair or user is disabled.` });
    expect(error.message).not.toContain('not-the-password');
  });

  it('says WRONGPASS for an unknown ACL user, naming the user but not the password', async () => {
    await expect(ping({ endpoint: secured.unix, username: 'mallory', password: 'alice-pw' })).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_WRONGPASS', message: `redis at ${secured.socket}: authentication as user 'mallory' failed: WRONGPASS invalid username-password pair or user is disabled.` });
  });

  it('says NOPERM when the ACL user may not run the command', async () => {
    await expect(withClient({ endpoint: secured.unix, username: 'watcher', password: 'watch-pw' }, (c) => c.command(['INFO']))).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_NOPERM', message: `redis at ${secured.socket}: INFO failed: NOPERM this user has no permissions to run the 'info' command` });
  });

  it('accepts a password sent to a server without one, and says so', async () => {
    await withClient({ endpoint: plain.unix, password: 'unneeded' }, async (c) => {
      expect(c.authNotRequired).toBe(true);
      expect(await c.command(['PING'])).toBe('PONG');
    });
  });

  it('keeps a secret passed to a command out of the error the server echoes', async () => {
    await expect(withClient({ endpoint: plain.unix }, (c) => c.command(['NOSUCH', 'hunter2'], { label: 'a renamed command', secrets: ['hunter2'] }))).rejects.toMatchObject({
      name: 'RedisError',
      message: `redis at ${plain.socket}: a renamed command failed: ERR unknown command 'NOSUCH', with args beginning with: '(hidden)' `,
    });
  });

  it('times out when the server does not answer in time (DEBUG SLEEP), and the connection is done', async () => {
    const client = await RedisClient.connect({ endpoint: secured.unix, password });
    const error = await client.command(['DEBUG', 'SLEEP', '1'], { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RedisError', code: 'NO_ANSWER', message: `redis at ${secured.socket} did not answer DEBUG SLEEP within 200ms` });
    // replies are positional: after a missing one the connection cannot be trusted, so it is closed
    await expect(client.command(['PING'])).rejects.toBe(error);
  });

  it('fails every outstanding command when the signal aborts, with the deadline\'s words', async () => {
    const controller = new AbortController();
    const client = await RedisClient.connect({ endpoint: secured.unix, password, signal: controller.signal });
    const sleeping = client.command(['DEBUG', 'SLEEP', '0.5']);
    const after = client.command(['PING']);
    controller.abort(OcfError.generic('did not finish within 1.8s of its 2s timeout'));
    // both at once: a failed first assertion leaves no rejection unhandled
    await Promise.all([sleeping, after].map((promise) => expect(promise).rejects.toMatchObject({ name: 'RedisError', code: 'ABORTED', message: `request to redis at ${secured.socket} aborted: did not finish within 1.8s of its 2s timeout` })));
  });

  it('does not connect at all with an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await expect(ping({ endpoint: plain.tcp, signal: controller.signal })).rejects.toMatchObject({ name: 'RedisError', code: 'ABORTED', message: `connecting to redis at 127.0.0.1:${plain.port} aborted: deadline` });
  });

  describe('when nothing listens', () => {
    it('TCP: connection refused', async () => {
      const port = await freePort();
      const error = (await ping({ endpoint: { host: '127.0.0.1', port } }).catch((e: unknown) => e)) as RedisError;
      expect(error).toMatchObject({ name: 'RedisError', code: 'CONNECT_REFUSED', message: `cannot connect to redis at 127.0.0.1:${port}: connection refused` });
      expect(isNotListening(error)).toBe(true);
    });

    it('unix: a socket file left behind by a killed server is connection refused', async () => {
      const victim = await startRedisServer();
      await victim.kill();
      await expect(ping({ endpoint: victim.unix })).rejects.toMatchObject({ name: 'RedisError', code: 'CONNECT_REFUSED', message: `cannot connect to redis at ${victim.socket}: connection refused` });
    });

    it('unix: a missing socket file', async () => {
      const path = join(tempDir(), 'none.sock');
      const error = (await ping({ endpoint: { path } }).catch((e: unknown) => e)) as RedisError;
      expect(error).toMatchObject({ name: 'RedisError', code: 'SOCKET_MISSING', message: `cannot connect to redis at ${path}: socket does not exist` });
      expect(isNotListening(error)).toBe(true);
    });

    it('unix: a path that is not a socket is not "not listening"', async () => {
      const path = join(tempDir(), 'plain-file');
      writeFileSync(path, '');
      await expect(ping({ endpoint: { path } })).rejects.toMatchObject({ name: 'RedisError', code: 'CONNECT_REFUSED' });
    });
  });

  it('reports maxclients when the refusal is read, or a closed connection when the write came first', async () => {
    const full = await startRedisServer({ args: ['--maxclients', '1'] });
    const holder = await RedisClient.connect({ endpoint: full.unix });
    try {
      await holder.command(['PING']);
      // Redis writes the refusal on accept and closes: our first write may hit the closed socket
      // (EPIPE) before the refusal is read, and the kernel drops what was not read
      const error = (await ping({ endpoint: full.unix }).catch((e: unknown) => e)) as RedisError;
      expect(error).toBeInstanceOf(RedisError);
      expect([
        `REDIS_MAXCLIENTS redis at ${full.socket}: connect failed: ERR max number of clients reached`,
        `REDIS_MAXCLIENTS redis at ${full.socket}: PING failed: ERR max number of clients reached`,
        `CLOSED redis at ${full.socket} closed the connection`,
      ]).toContain(`${error.code} ${error.message}`);
    } finally {
      holder.close();
      await full.stop();
    }
  });

  describe('a server loading its dataset', () => {
    let loading: RedisServer;
    afterAll(async () => loading?.stop());

    it('answers LOADING to commands and loading:1 in INFO', async () => {
      // write a dataset, then restart on it with loading slowed down (key-load-delay, in µs per
      // key) and events served often enough to answer while loading: Redis's own test recipe
      const seed = await startRedisServer();
      await withClient({ endpoint: seed.unix }, async (c) => {
        await c.pipeline(Array.from({ length: 2000 }, (_, i) => ['SET', `key:${i}`, 'x'.repeat(100)]));
        expect(await c.command(['SAVE'])).toBe('OK');
      });
      await seed.stop();
      loading = await startRedisServer({
        dir: seed.dir,
        args: ['--key-load-delay', '5000', '--loading-process-events-interval-bytes', '1024'],
        readyWhen: 'listening',
      });
      const client = await RedisClient.connect({ endpoint: loading.unix });
      try {
        await expect(client.command(['GET', 'key:1'])).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_LOADING', message: `redis at ${loading.socket}: GET failed: LOADING Redis is loading the dataset in memory` });
        const info = parseInfo((await client.command(['INFO', 'persistence'])) as string);
        expect(info.loading).toBe(true);
        expect(info.loadingLoadedPerc).toBeGreaterThanOrEqual(0);
        expect(info.loadingLoadedPerc).toBeLessThan(100);
        expect(info.loadingEtaSeconds).toBeGreaterThanOrEqual(0);
      } finally {
        client.close();
      }
    });
  });

  it('SHUTDOWN: commandUntilClose resolves when the server closes the connection', async () => {
    const doomed = await startRedisServer();
    await withClient({ endpoint: doomed.unix }, (c) => c.commandUntilClose(['SHUTDOWN', 'NOSAVE'], { timeoutMs: 5000 }));
    expect(await doomed.exited).toEqual({ code: 0, signal: null });
  });

  it('SHUTDOWN refused: commandUntilClose rejects with the server\'s error', async () => {
    const stubborn = await startRedisServer();
    const client = await RedisClient.connect({ endpoint: stubborn.unix });
    try {
      // the save SHUTDOWN insists on fails when the working directory is gone
      rmSync(stubborn.dir, { recursive: true, force: true });
      await expect(client.commandUntilClose(['SHUTDOWN', 'SAVE'])).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_ERR', message: `redis at ${stubborn.socket}: SHUTDOWN failed: ERR Errors trying to SHUTDOWN. Check logs.` });
      expect(stubborn.isRunning()).toBe(true);
    } finally {
      client.close();
      await stubborn.kill();
    }
  });
});
