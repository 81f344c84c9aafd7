// redis: CPU and peak RSS per call, side by side with ocf:heartbeat:redis on the same running
// server: `npm run bench -- redis [--runs N] [--write]`.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CLEAN_PATH } from '../measure.mjs';
import { bareProbe, freePort, settled } from './util.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const title = 'redis: CPU per call (monitor of a running redis-server, Debian 12 redis.conf and a minimal one)';

const clean = (argv, env = {}, path = CLEAN_PATH) => ['env', '-i', `PATH=${path}`, 'LC_ALL=C', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv];


function uidOf(user) {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no ${user} user: install redis-server`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Debian's own redis.conf (100 KB, mostly comments: what users run), moved to a scratch place. */
function debianConfig(dir, port) {
  const text = readFileSync('/etc/redis/redis.conf', 'utf8')
    .replace(/^port 6379$/m, `port ${port}`)
    .replace(/^dir .*$/m, `dir ${join(dir, 'data')}`)
    .replace(/^logfile .*$/m, `logfile ${join(dir, 'redis.log')}`);
  // unquoted: heartbeat/redis's sed keeps quotes as part of the password
  return `${text}\nrequirepass bench-password\n`;
}

/** The few lines a hand-written redis.conf holds: what heartbeat/redis reads costs it less. */
function minimalConfig(dir, port) {
  return `port ${port}\ndir ${join(dir, 'data')}\nlogfile ${join(dir, 'redis.log')}\nrequirepass bench-password\n`;
}

function run(agent, action, env, path = CLEAN_PATH, expected = 0) {
  const r = spawnSync('env', ['-i', `PATH=${path}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), agent, action], { encoding: 'utf8' });
  if (r.status !== expected) throw new Error(`${agent} ${action}: exit ${r.status}: ${r.stderr}`);
}

export async function setup(root) {
  const agent = join(root, 'dist/resource.d/ocfkit/redis');
  const heartbeat = '/usr/lib/ocf/resource.d/heartbeat/redis';
  if (!existsSync(agent)) throw new Error(`${agent} missing: npm run build`);
  const dir = mkdtempSync(join(tmpdir(), 'ocfkit-bench-redis-'));
  chmodSync(dir, 0o755);
  // cluster tools that accept everything: start and promote need them to exist; a monitor forks
  // crm_attribute when a score changes, and a primary's monitor queries the promotion record
  // while some of its clone's other instances do not replicate from it (here: none do)
  const bin = join(dir, 'fake-bin');
  mkdirSync(bin);
  for (const tool of ['crm_attribute', 'attrd_updater', 'crm_node']) {
    writeFileSync(join(bin, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, tool), 0o755);
  }
  const fakePath = `${bin}:${CLEAN_PATH}`;
  const started = [];
  const teardown = async () => {
    for (const env of started) spawnSync('env', ['-i', `PATH=${fakePath}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), agent, 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    return { ...(await prepare(dir, agent, heartbeat, fakePath, started)), teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}

async function prepare(dir, agent, heartbeat, fakePath, started) {
  const redis = uidOf('redis');
  const make = async (name, extra = {}, config_ = debianConfig) => {
    const base = join(dir, name);
    mkdirSync(join(base, 'data'), { recursive: true });
    chownSync(join(base, 'data'), redis.uid, redis.gid);
    writeFileSync(join(base, 'redis.log'), '');
    chownSync(join(base, 'redis.log'), redis.uid, redis.gid);
    const config = join(base, 'redis.conf');
    writeFileSync(config, config_(base, await freePort()));
    chmodSync(config, 0o644);
    const env = { OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: `bench-${name}`, OCF_RESKEY_config: config, OCF_RESKEY_rundir: join(base, 'run'), OCF_RESKEY_CRM_meta_timeout: '20000', ...extra };
    started.push(env);
    return env;
  };

  // a primitive, monitored by both agents (same rundir, pidfile and socket names)
  const primitive = await make('primitive');
  run(agent, 'start', primitive);
  const minimal = await make('minimal', {}, minimalConfig);
  run(agent, 'start', minimal);
  // the promoted instance of a promotable clone
  const clone = await make('promoted', { OCF_RESKEY_CRM_meta_promoted_max: '1', OCF_RESKEY_CRM_meta_master_max: '1', OCF_RESKEY_CRM_meta_clone_max: '3', OCF_RESKEY_CRM_meta_notify: 'true', OCF_RESKEY_CRM_meta_on_node: 'bench-node' });
  run(agent, 'start', clone, fakePath);
  run(agent, 'promote', clone, fakePath);
  const configsWritten = Date.now();
  run(agent, 'monitor', { ...clone, OCF_RESKEY_CRM_meta_interval: '10000' }, fakePath, 8);

  await settled(configsWritten);
  const recurring = { OCF_RESKEY_CRM_meta_interval: '10000' };
  const promoted = { ...clone, ...recurring, OCF_RESKEY_CRM_meta_role: 'Promoted' };
  // what the monitor asks its server, over the same socket, with nothing else around it
  const floor = bareProbe(dir, 'floor', {
    connect: [join(primitive.OCF_RESKEY_rundir, 'redis.sock')],
    request: 'AUTH bench-password\r\nINFO\r\n',
    complete: String.raw`(reply) => { const head = /^\+OK\r\n\$(\d+)\r\n/.exec(reply); return head !== null && reply.length >= head[0].length + Number(head[1]) + 2; }`,
  });
  const commands = [
    { name: 'node -e 0', argv: clean(['node', '-e', '0']) },
    { name: 'bare AUTH and INFO over the socket (the floor)', argv: clean(['node', floor]) },
    { name: 'redis meta-data', argv: clean([agent, 'meta-data'], { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1' }) },
    { name: 'heartbeat/redis meta-data', argv: clean([heartbeat, 'meta-data'], { OCF_ROOT: '/usr/lib/ocf' }) },
    { name: 'redis monitor', argv: clean([agent, 'monitor'], { ...primitive, ...recurring }) },
    { name: 'redis monitor, no code cache', argv: clean([agent, 'monitor'], { ...primitive, ...recurring, OCFKIT_CODE_CACHE: 'off' }) },
    { name: 'heartbeat/redis monitor', argv: clean([heartbeat, 'monitor'], { ...primitive, ...recurring }) },
    { name: 'redis monitor, minimal redis.conf', argv: clean([agent, 'monitor'], { ...minimal, ...recurring }) },
    { name: 'heartbeat/redis monitor, minimal redis.conf', argv: clean([heartbeat, 'monitor'], { ...minimal, ...recurring }) },
    { name: 'redis monitor, promoted', argv: clean([agent, 'monitor'], promoted, fakePath) },
    { name: 'heartbeat/redis monitor, promoted (no cluster)', argv: clean([heartbeat, 'monitor'], promoted) },
  ];
  return {
    commands,
    budgets: [
      { name: 'redis meta-data', against: 'node -e 0', maxRatio: 1.1, maxRssMb: 45 },
      { name: 'redis monitor', against: 'node -e 0', maxRatio: 1.25, maxRssMb: 45 },
      { name: 'redis monitor', against: 'heartbeat/redis monitor', maxRatio: 0.5, maxRssMb: 45 },
      { name: 'redis monitor, minimal redis.conf', against: 'heartbeat/redis monitor, minimal redis.conf', maxRatio: 0.5, maxRssMb: 45 },
      { name: 'redis monitor, promoted', against: 'heartbeat/redis monitor, promoted (no cluster)', maxRatio: 0.5, maxRssMb: 45 },
    ],
  };
}
