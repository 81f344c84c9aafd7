import { afterEach, describe, expect, it } from 'vitest';
import { CAPTURED } from '../../tests/fixtures/captured-bytes.ts';
import { freePort } from '../../tests/helpers/ports.ts';
import { scriptedServer, type ScriptedServer } from '../../tests/helpers/scripted-server.ts';
import { checkNameServer } from './client.ts';
import { TfsError } from './errors.ts';
import { encodeHeartbeatReply, encodePacket } from './packet.ts';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The rejection of `promise`, which must be a TfsError. */
async function failure(promise: Promise<unknown>): Promise<TfsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TfsError);
  return error as TfsError;
}

describe('checkNameServer against scripted peers', () => {
  it('sends ha_monitor\'s exact request and reads the captured reply', async () => {
    server = await scriptedServer((_request, socket) => socket.write(CAPTURED.reply));
    await expect(checkNameServer({ host: '127.0.0.1', port: server.port })).resolves.toEqual({ status: 1 });
    expect(server.requests.map((r) => r.raw.toString('hex'))).toEqual([CAPTURED.request.toString('hex')]);
  });

  it('sends the switch flag as ha_monitor -s 1 does', async () => {
    server = await scriptedServer((_request, socket) => socket.write(CAPTURED.reply));
    await expect(checkNameServer({ host: '127.0.0.1', port: server.port, switchFlag: 1 })).resolves.toEqual({ status: 1 });
    expect(server.requests.map((r) => r.raw.toString('hex'))).toEqual([CAPTURED.requestSwitch.toString('hex')]);
  });

  it('reassembles a reply that arrives one byte at a time', async () => {
    server = await scriptedServer((_request, socket) => {
      let i = 0;
      const next = () => {
        if (i >= CAPTURED.reply.length) return;
        socket.write(CAPTURED.reply.subarray(i, ++i));
        setTimeout(next, 2);
      };
      next();
    });
    await expect(checkNameServer({ host: '127.0.0.1', port: server.port })).resolves.toEqual({ status: 1 });
  });

  it('reports status 0 (uninitialised) after one try: only -1 is tried again', async () => {
    server = await scriptedServer((request, socket) => socket.write(encodeHeartbeatReply(request.packet.header.id, 0)));
    await expect(checkNameServer({ host: '127.0.0.1', port: server.port })).resolves.toEqual({ status: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it('tries three times while the answer is -1, on one connection, ids 2, 3, 4', async () => {
    server = await scriptedServer((request, socket) => socket.write(encodeHeartbeatReply(request.packet.header.id, -1)));
    await expect(checkNameServer({ host: '127.0.0.1', port: server.port })).resolves.toEqual({ status: -1 });
    expect(server.requests.map((r) => [r.connection, r.packet.header.id])).toEqual([
      [0, 2n],
      [0, 3n],
      [0, 4n],
    ]);
  });

  it('names a refused connection, after three tries', async () => {
    const port = await freePort();
    const tries: string[] = [];
    const error = await failure(checkNameServer({ host: '127.0.0.1', port, onTryFailed: (e, n) => tries.push(`${n} ${e.code}`) }));
    expect(error.code).toBe('CONNECT_REFUSED');
    expect(error.message).toBe(`nameserver 127.0.0.1:${port}: connection refused`);
    expect(tries).toEqual(['1 CONNECT_REFUSED', '2 CONNECT_REFUSED', '3 CONNECT_REFUSED']);
  });

  it('times out on a listener that never answers: 3 tries of 500 ms on one connection', async () => {
    server = await scriptedServer(() => undefined);
    const error = await failure(checkNameServer({ host: '127.0.0.1', port: server.port }));
    expect(error.code).toBe('NO_ANSWER');
    expect(error.message).toBe(`nameserver 127.0.0.1:${server.port}: no answer to the heartbeat within 500 ms (3 tries)`);
    expect(server.requests.map((r) => [r.connection, r.packet.header.id])).toEqual([
      [0, 2n],
      [0, 3n],
      [0, 4n],
    ]);
  });

  it('takes a late answer to an earlier try as the answer', async () => {
    server = await scriptedServer((request, socket) => {
      if (request.packet.header.id === 2n) setTimeout(() => socket.write(encodeHeartbeatReply(2, 1)), 150);
    });
    const tries: number[] = [];
    await expect(checkNameServer({ host: '127.0.0.1', port: server.port, tryTimeoutMs: 100, onTryFailed: (_e, n) => tries.push(n) })).resolves.toEqual({
      status: 1,
    });
    expect(tries).toEqual([1]);
  });

  it('ignores a reply carrying an id it never sent', async () => {
    server = await scriptedServer((_request, socket) => socket.write(encodeHeartbeatReply(99, 1)));
    const error = await failure(checkNameServer({ host: '127.0.0.1', port: server.port, tryTimeoutMs: 50 }));
    expect(error.message).toBe(`nameserver 127.0.0.1:${server.port}: no answer to the heartbeat within 50 ms (3 tries)`);
  });

  it('refuses a reply with a bad checksum', async () => {
    const bad = Buffer.from(CAPTURED.reply);
    bad.writeUInt32LE(0xdeadbeef, 20);
    server = await scriptedServer((_request, socket) => socket.write(bad));
    const error = await failure(checkNameServer({ host: '127.0.0.1', port: server.port }));
    expect(error.code).toBe('TFS_BAD_REPLY');
    expect(error.message).toBe(`nameserver 127.0.0.1:${server.port}: bad reply: checksum mismatch (header 0xdeadbeef, body 0x88366ce2)`);
    expect(server.requests).toHaveLength(3);
  });

  it('refuses a reply with the wrong pcode', async () => {
    server = await scriptedServer((request, socket) => socket.write(encodePacket(12, request.packet.header.id, Buffer.from([1, 0, 0, 0]))));
    const error = await failure(checkNameServer({ host: '127.0.0.1', port: server.port }));
    expect(error.code).toBe('TFS_BAD_REPLY');
    expect(error.message).toBe(`nameserver 127.0.0.1:${server.port}: bad reply: unexpected pcode 12 (heartbeat is 54)`);
  });

  it('drops the connection on a reply with a wrong flag and reconnects for the next try', async () => {
    server = await scriptedServer((_request, socket) => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const error = await failure(checkNameServer({ host: '127.0.0.1', port: server.port }));
    expect(error.code).toBe('TFS_BAD_REPLY');
    expect(error.message).toBe(`nameserver 127.0.0.1:${server.port}: bad reply: flag 0x50545448 is not a TFS packet flag`);
    expect(server.requests.map((r) => r.connection)).toEqual([0, 1, 2]);
  });

  it('reports a peer that closes the connection', async () => {
    server = await scriptedServer((_request, socket) => socket.end());
    const error = await failure(checkNameServer({ host: '127.0.0.1', port: server.port }));
    expect(error.code).toBe('CLOSED');
    expect(error.message).toBe(`nameserver 127.0.0.1:${server.port}: connection closed before an answer`);
  });

  it('stops at once when the signal fires, with the signal\'s reason as cause', async () => {
    server = await scriptedServer(() => undefined);
    const controller = new AbortController();
    const reason = new Error('monitor did not finish within 18s of its 20s timeout');
    setTimeout(() => controller.abort(reason), 100);
    const tries: number[] = [];
    const error = await failure(
      checkNameServer({ host: '127.0.0.1', port: server.port, tryTimeoutMs: 10_000, signal: controller.signal, onTryFailed: (_e, n) => tries.push(n) }),
    );
    expect(error.code).toBe('ABORTED');
    expect(error.message).toBe(`nameserver 127.0.0.1:${server.port}: heartbeat check aborted`);
    expect(error.cause).toBe(reason);
    expect(tries).toEqual([]);
  });

  it('does not connect at all with a signal that has already fired', async () => {
    server = await scriptedServer(() => undefined);
    const error = await failure(checkNameServer({ host: '127.0.0.1', port: server.port, signal: AbortSignal.abort() }));
    expect(error.code).toBe('ABORTED');
    expect(server.connections()).toBe(0);
  });

  it('resolves localhost to IPv4, where the NameServer listens', async () => {
    server = await scriptedServer((_request, socket) => socket.write(CAPTURED.reply));
    await expect(checkNameServer({ host: 'localhost', port: server.port })).resolves.toEqual({ status: 1 });
  });

  it('rejects a port outside 1-65535 as a programming error', async () => {
    await expect(checkNameServer({ host: '127.0.0.1', port: 0 })).rejects.toThrow(new RangeError('port 0: expected 1-65535'));
  });
});
