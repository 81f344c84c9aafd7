import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, paramsFor, requireBuilt } from './helpers/agent.ts';
import { alive, freePort, logLines, makeNsInstance, pidIn, type NsInstance, type NsLayout } from './helpers/fake-ns.ts';

// start as Pacemaker runs it, against the stand-in's traps: the launcher's meaningless exit 0,
// a pidfile it never removes, deaths during init, a slow init, the switch.

/** "NameServer (pid N) exited during start: <words>", whatever N was (the pidfile is gone by then). */
const exitedWith = (words: string) => new RegExp(`^NameServer \\(pid \\d+\\) exited during start: ${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

let instances: NsInstance[] = [];
let strangers: ChildProcess[] = [];
let servers: Server[] = [];
beforeAll(() => requireBuilt());
afterEach(async () => {
  for (const ns of instances) ns.cleanup();
  for (const child of strangers) child.kill('SIGKILL');
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  instances = [];
  strangers = [];
  servers = [];
});

async function instance(layout: Partial<NsLayout> = {}): Promise<NsInstance> {
  const ns = makeNsInstance({ port: await freePort(), ...layout });
  instances.push(ns);
  return ns;
}

/** A live process that is not a NameServer (what a recycled pid looks like). */
function stranger(): number {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  strangers.push(child);
  return child.pid!;
}

const switches = (ns: NsInstance) => logLines(ns).filter((l) => l.includes('switch flag: 1')).length;

describe('start', () => {
  it('launches by full path, waits until initialised, then sends the switch', async () => {
    const ns = await instance({ knobs: { init_ms: 1500 } });
    const result = await call('start', paramsFor(ns));
    expect([result.code, result.reason]).toEqual([0, undefined]);
    const pid = pidIn(ns.pidfile)!;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1, -1)).toEqual([ns.binary, '-f', ns.conf, '-d']);
    const lines = logLines(ns);
    const initialised = lines.findIndex((l) => l.includes('nameserver initialized'));
    const switched = lines.findIndex((l) => l.includes('switch flag: 1, role checked at once: master'));
    expect(initialised).toBeGreaterThan(0);
    expect(switched).toBeGreaterThan(initialised);
  });

  it('only switches when the NameServer already runs', async () => {
    const ns = await instance();
    expect((await call('start', paramsFor(ns))).code).toBe(0);
    const pid = pidIn(ns.pidfile);
    expect(switches(ns)).toBe(1);
    expect((await call('start', paramsFor(ns))).code).toBe(0);
    expect(pidIn(ns.pidfile)).toBe(pid);
    expect(switches(ns)).toBe(2);
  });

  it('runs the NameServer as `user`', async () => {
    const ns = await instance({ owner: { uid: 65534, gid: 65534 } });
    const started = await call('start', paramsFor(ns, { user: 'nobody' }));
    expect([started.code, started.reason]).toEqual([0, undefined]);
    const status = readFileSync(`/proc/${pidIn(ns.pidfile)}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)\s+(\d+)/m.exec(status)?.slice(1)).toEqual(['65534', '65534']);
  });

  it('clears a pidfile naming a live process that is not the NameServer, and leaves that process alone', async () => {
    const ns = await instance();
    const pid = stranger();
    mkdirSync(`${ns.basedir}/logs`);
    writeFileSync(ns.pidfile, `${pid}\n`);
    const result = await call('start', paramsFor(ns));
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(pidIn(ns.pidfile)).not.toBe(pid);
    expect(alive(pid)).toBe(true);
  });

  it('fails with the NameServer\'s last words when it cannot listen', async () => {
    const ns = await instance();
    // reads what it is sent (so it sees the agent's connections end), answers nothing
    const squatter = createServer((socket) => socket.resume());
    servers.push(squatter);
    await new Promise<void>((resolve) => squatter.listen(ns.port, '0.0.0.0', resolve));
    const result = await call('start', paramsFor(ns));
    expect(result.code).toBe(1);
    // a failed start stops what it launched and clears the pidfile the NameServer never removes
    expect(existsSync(ns.pidfile)).toBe(false);
    expect(result.reason).toMatch(exitedWith(`listen port: ${ns.port} fail`));
  });

  it('fails with the NameServer\'s last words when it dies during init', async () => {
    const ns = await instance({ knobs: { die_after_ms: 300, init_ms: 5000 } });
    const result = await call('start', paramsFor(ns));
    expect(result.code).toBe(1);
    expect(result.reason).toMatch(exitedWith('role coflict, own role: master, other side role: master, must be exit'));
  });

  it('fails with the reason when the address list has no local address', async () => {
    const ns = await instance({ knobs: { allow_loopback: 0 } });
    const result = await call('start', paramsFor(ns));
    expect(result.code).toBe(1);
    expect(result.reason).toMatch(exitedWith('ip list: 127.0.0.1|127.0.0.2 not in DEV: lo'));
  });

  it('gives up before the operation\'s timeout when the NameServer never answers, saying what it saw', async () => {
    const ns = await instance({ knobs: { frozen: 1 } });
    const result = await call('start', paramsFor(ns), { timeoutMs: 5000 });
    expect(result.code).toBe(1);
    expect(result.reason).toBe(
      `nameserver localhost:${ns.port}: no answer to the heartbeat within 500 ms (timed out waiting for the NameServer to answer the heartbeat as initialised: start did not finish within 4.5s of its 5s timeout)`,
    );
  });

  it('says when the NameServer stays uninitialised', async () => {
    const ns = await instance({ knobs: { init_ms: 60_000 } });
    const result = await call('start', paramsFor(ns), { timeoutMs: 4000 });
    expect(result.code).toBe(1);
    expect(result.reason).toMatch(/^nameserver localhost:\d+ answered status 0 \(uninitialised\) \(timed out waiting for the NameServer to answer the heartbeat as initialised: /);
  });

  it('fails with what the launcher said when it dies before forking', async () => {
    // the stand-in told to see a bare argv[0]: it aborts with std::out_of_range and never daemonizes
    const ns = await instance({ knobs: { argv0: 'nameserver' } });
    const result = await call('start', paramsFor(ns));
    expect(result.code).toBe(1);
    expect(result.reason).toBe(
      `NameServer did not start: no pid in ${ns.pidfile}: terminate called after throwing an instance of 'std::out_of_range' | what():  basic_string::substr`,
    );
  });
});
