import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, HA_MONITOR, paramsFor, requireBuilt } from './helpers/agent.ts';
import { freePort, logLines, makeNsInstance, type NsInstance } from './helpers/fake-ns.ts';

// montool set: the operator's ha_monitor-compatible program replaces the native heartbeat,
// called with ha_monitor's arguments; unset, the agent never runs a program to check.

let ns: NsInstance;
const FAKE_MONTOOL = fileURLToPath(new URL('fixtures/fake-montool.sh', import.meta.url));
beforeAll(() => requireBuilt());
afterEach(() => ns?.cleanup());

/** A stand-in NameServer plus a recording monitor tool in <basedir>/bin/ha_monitor. */
async function withTool(exit = 0): Promise<{ tool: string; calls: () => string[] }> {
  ns = makeNsInstance({ port: await freePort() });
  const tool = join(ns.basedir, 'bin/ha_monitor');
  copyFileSync(FAKE_MONTOOL, tool);
  writeFileSync(join(ns.basedir, 'bin/montool.exit'), String(exit));
  const calls = () => {
    try {
      return readFileSync(join(ns.basedir, 'bin/montool.calls'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { tool, calls };
}

describe('montool', () => {
  it('start and monitor call it the way the seed called ha_monitor', async () => {
    const { tool, calls } = await withTool(0);
    const params = paramsFor(ns, { montool: tool });
    expect((await call('start', params)).code).toBe(0);
    expect((await call('monitor', params, { meta: { interval: 5000 } })).code).toBe(0);
    const check = `-i localhost -p ${ns.port} -n`;
    expect(calls().at(-2)).toBe(`${check} -s 1`);
    expect(calls().at(-1)).toBe(check);
    // the switch went through the tool, not the native client
    expect(logLines(ns).filter((l) => l.includes('switch flag'))).toEqual([]);
  });

  it('a failing tool makes monitor fail with its exit code and last words', async () => {
    const { tool } = await withTool(0);
    expect((await call('start', paramsFor(ns, { montool: tool }))).code).toBe(0);
    writeFileSync(join(ns.basedir, 'bin/montool.exit'), '255');
    const result = await call('monitor', paramsFor(ns, { montool: tool }), { meta: { interval: 5000 } });
    const pid = Number(readFileSync(ns.pidfile, 'utf8'));
    expect(result.code).toBe(1);
    expect(result.reason).toBe(`NameServer (pid ${pid}) is not healthy: ${tool} -i localhost -p ${ns.port} -n: exit 255: ping server failed, get status: -1`);
  });

  it('works with the shipped tfs-ha-monitor as montool', async () => {
    ns = makeNsInstance({ port: await freePort() });
    const params = paramsFor(ns, { montool: HA_MONITOR });
    expect((await call('start', params)).code).toBe(0);
    expect((await call('monitor', params, { meta: { interval: 5000 } })).code).toBe(0);
    expect(logLines(ns).filter((l) => l.includes('switch flag: 1')).length).toBe(1);
  });

  it('unset: the native heartbeat, and no program is run', async () => {
    const { calls } = await withTool(0);
    const params = paramsFor(ns);
    expect((await call('start', params)).code).toBe(0);
    expect((await call('monitor', params, { meta: { interval: 5000 } })).code).toBe(0);
    expect(calls()).toEqual([]);
    expect(logLines(ns).filter((l) => l.includes('switch flag: 1')).length).toBe(1);
  });
});
