import { existsSync } from 'node:fs';
import { param } from '@ocfkit/runtime';
import { parseNodeMap } from './cluster/node-map.ts';

// The first eleven are ocf:heartbeat:redis's parameters, with its names, meanings and defaults:
// switching agents is a change of provider in the CIB. The rest are what its users lacked.

const basename = (value: string) => (value !== '' && value !== '.' && value !== '..' && !value.includes('/') ? undefined : 'a file name without a directory');
const nodeMap = (what: 'port' | 'address') => (value: string) => parseNodeMap(value, what).problem;

export const params = {
  bin: param.path({
    default: '/usr/bin/redis-server',
    shortdesc: 'Path to redis-server',
    longdesc: 'The redis-server program. It is started as the configured user, in rundir, with the configuration file and the unix socket and pidfile of this resource.',
  }),
  client_bin: param.string({
    default: '/usr/bin/redis-cli',
    shortdesc: 'Path to redis-cli (not used)',
    longdesc:
      'Accepted for compatibility with ocf:heartbeat:redis and otherwise ignored: this agent speaks the Redis protocol itself over the unix socket, and never runs redis-cli.',
  }),
  config: param.path({
    default: () => (existsSync('/etc/redis.conf') ? '/etc/redis.conf' : '/etc/redis/redis.conf'),
    defaultText: '/etc/redis.conf if present, else /etc/redis/redis.conf',
    unique: true,
    shortdesc: "Path to 'redis.conf'",
    longdesc:
      "The server's configuration file. The agent reads it as redis-server does (include files, quoted values, the last value winning) for the password (requirepass, masterauth, masteruser), TLS settings, the data directory and rename-command.",
  }),
  user: param.string({ default: 'redis', shortdesc: 'Redis user', longdesc: 'User to run redis-server as (with its groups).' }),
  rundir: param.path({
    default: '/var/run/redis',
    directory: true,
    unique: true,
    shortdesc: 'Redis var/run dir',
    longdesc: 'Directory for the unix socket and the pidfile of this resource; created and given to the user when missing. redis-server starts in this directory.',
  }),
  pidfile_name: param.string({
    default: 'redis-server.pid',
    shortdesc: 'Redis pidfile name',
    longdesc: 'The file name of the pidfile, in rundir. A name only, not a path.',
    check: basename,
  }),
  socket_name: param.string({
    default: 'redis.sock',
    shortdesc: 'Redis socket name',
    longdesc: 'The file name of the unix socket, in rundir; the agent talks to Redis over it. A name only, not a path.',
    check: basename,
  }),
  port: param.port({
    shortdesc: 'Replication port',
    longdesc:
      "Port replicas connect to on the primary's node. Unset: the port of this node's redis.conf (its tls-port when tls-replication is yes), 6379 when the file sets none. With tunnel_port_map, the map's port is used instead.",
  }),
  tunnel_host: param.string({
    default: '127.0.0.1',
    shortdesc: 'Tunnel host for replication traffic',
    longdesc: 'When tunnel_port_map is set, replicas connect to the primary through tunnel_host:<port of the primary in the map>.',
  }),
  tunnel_port_map: param.string({
    default: '',
    shortdesc: 'Mapping of Pacemaker node names to redis ports',
    longdesc:
      'For replication through tunnels: "node1:port1;node2:port2;...". A replica of the primary on node2 connects to tunnel_host:port2.',
    check: nodeMap('port'),
  }),
  wait_last_known_master: param.boolean({
    default: false,
    shortdesc: 'Wait for last known master',
    longdesc:
      'When no primary is running (a cluster bootstrap), give a promotion score only to the node that was primary last, so that no other node is promoted before it and its newer data is kept.',
  }),

  password_file: param.path({
    shortdesc: 'File holding the password',
    longdesc:
      'A file (readable by root) whose first line is the password the agent authenticates with, for servers whose password is not in redis.conf (an ACL file, users defined with ACL SETUSER). Default: requirepass from redis.conf. The password is also set as masterauth on replicas when redis.conf sets none.',
  }),
  username: param.string({
    shortdesc: 'ACL user the agent authenticates as',
    longdesc:
      'Redis 6+ ACL user for the agent (default: the default user). It needs +info +ping +replicaof +config|set +client|pause +client|unpause +shutdown. Also set as masteruser on replicas when redis.conf sets none.',
  }),
  node_address_map: param.string({
    default: '',
    shortdesc: 'Addresses of the nodes, for replication',
    longdesc:
      'Where replicas reach the primary on each node: "node1:10.0.0.1;node2:10.0.0.2" (node names as Pacemaker knows them; IPv6 addresses in brackets, [fd00::1]). Unset nodes are resolved by DNS (getaddrinfo, so /etc/hosts counts).',
    check: nodeMap('address'),
  }),
  replica_link_grace: param.duration({
    default: '60s',
    min: '0s',
    shortdesc: 'How long a replica may be without its primary',
    longdesc:
      'A replica whose link to the primary is down, or still in its first sync, is reported running with a warning in the log for this long (not OCF_DEGRADED: Pacemaker 2.1.5 records 190 as a failed operation, which can stall a promotion), and failed after it: Pacemaker then recovers it.',
  }),
  max_replica_lag: param.duration({
    default: '30s',
    min: '1s',
    shortdesc: 'Replicas this far behind get no promotion score',
    longdesc:
      'A replica that has heard nothing from its primary for longer than this (the primary pings every 10 s by default) loses its promotion score, so that Pacemaker never promotes it over a replica that is up to date.',
  }),
  isolation_guard: param.boolean({
    default: false,
    shortdesc: 'A primary without a replica refuses writes',
    longdesc:
      'On promote, set min-replicas-to-write 1 and min-replicas-max-lag (isolation_guard_max_lag) on the new primary: a primary that no replica has acknowledged for that long answers writes with NOREPLICAS. An isolated primary, or a stale one after a split brain, then accepts nothing a later failover would discard. The cost: writes stop whenever no replica is connected and in sync: with the last replica down, during the full resync of the only replica, for up to isolation_guard_max_lag after the last replica is lost. Applied in memory at each promote; off, the values in redis.conf stand.',
  }),
  isolation_guard_max_lag: param.duration({
    default: '10s',
    min: '1s',
    shortdesc: 'How long a guarded primary accepts writes without a replica',
    longdesc: 'With isolation_guard: min-replicas-max-lag, in whole seconds: a replica counts while its last acknowledgement is at most this old.',
  }),
};

export type Params = typeof params;
