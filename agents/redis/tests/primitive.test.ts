import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { withClient } from '../src/resp/client.ts';
import { RESOURCE, SETTLE, alive, makeCluster, requireBuilt, type TestNode } from './helpers/agent-nodes.ts';

// The agent as a plain primitive, on a real redis-server: the lifecycle, and what it says when
// something is wrong. Every call is the built agent in a fresh process, as Pacemaker runs it.

const primitive = { promotable: false } as const;

beforeAll(() => requireBuilt());

describe('primitive lifecycle', () => {
  let node: TestNode;
  beforeAll(async () => {
    // a password with a quote and a space: heartbeat/redis's sed would keep the quotes
    node = (await makeCluster(1, { password: 'pa "ss word' })).nodes[0]!;
  });

  it('probe of a stopped resource: 7', async () => {
    const result = await node!.run('monitor', primitive);
    expect([result.code, result.reason]).toEqual([7, undefined]);
  });

  it('start: 0, the server answers with the configured password, as the redis user', async () => {
    const result = await node!.run('start', primitive);
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(await node!.command('PING')).toBe('PONG');
    const status = readFileSync(`/proc/${node!.pid()}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)![1]);
    expect(uid).not.toBe(0);
  });

  it('monitor: 0, recurring and probe', async () => {
    expect((await node!.run('monitor', { ...primitive, meta: { interval: 10000 } })).code).toBe(0);
    expect((await node!.run('monitor', primitive)).code).toBe(0);
  });

  it('start again: 0, the same server', async () => {
    const pid = node!.pid();
    expect((await node!.run('start', primitive)).code).toBe(0);
    expect(node!.pid()).toBe(pid);
  });

  it('monitor finds the server on its socket even without its pidfile', async () => {
    const pid = node!.pid();
    rmSync(join(node!.rundir, 'redis-server.pid'));
    expect((await node!.run('monitor', primitive)).code).toBe(0);
    writeFileSync(join(node!.rundir, 'redis-server.pid'), `${pid}\n`);
  });

  it("keeps redis.conf's directives once the file has been still for 2 s, root's and private; an edit counts at once", async () => {
    const kept = join(node!.rundir, `.ocfkit-${RESOURCE}.redis-conf.json`);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await node!.run('monitor', { ...primitive, meta: { interval: 10000 } })).code).toBe(0);
    const stats = statSync(kept);
    expect([stats.uid, stats.mode & 0o777]).toEqual([process.geteuid!(), 0o600]);
    expect((await node!.run('monitor', { ...primitive, meta: { interval: 10000 } })).code).toBe(0);
    // the same size, so only the timestamps tell: the monitor must log in with the new password
    const text = readFileSync(node!.config, 'utf8');
    writeFileSync(node!.config, text.replace('requirepass "pa \\"ss word"', 'requirepass "pa \\"ss w0rd"'));
    const result = await node!.run('monitor', { ...primitive, meta: { interval: 10000 } });
    expect(result.code).toBe(1);
    expect(result.reason).toContain('authentication with the password failed');
    writeFileSync(node!.config, text);
    expect((await node!.run('monitor', { ...primitive, meta: { interval: 10000 } })).code).toBe(0);
  });

  it('stop: 0, by SHUTDOWN; then monitor 7 and stop 0 again', async () => {
    const pid = node!.pid();
    const result = await node!.run('stop', primitive);
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(existsSync(join(node!.rundir, `.ocfkit-${RESOURCE}.redis-conf.json`))).toBe(false);
    expect(result.stderr).toContain(`redis-server (pid ${pid}) stopped (SHUTDOWN)`);
    expect(alive(pid)).toBe(false);
    expect((await node!.run('monitor', primitive)).code).toBe(7);
    expect((await node!.run('stop', primitive)).code).toBe(0);
  });
});

describe('monitor tells why', () => {
  it('a wrong password in the configuration: 1, with Redis\'s words', async () => {
    const {
      nodes: [node],
    } = await makeCluster(1, { password: 'right' });
    expect((await node!.run('start', primitive)).code).toBe(0);
    writeFileSync(node!.config, readFileSync(node!.config, 'utf8').replace('requirepass "right"', 'requirepass "wrong"'));
    const result = await node!.run('monitor', { ...primitive, meta: { interval: 10000 } });
    expect(result.code).toBe(1);
    expect(result.reason).toBe(
      `redis at ${node!.socket}: authentication with the password failed: WRONGPASS invalid username-password pair or user is disabled.`,
    );
    // stop still stops it: SHUTDOWN cannot log in, so SIGTERM
    const pid = node!.pid();
    const stop = await node!.run('stop', primitive);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain(`SHUTDOWN failed, sending SIGTERM to pid ${pid}`);
    expect(alive(pid)).toBe(false);
  });

  it('an unreadable configuration while the server runs: 1, naming the file', async () => {
    const {
      nodes: [node],
    } = await makeCluster(1);
    expect((await node!.run('start', primitive)).code).toBe(0);
    rmSync(node!.config);
    const result = await node!.run('monitor', { ...primitive, meta: { interval: 10000 } });
    expect([result.code, result.reason]).toEqual([1, `config ${node!.config} does not exist`]);
    const probe = await node!.run('monitor', primitive);
    expect(probe.code).toBe(1);
    // and a stop that cannot read it still ends the server
    const pid = node!.pid();
    expect((await node!.run('stop', primitive)).code).toBe(0);
    expect(alive(pid)).toBe(false);
  });
});

describe('start failures carry their reason', () => {
  it('a config Redis refuses: 1 with Redis\'s own words, never the password', async () => {
    const {
      nodes: [node],
    } = await makeCluster(1, { configExtra: 'maxmemory-policy sometimes' });
    const result = await node!.run('start', primitive);
    expect(result.code).toBe(1);
    expect(result.reason).toMatch(/^redis-server exited during start: .*maxmemory-policy.*$/);
  });

  it('a port in use: 1, with the log file\'s words', async () => {
    const {
      nodes: [a, b],
    } = await makeCluster(2);
    expect((await a!.run('start', primitive)).code).toBe(0);
    writeFileSync(b!.config, readFileSync(b!.config, 'utf8').replace(`port ${b!.port}`, `port ${a!.port}`));
    const result = await b!.run('start', primitive);
    expect(result.code).toBe(1);
    expect(result.reason).toMatch(/^redis-server exited during start: .*Address already in use.*$/);
  });
});

describe('start of a large dataset', () => {
  it('waits for the loading, says how it goes, and the monitor meanwhile reports it degraded', async () => {
    // Redis's own test recipe for a slow load: a delay per key (µs), events served while loading
    const {
      nodes: [node],
    } = await makeCluster(1, { persistence: true, configExtra: 'loading-process-events-interval-bytes 1024' });
    expect((await node!.run('start', primitive)).code).toBe(0);
    await withClient({ endpoint: { path: node!.socket } }, async (c) => {
      await c.pipeline(Array.from({ length: 3000 }, (_, i) => ['SET', `key:${i}`, 'x'.repeat(64)]));
      expect(await c.command(['SAVE'])).toBe('OK');
    });
    expect((await node!.run('stop', primitive)).code).toBe(0);
    writeFileSync(node!.config, `${readFileSync(node!.config, 'utf8')}key-load-delay 2500\n`);
    const starting = node!.run('start', primitive);
    const degraded = await vi.waitFor(async () => {
      const r = await node!.run('monitor', { ...primitive, meta: { interval: 10000 } });
      expect([r.code, r.reason], 'a degraded monitor (190) while loading').toEqual([190, expect.any(String)]);
      return r;
    }, SETTLE);
    expect(degraded.reason).toMatch(/^loading the dataset: \d+(\.\d+)?% done, about \d+ s left$/);
    const result = await starting;
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(result.stderr).toMatch(/loading the dataset: \d+(\.\d+)?% done, about \d+ s left \(\d+(\.\d)?s into start\)/);
    expect(await node!.command('DBSIZE')).toBe(3000);
  });
});

describe('stop never hangs', () => {
  it('a server whose save fails on SHUTDOWN and SIGTERM is killed within the budget', async () => {
    const {
      nodes: [node],
    } = await makeCluster(1, { persistence: true });
    expect((await node!.run('start', primitive)).code).toBe(0);
    await node!.command('SET', 'k', 'v');
    // the data dir vanishes: every save fails, so Redis refuses SHUTDOWN and ignores SIGTERM
    rmSync(join(node!.base, 'data'), { recursive: true, force: true });
    const pid = node!.pid();
    const result = await node!.run('stop', { ...primitive, timeoutMs: 8000 });
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(result.stderr).toContain(`SHUTDOWN failed, sending SIGTERM to pid ${pid}: redis at ${node!.socket}: SHUTDOWN failed: ERR Errors trying to SHUTDOWN. Check logs.`);
    expect(result.stderr).toContain(`redis-server (pid ${pid}) needed SIGKILL`);
    expect(alive(pid)).toBe(false);
  });
});

describe('validate-all', () => {
  it.each([
    ['a missing config file', { config: '/nonexistent/redis.conf' }, 5, 'config /nonexistent/redis.conf does not exist'],
    ['a missing binary', { bin: '/nonexistent/redis-server' }, 5, 'bin: /nonexistent/redis-server not found'],
    ['an unknown user', { user: 'no-such-user-ocfkit' }, 5, 'user no-such-user-ocfkit does not exist on this node'],
    ['username without password_file', { username: 'agent' }, 6, "username needs password_file: requirepass is the default user's password"],
    ['a relative rundir', { rundir: 'run' }, 6, "parameter rundir: expected an absolute directory, got 'run'"],
    ['a bad tunnel map', { tunnel_port_map: 'node1' }, 6, 'parameter tunnel_port_map: expected "node:port;node:port" with ports from 1 to 65535'],
    ['a missing password_file', { password_file: '/nonexistent/pw' }, 5, 'password_file /nonexistent/pw does not exist'],
  ])('%s', async (_what, params, code, reason) => {
    const {
      nodes: [node],
    } = await makeCluster(1);
    const result = await node!.run('validate-all', { ...primitive, params });
    expect(result.code).toBe(code);
    expect(result.reason).toContain(reason);
  });

  it('an unreadable config: 4 (run as nobody, as root reads everything)', async () => {
    const {
      nodes: [node],
    } = await makeCluster(1);
    chmodSync(node!.config, 0o600);
    const result = await node!.run('validate-all', { ...primitive, uid: 65534, gid: 65534 });
    expect([result.code, result.reason]).toEqual([4, `cannot read config ${node!.config}: permission denied`]);
  });

  it('a promotable clone without notify=true: 6', async () => {
    const {
      nodes: [node],
    } = await makeCluster(1);
    const result = await node!.run('validate-all', { meta: { notify: false } });
    expect([result.code, result.reason]).toEqual([6, 'a promotable redis clone needs notify=true: replicas learn their new primary from notifications']);
  });
});
