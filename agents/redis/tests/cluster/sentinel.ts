import type { Lab } from '../../../../tools/cluster-lab/src/lab.ts';

// Redis Sentinel on the same lab, for the side-by-side run: what users pick instead of Pacemaker.
// Plain redis-server instances (Pacemaker runs, managing nothing), started as the redis user the
// way Debian's units start them, node1 the first master and the others its replicas; one
// redis-sentinel (Debian's, the same 7.0 build as the server) per node, told to fail over after
// down-after-milliseconds equal to the promoted monitor interval of the Pacemaker clones (5 s), so
// that both detect a failure after the same time. Everything else is Sentinel's default (quorum 2
// of 3, failover-timeout 180 s, parallel-syncs 1). Nothing restarts a killed server: no supervisor.

export const SENTINEL_PORT = 26379;
export const SENTINEL_MASTER = 'lab';
/** Equal to the Promoted monitor interval of the clone (redis-lab.ts createCommand). */
export const DOWN_AFTER_MS = 5000;
const SENTINEL_CONF = '/etc/redis/sentinel-lab.conf';

export function sentinelConf(master: string, port: number, password: string): string {
  return [
    `port ${SENTINEL_PORT}`,
    'bind 0.0.0.0',
    // the lab's network is reachable only from its own namespaces
    'protected-mode no',
    'daemonize yes',
    'pidfile /run/redis/redis-sentinel.pid',
    'logfile /var/log/redis/redis-sentinel.log',
    'dir /var/lib/redis',
    `sentinel monitor ${SENTINEL_MASTER} ${master} ${port} 2`,
    `sentinel auth-pass ${SENTINEL_MASTER} ${password}`,
    `sentinel down-after-milliseconds ${SENTINEL_MASTER} ${DOWN_AFTER_MS}`,
    '',
  ].join('\n');
}

async function run(lab: Lab, node: string, cmd: string, args: string[], input?: string): Promise<void> {
  const result = await lab.exec(node, cmd, args, { input, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`${node}: ${cmd} ${args.join(' ')}: exit ${result.code}: ${result.stderr.trim()}`);
}

/**
 * Starts redis-server on every node (the first as the master, with `replicaof` on the others),
 * then a Sentinel on every node. `conf` is the same redis.conf the Pacemaker clones get.
 */
export async function deploySentinel(lab: Lab, hosts: readonly string[], port: number, password: string, conf: string): Promise<void> {
  const master = hosts[0]!;
  for (const [i, node] of lab.nodeNames.entries()) {
    const replica = i === 0 ? '' : `replicaof ${master} ${port}\n`;
    await run(lab, node, 'sh', ['-c', 'mkdir -p /run/redis && chown redis:redis /run/redis && cat > /etc/redis/redis.conf && chown redis:redis /etc/redis/redis.conf && chmod 640 /etc/redis/redis.conf'], `${conf}${replica}`);
    await run(lab, node, 'runuser', ['-u', 'redis', '--', '/usr/bin/redis-server', '/etc/redis/redis.conf', '--daemonize', 'yes', '--pidfile', '/run/redis/redis-server.pid']);
  }
  for (const node of lab.nodeNames) {
    // Sentinel rewrites its configuration file (what it learns): one writable copy per node
    await run(lab, node, 'sh', ['-c', `cat > ${SENTINEL_CONF} && chown redis:redis ${SENTINEL_CONF} && chmod 640 ${SENTINEL_CONF}`], sentinelConf(master, port, password));
    await run(lab, node, 'runuser', ['-u', 'redis', '--', '/usr/bin/redis-sentinel', SENTINEL_CONF]);
  }
}
