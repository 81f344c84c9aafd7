import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { RespParser } from '../../src/resp/parser.ts';
import { tempDir } from './redis-server.ts';

// For faults a real redis-server will not produce on demand: replies cut into pieces, a listener
// that never answers, a connection dropped mid-reply, another protocol on the port.

export interface FakeServer {
  readonly unix: { path: string };
  readonly tcp: { host: string; port: number };
  /** Bytes received so far, all connections. */
  received(): string;
  close(): Promise<void>;
}

/** What the fake does with each command a client sends (by default nothing: it never answers). */
export type Responder = (socket: Socket, command: string[]) => void;

const open = new Set<FakeServer>();

function listen(server: Server, target: string | number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    if (typeof target === 'string') server.listen(target, resolve);
    else server.listen(target, '127.0.0.1', resolve);
  });
}

/** A RESP-ish server on a unix socket and on a TCP port of 127.0.0.1, both driven by `respond`. */
export async function startFakeServer(respond: Responder = () => {}): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  let received = '';
  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    // commands are RESP arrays of bulk strings: the client's own parser splits them
    const parser = new RespParser();
    let garbage = false;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (garbage) return;
      try {
        for (const parsed of parser.feed(chunk)) {
          if ('value' in parsed && Array.isArray(parsed.value)) respond(socket, parsed.value.map(String));
        }
      } catch {
        garbage = true; // not RESP (a TLS ClientHello, say): keep listening, answer nothing
      }
    });
  };
  const unixServer = createServer(onConnection);
  const tcpServer = createServer(onConnection);
  const path = join(tempDir('ocfkit-fake-'), 'fake.sock');
  await listen(unixServer, path);
  await listen(tcpServer, 0);
  const address = tcpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const fake: FakeServer = {
    unix: { path },
    tcp: { host: '127.0.0.1', port },
    received: () => received,
    async close() {
      open.delete(fake);
      for (const socket of sockets) socket.destroy();
      await Promise.all([unixServer, tcpServer].map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
  open.add(fake);
  return fake;
}

/** Answer each command with the next of `replies`, written in pieces of `pieceSize` bytes, one per tick. */
export function replyInPieces(replies: string[], pieceSize: number): Responder {
  let next = 0;
  let queue = Promise.resolve();
  const send = (socket: Socket, reply: Buffer) =>
    new Promise<void>((resolve) => {
      let at = 0;
      const write = () => {
        if (at >= reply.length || socket.destroyed) return resolve();
        socket.write(reply.subarray(at, at + pieceSize));
        at += pieceSize;
        setTimeout(write, 1);
      };
      write();
    });
  return (socket) => {
    const reply = Buffer.from(replies[next++] ?? '-ERR no more scripted replies\r\n', 'utf8');
    // replies go out whole and in order, even when the next command arrives mid-reply
    queue = queue.then(() => send(socket, reply));
  };
}

afterAll(async () => {
  await Promise.all([...open].map((f) => f.close()));
});
