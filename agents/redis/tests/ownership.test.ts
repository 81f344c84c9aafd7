import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alive, makeCluster, requireBuilt, type TestNode } from './helpers/agent-nodes.ts';

// The agent owns the redis-server it launched, whatever program `bin` is (a wrapper that execs
// redis-server), and nothing else; a failed start leaves nothing running.

const primitive = { promotable: false } as const;

/** Every live process whose command line mentions `marker` (the node's temp dir is on redis-server's). */
function processesMentioning(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/\) [ZX] /.test(stat)) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

let nodes: TestNode[] = [];
beforeAll(() => requireBuilt());
afterEach(() => {
  for (const node of nodes) for (const pid of processesMentioning(node.base)) process.kill(pid, 'SIGKILL');
  nodes = [];
});

async function oneNode(options: Parameters<typeof makeCluster>[1] = {}): Promise<TestNode> {
  const node = (await makeCluster(1, options)).nodes[0]!;
  nodes.push(node);
  return node;
}

function wrapper(node: TestNode, body: string): string {
  const path = join(node.base, 'redis-wrapper.sh');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('bin is a wrapper that execs redis-server', () => {
  it('start, monitor, stop leave nothing running; a second start does not touch a live server', async () => {
    const node = await oneNode();
    const bin = wrapper(node, 'exec /usr/bin/redis-server "$@"');
    const params = { bin };
    expect((await node.run('start', { ...primitive, params })).code).toBe(0);
    const pid = node.pid()!;
    expect((await node.run('monitor', { ...primitive, params })).code).toBe(0);
    // start again: the same server, its socket untouched
    expect((await node.run('start', { ...primitive, params })).code).toBe(0);
    expect(node.pid()).toBe(pid);
    expect(await node.command('PING')).toBe('PONG');
    const stop = await node.run('stop', { ...primitive, params });
    expect(stop.code).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(processesMentioning(node.base)).toEqual([]);
  });
});

describe('a failed start leaves nothing running', () => {
  it('a launcher that backgrounds redis-server, then exits non-zero', async () => {
    const node = await oneNode();
    // the server it backgrounds runs on our socket and pidfile; the launcher reports failure
    const bin = wrapper(node, '/usr/bin/redis-server "$@" --daemonize no >/dev/null 2>&1 &\necho "license check failed" >&2\nexit 2');
    const result = await node.run('start', { ...primitive, params: { bin } });
    expect(result.code).toBe(1);
    expect(result.reason).toContain('redis-server exited during start');
    expect(result.reason).toContain('license check failed');
    expect(processesMentioning(node.base)).toEqual([]);
    expect((await node.run('stop', { ...primitive, params: { bin } })).code).toBe(0);
  });
});

describe('the pidfile path names a directory', () => {
  it('validate-all 5 with a reason, stop 0', async () => {
    const node = await oneNode();
    mkdirSync(join(node.rundir, 'redis-server.pid'), { recursive: true });
    const validate = await node.run('validate-all', primitive);
    expect(validate.code).toBe(5);
    expect(validate.reason).toBe(`pidfile ${join(node.rundir, 'redis-server.pid')} is a directory: name a file in it, such as ${join(node.rundir, 'redis-server.pid', 'service.pid')}`);
    expect((await node.run('stop', primitive)).code).toBe(0);
    expect((await node.run('monitor', primitive)).code).toBe(7);
  });
});
