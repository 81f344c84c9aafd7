import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, paramsFor, requireBuilt } from './helpers/agent.ts';
import { alive, freePort, launch, logLines, makeNsInstance, pidIn, SETTLE, statusOf, type NsInstance, type NsLayout } from './helpers/fake-ns.ts';

// monitor and stop, against a stand-in NameServer started directly (as if by an earlier start).

let instances: NsInstance[] = [];
let strangers: ChildProcess[] = [];
beforeAll(() => requireBuilt());
afterEach(() => {
  for (const ns of instances) ns.cleanup();
  for (const child of strangers) child.kill('SIGKILL');
  instances = [];
  strangers = [];
});

async function instance(layout: Partial<NsLayout> = {}): Promise<NsInstance> {
  const ns = makeNsInstance({ port: await freePort(), ...layout });
  instances.push(ns);
  return ns;
}

/** Start the stand-in by hand and wait for its pidfile (and, unless told, for status 1). */
async function running(ns: NsInstance, initialised = true): Promise<number> {
  expect((await launch(ns)).code).toBe(0);
  const pid = await vi.waitFor(() => {
    const named = pidIn(ns.pidfile);
    expect(named, `the pid in ${ns.pidfile}`).toBeDefined();
    return named!;
  }, SETTLE);
  if (initialised) await vi.waitFor(async () => expect(await statusOf(ns), "the stand-in's heartbeat status").toBe(1), SETTLE);
  return pid;
}

function stranger(): number {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  strangers.push(child);
  return child.pid!;
}

function pidfileNaming(ns: NsInstance, pid: number): void {
  mkdirSync(`${ns.basedir}/logs`, { recursive: true });
  writeFileSync(ns.pidfile, `${pid}\n`);
}

const recurring = { meta: { interval: 5000 } };

describe('monitor', () => {
  it('0 for a NameServer that answers as initialised', async () => {
    const ns = await instance();
    await running(ns);
    const result = await call('monitor', paramsFor(ns), recurring);
    expect([result.code, result.reason, result.stdout]).toEqual([0, undefined, '']);
  });

  it('7 without a pidfile, with a dead pid, or with a pid that is not the NameServer', async () => {
    const ns = await instance();
    expect((await call('monitor', paramsFor(ns), recurring)).code).toBe(7);
    pidfileNaming(ns, 4194303);
    expect((await call('monitor', paramsFor(ns), recurring)).code).toBe(7);
    const pid = stranger();
    pidfileNaming(ns, pid);
    expect((await call('monitor', paramsFor(ns), recurring)).code).toBe(7);
    expect((await call('monitor', paramsFor(ns))).code).toBe(7); // probe
    expect(alive(pid)).toBe(true);
  });

  it('1 with the check\'s words when the NameServer does not answer', async () => {
    const ns = await instance({ knobs: { frozen: 1 } });
    const pid = await running(ns, false);
    await vi.waitFor(() => expect(logLines(ns), 'the stand-in to listen').toContainEqual(expect.stringContaining('listen port')), SETTLE);
    const result = await call('monitor', paramsFor(ns), recurring);
    expect(result.code).toBe(1);
    expect(result.reason).toBe(`NameServer (pid ${pid}) is not healthy: nameserver localhost:${ns.port}: no answer to the heartbeat within 500 ms (3 tries)`);
  });

  it('1 while it is not initialised, probe included, and the probe sends no switch', async () => {
    const ns = await instance({ knobs: { init_ms: 60_000 } });
    const pid = await running(ns, false);
    await vi.waitFor(async () => expect(await statusOf(ns), "the stand-in's heartbeat status").toBe(0), SETTLE);
    const result = await call('monitor', paramsFor(ns));
    expect(result.code).toBe(1);
    expect(result.reason).toBe(`NameServer (pid ${pid}) is not healthy: nameserver localhost:${ns.port} answered status 0 (uninitialised)`);
    expect(logLines(ns).filter((l) => l.includes('switch flag'))).toEqual([]);
  });

  it('1 when the NameServer the agent started runs but stops answering', async () => {
    const ns = await instance();
    expect((await call('start', paramsFor(ns))).code).toBe(0);
    const pid = pidIn(ns.pidfile)!;
    process.kill(pid, 'SIGSTOP');
    try {
      const result = await call('monitor', paramsFor(ns), recurring);
      expect(result.code).toBe(1);
      expect(result.reason).toMatch(new RegExp(`^NameServer \\(pid ${pid}\\) is not healthy: nameserver localhost:${ns.port}: `));
    } finally {
      process.kill(pid, 'SIGCONT');
      await call('stop', paramsFor(ns));
    }
  });

  it('7 for a NameServer nobody recorded that does not hold nsport: it cannot be told from a stranger', async () => {
    const ns = await instance({ knobs: { listen_delay_ms: 60_000 } });
    const pid = await running(ns, false);
    expect((await call('monitor', paramsFor(ns), recurring)).code).toBe(7);
    expect(alive(pid)).toBe(true);
  });

  it('0 for a NameServer nobody recorded that holds nsport (started before an upgrade): it is adopted', async () => {
    const ns = await instance();
    const pid = await running(ns);
    expect((await call('monitor', paramsFor(ns), recurring)).code).toBe(0);
    expect((await call('stop', paramsFor(ns), { timeoutMs: 20_000 })).code).toBe(0);
    expect(alive(pid)).toBe(false);
  });
});

describe('stop', () => {
  it('stops the NameServer (SIGTERM; it takes its ~2 s) and removes the pidfile it leaves behind', async () => {
    const ns = await instance({ knobs: { term_ms: undefined } });
    const pid = await running(ns);
    const result = await call('stop', paramsFor(ns), { timeoutMs: 20_000 });
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(alive(pid)).toBe(false);
    expect(existsSync(ns.pidfile)).toBe(false);
    expect(result.stderr).toContain(`NameServer stopped pid=${pid} how=term`);
  });

  it('SIGKILLs after stop_timeout a NameServer that ignores SIGTERM', async () => {
    const ns = await instance({ knobs: { ignore_term: 1 } });
    const pid = await running(ns);
    const result = await call('stop', paramsFor(ns, { stop_timeout: 1 }));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`NameServer stopped pid=${pid} how=kill`);
    expect(alive(pid)).toBe(false);
    expect(existsSync(ns.pidfile)).toBe(false);
  });

  it('succeeds when already stopped, and never signals a process the pidfile names that is not the NameServer', async () => {
    const ns = await instance();
    expect((await call('stop', paramsFor(ns))).code).toBe(0);
    const pid = stranger();
    pidfileNaming(ns, pid);
    const result = await call('stop', paramsFor(ns));
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(alive(pid)).toBe(true);
    expect(existsSync(ns.pidfile)).toBe(false);
  });

  it('after stop, start works again (the pidfile is no obstacle)', async () => {
    const ns = await instance();
    await running(ns);
    expect((await call('stop', paramsFor(ns))).code).toBe(0);
    expect((await call('start', paramsFor(ns))).code).toBe(0);
    expect((await call('monitor', paramsFor(ns), recurring)).code).toBe(0);
  });
});
