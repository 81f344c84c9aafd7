import { describe, expect, it } from 'vitest';
import { parseInfo } from '../src/info.ts';
import { RedisClient, withClient } from '../src/resp/client.ts';
import { RedisError } from '../src/resp/errors.ts';
import { replyInPieces, startFakeServer } from './helpers/fake-resp-server.ts';

// Faults a real redis-server does not produce on demand, from a scripted server.

const INFO = '# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\nslave_repl_offset:4242\r\n';
const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

describe('RESP client against scripted faults', () => {
  it.each([1, 3, 7])('reassembles replies written %i byte(s) at a time', async (pieceSize) => {
    const fake = await startFakeServer(replyInPieces(['+PONG\r\n', bulk(INFO), '*3\r\n:1\r\n$-1\r\n*1\r\n+OK\r\n'], pieceSize));
    const replies = await withClient({ endpoint: fake.unix }, (c) => c.pipeline([['PING'], ['INFO', 'replication'], ['X']]));
    expect(replies[0]).toBe('PONG');
    expect(parseInfo(replies[1] as string)).toMatchObject({ role: 'slave', masterHost: '10.0.0.1', masterLinkStatus: 'up', slaveReplOffset: 4242 });
    expect(replies[2]).toEqual([1, null, ['OK']]);
    await fake.close();
  });

  it('times out on a listener that accepts and never answers, over unix and TCP', async () => {
    const fake = await startFakeServer();
    for (const [endpoint, where] of [
      [fake.unix, fake.unix.path],
      [fake.tcp, `127.0.0.1:${fake.tcp.port}`],
    ] as const) {
      await expect(withClient({ endpoint, timeoutMs: 150 }, (c) => c.command(['INFO']))).rejects.toMatchObject({ name: 'RedisError', code: 'NO_ANSWER', message: `redis at ${where} did not answer INFO within 150ms` });
    }
    await fake.close();
  });

  it('times out the AUTH of a listener that never answers, and says which step', async () => {
    const fake = await startFakeServer();
    await expect(RedisClient.connect({ endpoint: fake.unix, password: 'pw', timeoutMs: 100 })).rejects.toMatchObject({ name: 'RedisError', code: 'NO_ANSWER', message: `redis at ${fake.unix.path} did not answer AUTH within 100ms` });
    await fake.close();
  });

  it('fails outstanding commands when the server drops the connection mid-reply', async () => {
    const fake = await startFakeServer((socket) => {
      socket.write('$100\r\npartial');
      setTimeout(() => socket.destroy(), 10);
    });
    await expect(withClient({ endpoint: fake.unix }, (c) => c.command(['INFO']))).rejects.toMatchObject({ name: 'RedisError', code: 'CLOSED', message: `redis at ${fake.unix.path} closed the connection` });
    await fake.close();
  });

  it('recognises another protocol on the port', async () => {
    const fake = await startFakeServer((socket) => socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    await expect(withClient({ endpoint: fake.tcp }, (c) => c.command(['PING']))).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_PROTOCOL', message: `redis at 127.0.0.1:${fake.tcp.port} answered something that is not Redis: not a Redis reply: "HTTP/1.1 400 Bad Request"` });
    await fake.close();
  });

  it('maps LOADING, BUSY and MASTERDOWN error replies to their codes', async () => {
    const fake = await startFakeServer(
      replyInPieces(
        ['-LOADING Redis is loading the dataset in memory\r\n', '-BUSY Redis is busy running a script.\r\n', "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n"],
        64,
      ),
    );
    await withClient({ endpoint: fake.unix }, async (c) => {
      await expect(c.command(['GET', 'a'])).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_LOADING' });
      await expect(c.command(['GET', 'a'])).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_BUSY' });
      await expect(c.command(['GET', 'a'])).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_MASTERDOWN' });
    });
    await fake.close();
  });

  it('never shows the password, even when the server echoes it back', async () => {
    // an old server or a renamed AUTH answers with the arguments it did not understand
    const fake = await startFakeServer((socket, command) =>
      socket.write(`-ERR unknown command '${command[0]}', with args beginning with: '${command.slice(1).join("' '")}'\r\n`),
    );
    await expect(RedisClient.connect({ endpoint: fake.unix, username: 'ops', password: 's3cr3t!' })).rejects.toMatchObject({ name: 'RedisError', code: 'REDIS_UNKNOWN_COMMAND', message: `redis at ${fake.unix.path}: authentication as user 'ops' failed: ERR unknown command 'AUTH', with args beginning with: 'ops' '(hidden)'` });
    await fake.close();
  });
});
