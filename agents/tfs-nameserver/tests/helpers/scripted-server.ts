import { createServer, type Socket } from 'node:net';
import { FrameReader } from '../../src/heartbeat/frame-reader.ts';
import type { Packet } from '../../src/heartbeat/packet.ts';

export interface Request {
  /** Which connection (0, 1, ...) it came on. */
  connection: number;
  packet: Packet;
  /** The request exactly as it came off the wire. */
  raw: Buffer;
}

export interface ScriptedServer {
  port: number;
  requests: Request[];
  connections: () => number;
  close: () => Promise<void>;
}

/**
 * A TCP server on 127.0.0.1 that plays whatever part a test scripts: `answer` sees every
 * heartbeat request (already framed) with its socket, and writes, closes or stays silent.
 */
export async function scriptedServer(answer: (request: Request, socket: Socket) => void): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const requests: Request[] = [];
  let count = 0;
  const server = createServer((socket) => {
    const connection = count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      for (let packet = reader.next(); packet; packet = reader.next()) {
        const request = { connection, packet, raw: serialise(packet) };
        requests.push(request);
        answer(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    requests,
    connections: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The packet's bytes as they came (the header is decoded without any check, so this is exact). */
function serialise(packet: Packet): Buffer {
  const { header, body } = packet;
  const raw = Buffer.alloc(24 + body.length);
  raw.writeUInt32LE(header.flag, 0);
  raw.writeUInt32LE(header.length, 4);
  raw.writeUInt16LE(header.pcode, 8);
  raw.writeUInt16LE(header.version, 10);
  raw.writeBigUInt64LE(header.id, 12);
  raw.writeUInt32LE(header.crc, 20);
  body.copy(raw, 24);
  return raw;
}
