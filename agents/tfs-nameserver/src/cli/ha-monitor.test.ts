import { afterEach, describe, expect, it } from 'vitest';
import { CAPTURED } from '../../tests/fixtures/captured-bytes.ts';
import { freePort } from '../../tests/helpers/ports.ts';
import { scriptedServer, type ScriptedServer } from '../../tests/helpers/scripted-server.ts';
import { encodeHeartbeatReply } from '../heartbeat/packet.ts';
import { exitCodeFor, main } from './ha-monitor.ts';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Run the tool in process: exit code and stderr lines without their timestamps. */
async function run(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  let text = '';
  const code = await main(argv, { program: 'ha_monitor', write: (t) => (text += t) });
  const lines = text.split('\n').filter(Boolean);
  for (const line of lines) if (line.startsWith('[')) expect(line).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] (INFO|ERROR) /);
  return { code, lines: lines.map((l) => l.replace(/^\[[^\]]+\] /, '')) };
}

const answering = (status: number) => scriptedServer((request, socket) => socket.write(encodeHeartbeatReply(request.packet.header.id, status)));
const USAGE = 'usage: ha_monitor -i ipaddr -p port [-s swith flag on=1, off= 0] [-n]';

describe('tfs-ha-monitor, ha_monitor\'s interface', () => {
  it('exits 0 and says nothing with -n when the NameServer is initialised', async () => {
    server = await answering(1);
    expect(await run('-i', '127.0.0.1', '-p', String(server.port), '-n')).toEqual({ code: 0, lines: [] });
    expect(server.requests[0]?.raw.toString('hex')).toBe(CAPTURED.request.toString('hex'));
  });

  it('without -n, tells the status on success', async () => {
    server = await answering(1);
    expect(await run('-i', '127.0.0.1', '-p', String(server.port))).toEqual({
      code: 0,
      lines: [`INFO nameserver 127.0.0.1:${server.port} answered, status: 1 (initialised)`],
    });
  });

  it('-s 1 sends the switch flag', async () => {
    server = await answering(1);
    expect((await run('-n', '-i', '127.0.0.1', '-p', String(server.port), '-s', '1')).code).toBe(0);
    expect(server.requests[0]?.raw.toString('hex')).toBe(CAPTURED.requestSwitch.toString('hex'));
  });

  it('exits 0 for status 0 like the original (iret = status), but says it failed', async () => {
    server = await answering(0);
    expect(await run('-n', '-i', '127.0.0.1', '-p', String(server.port))).toEqual({ code: 0, lines: ['ERROR ping server failed, get status: 0'] });
  });

  it('exits with the status byte outside 1-4', async () => {
    server = await answering(5);
    expect((await run('-n', '-i', '127.0.0.1', '-p', String(server.port))).code).toBe(5);
    expect([1, 2, 3, 4].map(exitCodeFor)).toEqual([0, 0, 0, 0]);
    expect([-1, 0, 5, 300].map(exitCodeFor)).toEqual([255, 0, 5, 44]);
  });

  it('nothing listening: three "send packet error", then status -1 and exit 255, -n or not', async () => {
    const port = await freePort();
    const refused = `ERROR send packet error: nameserver 127.0.0.1:${port}: connection refused`;
    const expected = { code: 255, lines: [refused, refused, refused, 'ERROR ping server failed, get status: -1'] };
    expect(await run('-n', '-i', '127.0.0.1', '-p', String(port))).toEqual(expected);
    expect(await run('-i', '127.0.0.1', '-p', String(port))).toEqual(expected);
  });

  it('a listener that never answers: 255 after three tries of 500 ms', async () => {
    server = await scriptedServer(() => undefined);
    const timeout = `ERROR send packet error: nameserver 127.0.0.1:${server.port}: no answer to the heartbeat within 500 ms`;
    expect(await run('-n', '-i', '127.0.0.1', '-p', String(server.port))).toEqual({
      code: 255,
      lines: [timeout, timeout, timeout, 'ERROR ping server failed, get status: -1'],
    });
  });

  it('missing -i or a bad port: usage, 255', async () => {
    expect(await run('-p', '3100')).toEqual({ code: 255, lines: [USAGE] });
    expect(await run('-i', ' ', '-p', '3100')).toEqual({ code: 255, lines: [USAGE] });
    expect(await run('-i', '127.0.0.1')).toEqual({ code: 255, lines: [USAGE] });
    expect(await run('-i', '127.0.0.1', '-p', 'abc')).toEqual({ code: 255, lines: [USAGE] });
    expect(await run('-i', '127.0.0.1', '-p', '65535')).toEqual({ code: 255, lines: [USAGE] });
    expect(await run('-i', '127.0.0.1', '-p', '-5')).toEqual({ code: 255, lines: [USAGE] });
  });

  it('unknown option or missing value: usage, 1', async () => {
    expect(await run('-x', '-i', '127.0.0.1', '-p', '3100')).toEqual({ code: 1, lines: ["ha_monitor: invalid option -- 'x'", USAGE] });
    expect(await run('-i', '127.0.0.1', '-p')).toEqual({ code: 1, lines: ["ha_monitor: option requires an argument -- 'p'", USAGE] });
  });

  it('reads the port as atoi does: "3100x" is 3100', async () => {
    server = await answering(1);
    expect((await run('-n', '-i', '127.0.0.1', '-p', `${server.port}x`)).code).toBe(0);
  });
});
