import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNameServer } from '../src/heartbeat/client.ts';
import { encodePacket, HEARTBEAT_PCODE, TFS_PACKET_FLAG } from '../src/heartbeat/packet.ts';
import { call, paramsFor, requireBuilt } from './helpers/agent.ts';
import { freePort, makeNsInstance, pidIn, type NsInstance } from './helpers/fake-ns.ts';
import { scriptedServer, type ScriptedServer } from './helpers/scripted-server.ts';

// Whatever answers the heartbeat, monitor ends with 1 and a reason naming what was wrong: no
// loop, no unbounded buffering, no waiting for a packet that cannot come. The built agent runs as
// Pacemaker runs it, for a stand-in NameServer it started (so the process is ours), with nsport
// pointing at a script of this test that sends what a NameServer never does.

let ns: NsInstance | undefined;
let pid = 0;
const scripts: ScriptedServer[] = [];

beforeAll(async () => {
  requireBuilt();
  ns = makeNsInstance({ port: await freePort() });
  const start = await call('start', paramsFor(ns));
  expect([start.code, start.reason]).toEqual([0, undefined]);
  pid = pidIn(ns.pidfile)!;
  expect((await checkNameServer({ host: '127.0.0.1', port: ns.port, tries: 1 })).status).toBe(1);
}, 30_000);
afterAll(async () => {
  await Promise.all(scripts.map((s) => s.close()));
  if (ns) expect((await call('stop', paramsFor(ns))).code).toBe(0);
  ns?.cleanup();
});

// A budget small enough that a hang shows as a kill (signal SIGKILL, no exit code) within seconds
const TIMEOUT_MS = 8000;

async function monitorAgainst(answer: (socket: Socket, id: bigint) => void) {
  const script = await scriptedServer((request, socket) => answer(socket, request.packet.header.id));
  scripts.push(script);
  const result = await call('monitor', paramsFor(ns!, { nsport: script.port }), { meta: { interval: 5000 }, timeoutMs: TIMEOUT_MS, killAfterMs: TIMEOUT_MS + 2000 });
  return { ...result, port: script.port };
}

function header(length: number, flag = TFS_PACKET_FLAG): Buffer {
  const bytes = Buffer.alloc(24);
  bytes.writeUInt32LE(flag, 0);
  bytes.writeUInt32LE(length, 4);
  bytes.writeUInt16LE(HEARTBEAT_PCODE, 8);
  bytes.writeUInt16LE(2, 10);
  return bytes;
}

/** Keep writing `bytes` for as long as the client reads. */
function flood(socket: Socket, bytes: Buffer): void {
  const pump = () => {
    while (!socket.destroyed && socket.write(bytes));
  };
  socket.on('drain', pump);
  pump();
}

describe('monitor against malformed heartbeat replies', () => {
  it.for([
    ['a wrong flag', (s: Socket) => s.write(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')), 'bad reply: flag 0x50545448 is not a TFS packet flag'],
    ['a body length beyond any heartbeat', (s: Socket) => s.write(header(0xffffffff)), 'bad reply: packet announces a 4294967295-byte body'],
    ['an endless stream of bytes', (s: Socket) => flood(s, Buffer.alloc(65536, 0x41)), 'bad reply: flag 0x41414141 is not a TFS packet flag'],
    ['endless packets of the wrong pcode', (s: Socket, id: bigint) => flood(s, encodePacket(7, id, Buffer.alloc(4))), 'bad reply: unexpected pcode 7 (heartbeat is 54)'],
  ] as const)('%s: 1, naming it', async ([, answer, words]) => {
    const result = await monitorAgainst(answer);
    expect([result.signal, result.code, result.reason]).toEqual([null, 1, `NameServer (pid ${pid}) is not healthy: nameserver localhost:${result.port}: ${words}`]);
  });
});
