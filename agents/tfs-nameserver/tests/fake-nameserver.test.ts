import { statSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkNameServer } from '../src/heartbeat/client.ts';
import { encodeHeartbeatRequest } from '../src/heartbeat/packet.ts';
import { CAPTURED } from './fixtures/captured-bytes.ts';
import { alive, freePort, launch, logLines, makeNsInstance, pidIn, reaped, SETTLE, statusOf, type NsInstance, type NsLayout } from './helpers/fake-ns.ts';

// The stand-in must behave like the real NameServer where an agent can see it: these tests pin
// each rule of docs/nameserver.md that the agent's own tests rely on.

let instances: NsInstance[] = [];
let servers: Server[] = [];
afterEach(async () => {
  for (const ns of instances) ns.cleanup();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  instances = [];
  servers = [];
});

async function instance(layout: Partial<NsLayout> = {}): Promise<NsInstance> {
  const ns = makeNsInstance({ port: await freePort(), ...layout });
  instances.push(ns);
  return ns;
}

/** Start with -d and wait until the daemon answers with status 1. */
async function running(ns: NsInstance): Promise<number> {
  expect((await launch(ns)).code).toBe(0);
  // a pidfile left from before may name a dead pid until the new daemon writes its own
  const pid = await vi.waitFor(() => {
    const named = pidIn(ns.pidfile);
    expect(named !== undefined && alive(named), `${ns.pidfile} naming a live daemon (it names ${named})`).toBe(true);
    return named!;
  }, SETTLE);
  await vi.waitFor(async () => expect(await statusOf(ns), "the stand-in's heartbeat status").toBe(1), SETTLE);
  return pid;
}

/** Write `chunks` on one connection; collect what comes back within `waitMs`, and whether the peer closed. */
/** The daemon a launch left: its pid, once it wrote it and then died (a start that fails after the fork). */
async function diedAfterStart(ns: NsInstance): Promise<number> {
  const pid = await vi.waitFor(() => {
    const named = pidIn(ns.pidfile);
    expect(named, `the pid in ${ns.pidfile}`).toBeDefined();
    return named!;
  }, SETTLE);
  await vi.waitFor(() => expect(alive(pid), `the daemon (${pid}) to die`).toBe(false), SETTLE);
  return pid;
}

function exchange(port: number, chunks: Buffer[], waitMs = 300): Promise<{ received: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let closed = false;
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => (closed = true));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    setTimeout(() => {
      socket.destroy();
      resolve({ received: Buffer.concat(received), closed });
    }, waitMs);
  });
}

describe('stand-in NameServer: start-up', () => {
  it('-d: the launcher exits 0 before the daemon is initialised', async () => {
    const ns = await instance({ knobs: { init_ms: 3000 } });
    const launched = await launch(ns);
    expect(launched).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
    // right after the launcher: nothing listening yet, or listening but uninitialised
    const early = await checkNameServer({ host: '127.0.0.1', port: ns.port, tries: 1 }).then(
      (r) => `status ${r.status}`,
      (e: { code: string }) => e.code,
    );
    expect(['CONNECT_REFUSED', 'status 0']).toContain(early);
    await vi.waitFor(async () => expect(await statusOf(ns), "the stand-in's heartbeat status").toBe(0), SETTLE);
  });

  it('the daemon child writes <work_dir>/logs/nameserver.pid, 0600, "PID\\n", and runs as <basedir>/bin/nameserver', async () => {
    const ns = await instance();
    const pid = await running(ns);
    expect(readFileSync(ns.pidfile, 'utf8')).toBe(`${pid}\n`);
    expect(statSync(ns.pidfile).mode & 0o777).toBe(0o600);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(argv.slice(1)).toEqual([ns.binary, '-f', ns.conf, '-d']);
  });

  it('refuses to start while the pidfile names ANY live process', async () => {
    const ns = await instance();
    mkdirSync(`${ns.basedir}/logs`);
    writeFileSync(ns.pidfile, `${process.pid}\n`); // the test runner: alive, and not a NameServer
    const launched = await launch(ns);
    expect(launched.code).toBe(1);
    expect(launched.stderr).toBe(`${ns.binary} has been exist: pid: ${process.pid}\n`);
  });

  it('ignores a pidfile naming a dead pid', async () => {
    const ns = await instance();
    mkdirSync(`${ns.basedir}/logs`);
    writeFileSync(ns.pidfile, '4194303\n');
    const pid = await running(ns);
    expect(pid).not.toBe(4194303);
  });

  it('aborts with std::out_of_range when argv[0] has no "/" and -d is given', async () => {
    const ns = await instance({ knobs: { argv0: 'nameserver' } });
    const launched = await launch(ns);
    expect(launched.signal).toBe('SIGABRT');
    expect(launched.stderr).toContain("terminate called after throwing an instance of 'std::out_of_range'");
    expect(pidIn(ns.pidfile)).toBeUndefined();
  });

  it('rotates the previous log to nameserver.log.YYYYMMDDhhmmss at the next start', async () => {
    const ns = await instance();
    const first = await running(ns);
    process.kill(first, 'SIGKILL');
    // the NameServer counts a zombie as alive (kill(pid, 0)): wait until init has reaped it
    await vi.waitFor(() => expect(reaped(first), `the first daemon (${first}) reaped`).toBe(true), SETTLE);
    const second = await running(ns);
    const logs = readdirSync(`${ns.basedir}/logs`).sort();
    expect(logs).toHaveLength(3);
    expect(logs[0]).toBe('nameserver.log');
    expect(logs[1]).toMatch(/^nameserver\.log\.\d{14}$/);
    expect(logs[2]).toBe('nameserver.pid');
    expect(readFileSync(`${ns.basedir}/logs/${logs[1]}`, 'utf8')).toContain(`[${first}]`);
    expect(logLines(ns)[0]).toContain(`[${second}]`);
  });

  it('dies with "listen port: N fail" when the port is taken, leaving its pidfile', async () => {
    const ns = await instance();
    const squatter = createServer((socket) => socket.resume());
    servers.push(squatter);
    await new Promise<void>((resolve) => squatter.listen(ns.port, '0.0.0.0', resolve));
    expect((await launch(ns)).code).toBe(0); // the launcher cannot know
    const pid = await diedAfterStart(ns);
    expect(logLines(ns).at(-1)).toMatch(new RegExp(`^\\[[-0-9 :.]+\\] ERROR initialize \\(nameserver\\.cpp:\\d+\\) \\[${pid}\\] listen port: ${ns.port} fail$`));
    expect(pidIn(ns.pidfile)).toBe(pid);
  });

  it('requires an ip_addr_list address on a non-loopback interface, unless allow_loopback', async () => {
    const ns = await instance({ knobs: { allow_loopback: 0 } });
    expect((await launch(ns)).code).toBe(0);
    const pid = await diedAfterStart(ns);
    expect(logLines(ns).at(-1)).toMatch(/\] ip list: 127\.0\.0\.1\|127\.0\.0\.2 not in DEV: lo$/);
  });

  it('dies during init when told to, with the configured last words', async () => {
    const ns = await instance({ knobs: { die_after_ms: 100, init_ms: 5000 } });
    expect((await launch(ns)).code).toBe(0);
    const pid = await diedAfterStart(ns);
    expect(logLines(ns).at(-1)).toMatch(/\] role coflict, own role: master, other side role: master, must be exit$/);
  });
});

describe('stand-in NameServer: heartbeat', () => {
  it('answers ha_monitor\'s captured request with the captured reply, byte for byte', async () => {
    const ns = await instance();
    await running(ns);
    const { received, closed } = await exchange(ns.port, [CAPTURED.request]);
    expect(received.toString('hex')).toBe(CAPTURED.reply.toString('hex'));
    expect(closed).toBe(false);
    expect((await exchange(ns.port, [CAPTURED.requestSwitch])).received.toString('hex')).toBe(CAPTURED.reply.toString('hex'));
  });

  it('says 0 while uninitialised, then 1', async () => {
    const ns = await instance({ knobs: { init_ms: 1000 } });
    expect((await launch(ns)).code).toBe(0);
    await vi.waitFor(async () => expect(await statusOf(ns), "the stand-in's heartbeat status").toBe(0), SETTLE);
    await vi.waitFor(async () => expect(await statusOf(ns), "the stand-in's heartbeat status").toBe(1), SETTLE);
  });

  it('drops a request with a bad checksum without an answer and keeps the connection', async () => {
    const ns = await instance();
    await running(ns);
    const bad = Buffer.from(CAPTURED.request);
    bad.writeUInt32LE(0, 20);
    const { received, closed } = await exchange(ns.port, [bad, encodeHeartbeatRequest({ id: 7 })]);
    expect(received.readBigUInt64LE(12)).toBe(7n); // only the good request was answered
    expect(received.length).toBe(28);
    expect(closed).toBe(false);
    await expect(
      checkNameServer({ host: '127.0.0.1', port: ns.port, tries: 1, tryTimeoutMs: 200 }).then(() => 'answered'),
    ).resolves.toBe('answered');
  });

  it('closes the connection on a bad flag', async () => {
    const ns = await instance();
    await running(ns);
    const bad = Buffer.from(CAPTURED.request);
    bad.write('XXXX', 0);
    expect(await exchange(ns.port, [bad])).toEqual({ received: Buffer.alloc(0), closed: true });
  });

  it('does not answer a request with id 0', async () => {
    const ns = await instance();
    await running(ns);
    expect(await exchange(ns.port, [encodeHeartbeatRequest({ id: 0 })])).toEqual({ received: Buffer.alloc(0), closed: false });
  });

  it('logs the switch and the role it finds', async () => {
    const ns = await instance({ vip: '127.0.0.9' }); // not on lo as an address: slave
    await running(ns);
    await checkNameServer({ host: '127.0.0.1', port: ns.port, switchFlag: 1 });
    expect(logLines(ns).at(-1)).toMatch(/\] switch flag: 1, role checked at once: slave$/);
  });

  it('frozen: accepts, never answers', async () => {
    const ns = await instance({ knobs: { frozen: 1 } });
    expect((await launch(ns)).code).toBe(0);
    await vi.waitFor(() => expect(logLines(ns), 'the log to say it listens').toContainEqual(expect.stringContaining('listen port')), SETTLE);
    const error = await checkNameServer({ host: '127.0.0.1', port: ns.port, tryTimeoutMs: 100 }).catch((e: Error) => e);
    expect((error as Error).message).toBe(`nameserver 127.0.0.1:${ns.port}: no answer to the heartbeat within 100 ms (3 tries)`);
  });
});

describe('stand-in NameServer: stopping', () => {
  it('SIGTERM: keeps running for term_ms, then exits; the pidfile stays', async () => {
    const ns = await instance({ knobs: { term_ms: 400 } });
    const pid = await running(ns);
    process.kill(pid, 'SIGTERM');
    await vi.waitFor(() => expect(logLines(ns), 'the log to note the signal').toContainEqual(expect.stringMatching(/receive signal: SIGTERM, stopping$/)), SETTLE);
    expect(alive(pid)).toBe(true);
    await vi.waitFor(() => expect(alive(pid), `the daemon (${pid}) to exit`).toBe(false), SETTLE);
    expect(pidIn(ns.pidfile)).toBe(pid);
    // nothing answers the heartbeat any more (the freed port may already serve another test's listener)
    await expect(checkNameServer({ host: '127.0.0.1', port: ns.port, tries: 1 })).rejects.toMatchObject({ code: expect.stringMatching(/^(CONNECT_REFUSED|CONNECTION_RESET|CLOSED|CONNECT_TIMEOUT|NO_ANSWER|TFS_BAD_REPLY)$/) });
  });

  it('waits 2 s after SIGTERM by default, like the real one', async () => {
    const ns = await instance({ knobs: { term_ms: undefined } });
    const pid = await running(ns);
    process.kill(pid, 'SIGTERM');
    await vi.waitFor(() => expect(alive(pid), `the daemon (${pid}) to exit`).toBe(false), SETTLE);
    const lines = logLines(ns);
    const at = (line: string | undefined) => Date.parse((/^\[([^\]]+)\]/.exec(line ?? '')?.[1] ?? '').replace(' ', 'T'));
    const term = lines.find((l) => l.endsWith('stopping'));
    const stopped = lines.find((l) => l.endsWith('nameserver stopped'));
    expect(at(stopped) - at(term)).toBeGreaterThanOrEqual(1900);
  });

  it('ignore_term: only SIGKILL stops it', async () => {
    const ns = await instance({ knobs: { ignore_term: 1 } });
    const pid = await running(ns);
    process.kill(pid, 'SIGTERM');
    await vi.waitFor(() => expect(logLines(ns), 'the log to note the signal').toContainEqual(expect.stringContaining('ignored')), SETTLE);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(alive(pid), `the daemon (${pid}) to die`).toBe(false), SETTLE);
    expect(pidIn(ns.pidfile)).toBe(pid);
  });
});
