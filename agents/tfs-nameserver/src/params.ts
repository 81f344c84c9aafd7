import { budgetShare, param } from '@ocfkit/runtime';

/** stop_timeout unset (the seed's default): this share of what stop has for SIGTERM, the rest for SIGKILL. */
export const STOP_GRACE = budgetShare(2, 3, 'stop');

/**
 * The seed agent's parameters, same names, meanings and defaults, so that an existing CIB only
 * changes the provider. One exception by design: `montool` has no default, because the agent
 * speaks the heartbeat itself; the seed's default ($basedir/bin/ha_monitor) is honoured when an
 * operator writes it out.
 */
export const params = {
  basedir: param.path({
    required: true,
    directory: true,
    unique: true,
    shortdesc: 'TFS home directory',
    longdesc:
      'The TFS installation: the NameServer is <basedir>/bin/nameserver, its configuration <basedir>/conf/ns.conf. The agent starts it as "<basedir>/bin/nameserver -f <basedir>/conf/ns.conf -d", by full path and without a shell.',
  }),
  pidfile: param.path({
    default: ({ values }) => (typeof values.basedir === 'string' ? `${values.basedir}/logs/nameserver.pid` : undefined),
    defaultText: '$basedir/logs/nameserver.pid',
    shortdesc: 'The NameServer\'s pidfile',
    longdesc:
      'Where the NameServer writes its pid: <work_dir>/logs/nameserver.pid, work_dir being set in ns.conf. The NameServer never removes it, and refuses to start while it names any live process; the agent removes it on stop, and clears it before start when the pid it names is provably not the NameServer.',
  }),
  user: param.string({
    default: 'admin',
    shortdesc: 'User the NameServer runs as',
    longdesc: 'The NameServer is started as this user, with its supplementary groups, without a shell.',
  }),
  stop_timeout: param.duration({
    shortdesc: 'Seconds of SIGTERM before SIGKILL',
    longdesc:
      `How long stop waits for the NameServer to exit after SIGTERM before it sends SIGKILL (a number of seconds, or a duration such as 10s). The NameServer needs about 2-3 s. Unset: ${STOP_GRACE.text}.`,
  }),
  nsip: param.string({
    default: 'localhost',
    shortdesc: 'Address the heartbeat is sent to',
    longdesc:
      'Address (or name, resolved to IPv4) of this node\'s NameServer for the heartbeat check. The NameServer listens on every address, so the default localhost checks the local one whatever the VIP.',
  }),
  nsport: param.port({
    default: 3100,
    shortdesc: 'NameServer port',
    longdesc: 'The port of the heartbeat check: [public] port in ns.conf.',
  }),
  montool: param.path({
    shortdesc: 'External monitor tool (unset: the agent speaks the heartbeat itself)',
    longdesc:
      'Unset (the default): the agent sends the NameServer heartbeat itself, the way ha_monitor does, without starting another program. Set to the absolute path of an ha_monitor-compatible program (for example <basedir>/bin/ha_monitor, the original agent\'s default, or the tfs-ha-monitor tool shipped with this agent) to run that program instead: "<montool> -i <nsip> -p <nsport> -n" to check, with "-s 1" added for the switch. Exit 0 counts as healthy; note that ha_monitor also exits 0 for an uninitialised NameServer.',
  }),
};

export type Params = typeof params;
